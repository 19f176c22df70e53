import { useId, useState } from 'react';
import { api, ApiError } from '../api';
import { useAccountText } from '../components/account/accountText';
import { SessionsCard } from '../components/account/SessionsCard';
import { useCommonText } from '../components/commonText';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { TextField } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { PasswordPolicyHint } from '../components/PasswordPolicyHint';
import { LinkedProvidersCard } from '../components/two-factor/LinkedProvidersCard';
import { TwoFactorCard } from '../components/two-factor/TwoFactorCard';
import { useFormSubmit, type FormFailure } from '../hooks/useFormSubmit';
import { passwordProblem } from '../passwords';
import { useSession } from '../session';

/**
 * The logged-in user: change own password, two-factor sign-in, the services linked for single
 * sign-on, see and sign out sessions, log out.
 */
export function AccountPage() {
  const { user, logout } = useSession();
  const text = useAccountText();
  const common = useCommonText();
  const headingId = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const { errors, error, busy, submit } = useFormSubmit({
    reset: () => {
      setDone(false);
    },
    validate: () => {
      const local: Record<string, string> = {};
      if (current === '') local.current = text.enterCurrent;
      const problem = passwordProblem(common, next, user?.username ?? '');
      if (problem !== undefined) local.next = problem;
      else if (next === current) local.next = text.sameAsCurrent;
      if (repeat !== next) local.repeat = text.differ;
      return local;
    },
    send: async () => {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    },
    failed: (reason): FormFailure =>
      reason instanceof ApiError &&
      (reason.code === 'invalid_credentials' || reason.code === 'wrong_password')
        ? { fields: { current: text.notCurrent }, error: null }
        : reason instanceof ApiError && reason.code === 'weak_password'
          ? { fields: { next: reason.message }, error: null }
          : { fields: {}, error: reason },
  });

  return (
    <section>
      <PageHeader
        title={text.title}
        subtitle={user !== null ? `${user.username} · ${common.roles[user.role]}` : undefined}
      >
        <button
          type="button"
          className="button"
          onClick={() => {
            void logout();
          }}
        >
          {text.logOut}
        </button>
      </PageHeader>
      <section className="card narrow" aria-labelledby={headingId}>
        <h2 id={headingId}>{text.changePassword}</h2>
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            label={text.current}
            name="current-password"
            type="password"
            value={current}
            onChange={setCurrent}
            error={errors.current}
            autoComplete="current-password"
            required
          />
          <TextField
            label={text.next}
            name="new-password"
            type="password"
            value={next}
            onChange={setNext}
            error={errors.next}
            hint={<PasswordPolicyHint />}
            autoComplete="new-password"
            required
          />
          <TextField
            label={text.repeat}
            name="repeat-password"
            type="password"
            value={repeat}
            onChange={setRepeat}
            error={errors.repeat}
            autoComplete="new-password"
            required
          />
          <ErrorNotice error={error} />
          {done && <Notice tone="success">{text.changed}</Notice>}
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? text.saving : text.submit}
            </button>
          </div>
        </form>
      </section>
      <TwoFactorCard />
      <LinkedProvidersCard />
      <SessionsCard />
    </section>
  );
}
