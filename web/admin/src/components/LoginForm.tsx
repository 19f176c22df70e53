import { useState, type SubmitEvent } from 'react';
import { ApiError } from '../api';
import { useSession } from '../session';
import { ErrorNotice } from './ErrorNotice';
import { TextField } from './Field';
import { useShellText } from './shell/shellText';
import { SecondFactorForm, type Challenge } from './two-factor/SecondFactorForm';

/**
 * Username + password, then the second step when the account has two-factor sign-in. Used by
 * the login page (which may start at the second step, after single sign-on) and by the
 * "session expired" dialog.
 */
export function LoginForm({
  onDone,
  username: knownUser,
  challenge: startChallenge,
  onChallengeEnd,
}: {
  onDone?: () => void;
  username?: string;
  /** A challenge to complete first (single sign-on asked for a second factor). */
  challenge?: Challenge | null;
  /** The second step was abandoned or has expired: the password form is back. */
  onChallengeEnd?: () => void;
}) {
  const { login } = useSession();
  const { text } = useShellText();
  const [username, setUsername] = useState(knownUser ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [challenge, setChallenge] = useState<Challenge | null>(startChallenge ?? null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const asked = await login(username.trim(), password);
      setPassword('');
      if (asked !== null) setChallenge(asked);
      else onDone?.();
    } catch (reason) {
      setError(
        reason instanceof ApiError && reason.code === 'invalid_credentials'
          ? new Error(text.wrongCredentials)
          : reason,
      );
    } finally {
      setBusy(false);
    }
  };

  if (challenge !== null) {
    return (
      <SecondFactorForm
        challenge={challenge}
        onRestart={(reason) => {
          setChallenge(null);
          setError(reason);
          onChallengeEnd?.();
        }}
        {...(onDone !== undefined ? { onDone } : {})}
      />
    );
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label={text.logIn}>
      <TextField
        label={text.username}
        name="username"
        value={username}
        onChange={setUsername}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
      />
      <TextField
        label={text.password}
        name="password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        required
      />
      <ErrorNotice error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? text.loggingIn : text.logIn}
      </button>
    </form>
  );
}
