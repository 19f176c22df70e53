import { useId, useState } from 'react';
import { api, type SessionInfo } from '../../api';
import { useFormat } from '../../format';
import { useResource } from '../../hooks/useResource';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import { useAccountText } from './accountText';

/** Where you are logged in: each device with its address and times; sign out any or all others. */
export function SessionsCard() {
  const headingId = useId();
  const text = useAccountText();
  const format = useFormat();
  const sessions = useResource((signal) => api.listSessions(signal), []);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const others = sessions.data?.items.filter((session) => !session.current) ?? [];

  const signOut = (session: SessionInfo) => {
    setError(null);
    setMessage(null);
    api.revokeSession(session.id).then(() => {
      setMessage(text.signedOut);
      sessions.reload();
    }, setError);
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.sessions}</h2>
      {sessions.loading && <Loading what={text.loadingSessions} />}
      <ErrorNotice error={sessions.error} />
      <ErrorNotice error={error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {sessions.data !== undefined && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">{text.device}</th>
                <th scope="col">{text.address}</th>
                <th scope="col">{text.loggedIn}</th>
                <th scope="col">{text.lastSeen}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.items.map((session) => (
                <tr key={session.id} data-session-id={session.id}>
                  <td data-label={text.device}>
                    {session.userAgent !== null ? (
                      <span translate="no">{session.userAgent}</span>
                    ) : (
                      <span className="muted">{text.unknown}</span>
                    )}{' '}
                    {session.current && <StatusBadge status="ready" label={text.thisDevice} />}
                  </td>
                  <td data-label={text.address}>{session.ip ?? '—'}</td>
                  <td data-label={text.loggedIn}>{format.dateTime(session.createdAt)}</td>
                  <td data-label={text.lastSeen}>{format.dateTime(session.lastSeenAt)}</td>
                  <td data-label={text.actions}>
                    {!session.current && (
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          signOut(session);
                        }}
                      >
                        {text.signOut}
                        <span className="visually-hidden" translate="no">
                          {' '}
                          {session.userAgent}
                        </span>
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
            title={text.signOutOthersTitle}
            message={text.signOutOthersMessage(others.length)}
            confirmLabel={text.signOutOthersConfirm}
            onConfirm={async () => {
              const { revoked } = await api.revokeOtherSessions();
              setMessage(text.othersSignedOut(revoked));
              sessions.reload();
            }}
          >
            {text.signOutOthers}
          </ConfirmButton>
        </div>
      )}
    </section>
  );
}
