import { useState } from 'react';
import { api, type ListedUser } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { CreateUserForm } from '../components/users/CreateUserForm';
import { LockoutsSection } from '../components/users/LockoutsSection';
import { ResetPasswordButton } from '../components/users/ResetPasswordButton';
import { useCommonText } from '../components/commonText';
import { useUsersText } from '../components/users/usersText';
import { useFormat } from '../format';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session';

/**
 * User administration (admins only): list, create, disable/enable, reset password, and the
 * failed-login lockouts in force.
 */
export function UsersPage() {
  const { user: me } = useSession();
  const text = useUsersText();
  const common = useCommonText();
  const format = useFormat();
  const admin = me?.role === 'admin';
  const users = useResource(
    (signal) => (admin ? api.listUsers(signal) : Promise.resolve({ items: [] as ListedUser[] })),
    [admin],
  );
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (!admin) {
    return (
      <section>
        <PageHeader title={text.title} />
        <Notice tone="info">{text.adminsOnly}</Notice>
      </section>
    );
  }

  const setDisabled = (user: ListedUser, disabled: boolean) => {
    setError(null);
    setMessage(null);
    api.updateUser(user.id, { disabled }).then(() => {
      setMessage(disabled ? text.disabledNow(user.username) : text.enabledNow(user.username));
      users.reload();
    }, setError);
  };

  return (
    <section>
      <PageHeader title={text.title} />
      {users.loading && <Loading what={text.loading} />}
      <ErrorNotice error={users.error} />
      <ErrorNotice error={error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {users.data !== undefined && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">{text.username}</th>
                <th scope="col">{text.email}</th>
                <th scope="col">{text.role}</th>
                <th scope="col">{text.status}</th>
                <th scope="col">{text.twoFactor}</th>
                <th scope="col">{text.since}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id} data-user-id={user.id}>
                  <td data-label={text.username}>
                    <span className="strong">
                      {user.username}
                      {user.id === me.id && <span className="muted">{text.you}</span>}
                    </span>
                  </td>
                  <td data-label={text.email}>{user.email ?? '—'}</td>
                  <td data-label={text.role}>{common.roles[user.role]}</td>
                  <td data-label={text.status}>
                    {user.disabled ? (
                      <StatusBadge status="failed" label={text.disabled} />
                    ) : (
                      <StatusBadge status="ready" label={text.active} />
                    )}
                  </td>
                  <td data-label={text.twoFactor} data-testid="user-two-factor">
                    {user.twoFactorEnabled === true ? (
                      <StatusBadge status="ready" label={text.twoFactorOn} />
                    ) : (
                      <StatusBadge status="off" label={text.twoFactorOff} />
                    )}
                  </td>
                  <td data-label={text.since} data-testid="user-since">
                    {format.date(user.createdAt)}
                  </td>
                  <td data-label={text.actions}>
                    <div className="actions">
                      {user.id !== me.id && (
                        <button
                          type="button"
                          className="button"
                          onClick={() => {
                            setDisabled(user, !user.disabled);
                          }}
                        >
                          {user.disabled ? text.enable : text.disable}
                          <span className="visually-hidden"> {user.username}</span>
                        </button>
                      )}
                      <ResetPasswordButton user={user} onDone={setMessage} />
                      {user.twoFactorEnabled === true && (
                        <ConfirmButton
                          title={text.resetTwoFactorTitle(user.username)}
                          message={text.resetTwoFactorMessage}
                          confirmLabel={text.resetTwoFactorConfirm}
                          danger
                          onConfirm={async () => {
                            await api.resetUserTwoFactor(user.id);
                            setError(null);
                            setMessage(text.twoFactorReset(user.username));
                            users.reload();
                          }}
                        >
                          {text.resetTwoFactor}
                          <span className="visually-hidden"> {user.username}</span>
                        </ConfirmButton>
                      )}
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
