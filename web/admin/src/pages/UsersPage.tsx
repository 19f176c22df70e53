import { useState } from 'react';
import { api, type User } from '../api';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { CreateUserForm } from '../components/users/CreateUserForm';
import { LockoutsSection } from '../components/users/LockoutsSection';
import { ResetPasswordButton } from '../components/users/ResetPasswordButton';
import { formatDate } from '../format';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session';

/**
 * User administration (admins only): list, create, disable/enable, reset password, and the
 * failed-login lockouts in force.
 */
export function UsersPage() {
  const { user: me } = useSession();
  const admin = me?.role === 'admin';
  const users = useResource(
    (signal) => (admin ? api.listUsers(signal) : Promise.resolve({ items: [] as User[] })),
    [admin],
  );
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (!admin) {
    return (
      <section>
        <PageHeader title="Users" />
        <Notice tone="info">Only administrators manage users.</Notice>
      </section>
    );
  }

  const setDisabled = (user: User, disabled: boolean) => {
    setError(null);
    setMessage(null);
    api.updateUser(user.id, { disabled }).then(() => {
      setMessage(
        `${user.username} is ${disabled ? 'disabled: they cannot log in' : 'enabled again'}.`,
      );
      users.reload();
    }, setError);
  };

  return (
    <section>
      <PageHeader title="Users" />
      {users.loading && <Loading what="Loading users" />}
      <ErrorNotice error={users.error} />
      <ErrorNotice error={error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {users.data !== undefined && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id} data-user-id={user.id}>
                  <td data-label="Username">
                    <span className="strong">
                      {user.username}
                      {user.id === me.id && <span className="muted"> (you)</span>}
                    </span>
                  </td>
                  <td data-label="E-mail">{user.email ?? '—'}</td>
                  <td data-label="Role">{user.role === 'admin' ? 'Administrator' : 'Operator'}</td>
                  <td data-label="Status">
                    {user.disabled ? (
                      <StatusBadge status="failed" label="Disabled" />
                    ) : (
                      <StatusBadge status="ready" label="Active" />
                    )}
                  </td>
                  <td data-label="Since">{formatDate(user.createdAt)}</td>
                  <td data-label="Actions">
                    <div className="actions">
                      {user.id !== me.id && (
                        <button
                          type="button"
                          className="button"
                          onClick={() => {
                            setDisabled(user, !user.disabled);
                          }}
                        >
                          {user.disabled ? 'Enable' : 'Disable'}
                          <span className="visually-hidden"> {user.username}</span>
                        </button>
                      )}
                      <ResetPasswordButton user={user} onDone={setMessage} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateUserForm
        onCreated={() => {
          users.reload();
        }}
      />
      <LockoutsSection />
    </section>
  );
}
