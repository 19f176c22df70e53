import { useId, useState } from 'react';
import { api, type Lockout } from '../../api';
import { useFormat } from '../../format';
import { useResource } from '../../hooks/useResource';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { Loading } from '../Loading';
import { useUsersText, type UsersText } from './usersText';

const accountOf = (text: UsersText, lockout: Lockout): string =>
  lockout.username ?? text.unknownUser;
const addressOf = (text: UsersText, lockout: Lockout): string =>
  lockout.scope === 'account' ? text.allAddresses : (lockout.ip ?? '—');

/**
 * Failed-login lockouts in force (admins): who, from where, how many failures, until when,
 * with a button to lift each. A lock ends by itself; lifting it is for a locked-out colleague.
 */
export function LockoutsSection() {
  const headingId = useId();
  const text = useUsersText();
  const format = useFormat();
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
        setMessage(text.unlocked(accountOf(text, lockout), addressOf(text, lockout)));
        lockouts.reload();
      }, setError)
      .finally(() => {
        setBusyId(null);
      });
  };

  const items = lockouts.data?.items;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.lockouts}</h2>
      <p className="muted">{text.lockoutsLead}</p>
      {lockouts.loading && <Loading what={text.loadingLockouts} />}
      <ErrorNotice error={lockouts.error} />
      <ErrorNotice error={error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {items !== undefined && items.length === 0 && <p>{text.noLockouts}</p>}
      {items !== undefined && items.length > 0 && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">{text.account}</th>
                <th scope="col">{text.address}</th>
                <th scope="col">{text.failures}</th>
                <th scope="col">{text.lockedUntil}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((lockout) => (
                <tr key={lockout.id} data-lockout-id={lockout.id}>
                  <td data-label={text.account}>
                    <span className={lockout.username === null ? 'muted' : 'strong'}>
                      {accountOf(text, lockout)}
                    </span>
                  </td>
                  <td data-label={text.address}>
                    <span className="code">{addressOf(text, lockout)}</span>
                  </td>
                  <td data-label={text.failures}>{format.number(lockout.failures)}</td>
                  <td data-label={text.lockedUntil}>{format.dateTime(lockout.lockedUntil)}</td>
                  <td data-label={text.actions}>
                    <button
                      type="button"
                      className="button"
                      disabled={busyId === lockout.id}
                      onClick={() => {
                        unlock(lockout);
                      }}
                    >
                      {text.unlock}
                      <span className="visually-hidden">
                        {text.unlockWhat(accountOf(text, lockout), addressOf(text, lockout))}
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
