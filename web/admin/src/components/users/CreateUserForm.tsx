import { useId, useState } from 'react';
import { api, type Role, type User } from '../../api';
import { passwordProblem } from '../../passwords';
import { fieldErrors } from '../../fieldErrors';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { SelectField, TextField } from '../Field';
import { PasswordPolicyHint } from '../PasswordPolicyHint';

const ROLES = [
  { value: 'operator', label: 'Operator (orders, clients)' },
  { value: 'admin', label: 'Administrator (also users)' },
] as const;

/** Creates a user (there is no self-registration). */
export function CreateUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const headingId = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [created, setCreated] = useState<string | null>(null);
  const { errors, error, busy, submit } = useFormSubmit({
    reset: () => {
      setCreated(null);
    },
    validate: () => {
      const local: Record<string, string> = {};
      if (username.trim().length < 3) local.username = 'At least 3 characters.';
      const problem = passwordProblem(password, username);
      if (problem !== undefined) local.password = problem;
      return local;
    },
    send: async () => {
      const user = await api.createUser({
        username: username.trim(),
        password,
        role,
        ...(email.trim() !== '' ? { email: email.trim() } : {}),
      });
      setCreated(user.username);
      setUsername('');
      setPassword('');
      setEmail('');
      onCreated(user);
    },
    failed: (reason) => ({
      fields: fieldErrors(reason, ['username', 'password', 'email', 'role']),
      error: reason,
    }),
  });

  return (
    <section className="card narrow" aria-labelledby={headingId}>
      <h2 id={headingId}>Add a user</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Username"
          name="username"
          value={username}
          onChange={setUsername}
          error={errors.username}
          autoComplete="off"
          autoCapitalize="none"
          required
        />
        <TextField
          label="Password"
          name="new-user-password"
          type="password"
          value={password}
          onChange={setPassword}
          error={errors.password}
          hint={<PasswordPolicyHint extra="Give it to the user in person." />}
          autoComplete="new-password"
          required
        />
        <TextField
          label="E-mail"
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          error={errors.email}
          autoComplete="off"
        />
        <SelectField label="Role" value={role} options={ROLES} onChange={setRole} />
        <ErrorNotice error={error} />
        {created !== null && <Notice tone="success">User {created} was created.</Notice>}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
    </section>
  );
}
