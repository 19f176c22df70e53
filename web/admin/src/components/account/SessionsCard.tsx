import { useId, useState } from 'react';
import { api, type SessionInfo } from '../../api';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';

/** Where you are logged in: each device with its address and times; sign out any or all others. */
export function SessionsCard() {
  const headingId = useId();
  const sessions = useResource((signal) => api.listSessions(signal), []);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const others = sessions.data?.items.filter((session) => !session.current) ?? [];

  const signOut = (session: SessionInfo) => {
    setError(null);
    setMessage(null);
    api.revokeSession(session.id).then(() => {
      setMessage('That session was signed out.');
      sessions.reload();
    }, setError);
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Where you are logged in</h2>
      {sessions.loading && <Loading what="Loading your sessions" />}
      <ErrorNotice error={sessions.error} />
      <ErrorNotice error={error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {sessions.data !== undefined && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Logged in</th>
                <th scope="col">Last seen</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.items.map((session) => (
                <tr key={session.id} data-session-id={session.id}>
                  <td data-label="Device">
                    {session.userAgent ?? <span className="muted">Unknown</span>}{' '}
                    {session.current && <StatusBadge status="ready" label="This device" />}
                  </td>
                  <td data-label="Address">{session.ip ?? '—'}</td>
                  <td data-label="Logged in">{formatDateTime(session.createdAt)}</td>
                  <td data-label="Last seen">{formatDateTime(session.lastSeenAt)}</td>
                  <td data-label="Actions">
                    {!session.current && (
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          signOut(session);
                        }}
                      >
                        Sign out<span className="visually-hidden"> {session.userAgent}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {others.length > 0 && (
        <div className="actions">
          <ConfirmButton
            title="Sign out your other sessions?"
            message={`The ${others.length === 1 ? 'other device' : `${others.length} other devices`} must log in again. This one stays logged in.`}
            confirmLabel="Sign out others"
            onConfirm={async () => {
              const { revoked } = await api.revokeOtherSessions();
              setMessage(
                `${revoked} other ${revoked === 1 ? 'session was' : 'sessions were'} signed out.`,
              );
              sessions.reload();
            }}
          >
            Sign out other sessions
          </ConfirmButton>
        </div>
      )}
    </section>
  );
}
