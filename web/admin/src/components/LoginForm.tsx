import { useState, type SubmitEvent } from 'react';
import { ApiError } from '../api';
import { useSession } from '../session';
import { ErrorNotice } from './ErrorNotice';
import { TextField } from './Field';

/** Username + password. Used by the login page and by the "session expired" dialog. */
export function LoginForm({
  onDone,
  username: knownUser,
}: {
  onDone?: () => void;
  username?: string;
}) {
  const { login } = useSession();
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
          ? new Error('Wrong username or password.')
          : reason,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label="Log in">
      <TextField
        label="Username"
        name="username"
        value={username}
        onChange={setUsername}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        required
      />
      <ErrorNotice error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
