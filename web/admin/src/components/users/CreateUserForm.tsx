import { useId, useState } from 'react';
import { api, type Role, type User } from '../../api';
import { passwordProblem } from '../../passwords';
import { fieldErrors } from '../../fieldErrors';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { SelectField, TextField } from '../Field';
import { useCommonText } from '../commonText';
import { PasswordPolicyHint } from '../PasswordPolicyHint';
import { useUsersText } from './usersText';

const ROLES: readonly Role[] = ['operator', 'admin'];

/** Creates a user (there is no self-registration). */
export function CreateUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const headingId = useId();
  const text = useUsersText();
  const common = useCommonText();
  const roles = ROLES.map((value) => ({ value, label: text.roleOptions[value] }));
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
      if (username.trim().length < 3) local.username = text.tooShortName;
      const problem = passwordProblem(common, password, username);
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
      <h2 id={headingId}>{text.add}</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={text.username}
          name="username"
          value={username}
          onChange={setUsername}
          error={errors.username}
          autoComplete="off"
          autoCapitalize="none"
          required
        />
        <TextField
          label={text.password}
          name="new-user-password"
          type="password"
          value={password}
          onChange={setPassword}
          error={errors.password}
          hint={<PasswordPolicyHint extra={text.inPerson} />}
          autoComplete="new-password"
          required
        />
        <TextField
          label={text.email}
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          error={errors.email}
          autoComplete="off"
        />
        <SelectField label={text.role} value={role} options={roles} onChange={setRole} />
        <ErrorNotice error={error} />
        {created !== null && <Notice tone="success">{text.created(created)}</Notice>}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? text.creating : text.create}
          </button>
        </div>
      </form>
    </section>
  );
}
