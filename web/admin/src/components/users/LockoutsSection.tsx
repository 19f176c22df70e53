import { useId, useState } from 'react';
import { api, type Lockout } from '../../api';
import { formatDateTime, formatNumber } from '../../format';
import { useResource } from '../../hooks/useResource';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { Loading } from '../Loading';

const accountOf = (lockout: Lockout): string => lockout.username ?? 'Unknown user';
const addressOf = (lockout: Lockout): string =>
  lockout.scope === 'account' ? 'All addresses (hourly limit)' : (lockout.ip ?? '—');

/**
 * Failed-login lockouts in force (admins): who, from where, how many failures, until when,
 * with a button to lift each. A lock ends by itself; lifting it is for a locked-out colleague.
 */
export function LockoutsSection() {
  const headingId = useId();
  const lockouts = useResource((signal) => api.listLockouts(signal), []);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const unlock = (lockout: Lockout) => {
    setError(null);
    setMessage(null);
    setBusyId(lockout.id);
    void api
      .unlockLockout(lockout.id)
      .then(() => {
        setMessage(`${accountOf(lockout)} can log in from ${addressOf(lockout)} again.`);
        lockouts.reload();
      }, setError)
      .finally(() => {
        setBusyId(null);
      });
  };

  const items = lockouts.data?.items;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Login lockouts</h2>
      <p className="muted">
        After repeated wrong passwords an account is locked for the address they came from; other
        addresses are not affected. Locks end by themselves.
      </p>
      {lockouts.loading && <Loading what="Loading lockouts" />}
      <ErrorNotice error={lockouts.error} />
      <ErrorNotice error={error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {items !== undefined && items.length === 0 && <p>No account is locked.</p>}
      {items !== undefined && items.length > 0 && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Address</th>
                <th scope="col">Failed logins</th>
                <th scope="col">Locked until</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((lockout) => (
                <tr key={lockout.id} data-lockout-id={lockout.id}>
                  <td data-label="Account">
                    <span className={lockout.username === null ? 'muted' : 'strong'}>
                      {accountOf(lockout)}
                    </span>
                  </td>
                  <td data-label="Address">
                    <span className="code">{addressOf(lockout)}</span>
                  </td>
                  <td data-label="Failed logins">{formatNumber(lockout.failures)}</td>
                  <td data-label="Locked until">{formatDateTime(lockout.lockedUntil)}</td>
                  <td data-label="Actions">
                    <button
                      type="button"
                      className="button"
                      disabled={busyId === lockout.id}
                      onClick={() => {
                        unlock(lockout);
                      }}
                    >
                      Unlock
                      <span className="visually-hidden">
                        {' '}
                        {accountOf(lockout)} at {addressOf(lockout)}
                      </span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
