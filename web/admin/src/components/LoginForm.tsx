import { useState, type SubmitEvent } from 'react';
import { ApiError } from '../api';
import { useSession } from '../session';
import { ErrorNotice } from './ErrorNotice';
import { TextField } from './Field';
import { useShellText } from './shell/shellText';

/** Username + password. Used by the login page and by the "session expired" dialog. */
export function LoginForm({
  onDone,
  username: knownUser,
}: {
  onDone?: () => void;
  username?: string;
}) {
  const { login } = useSession();
  const { text } = useShellText();
  const [username, setUsername] = useState(knownUser ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      setPassword('');
      onDone?.();
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
