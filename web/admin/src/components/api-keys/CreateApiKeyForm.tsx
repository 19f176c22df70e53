import { useId, useState } from 'react';
import { api, type CreatedApiKey, type Role } from '../../api';
import { fieldErrors } from '../../fieldErrors';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { ErrorNotice } from '../ErrorNotice';
import { SelectField, TextField } from '../Field';

const ROLES = [
  { value: 'operator', label: 'Operator (orders, clients, portraits)' },
  { value: 'admin', label: 'Administrator (also deletes and studio settings)' },
] as const;

/** The end of the chosen day, in the browser's time zone, as the API wants it. */
const endOfDay = (day: string): Date => new Date(`${day}T23:59:59`);

/** Creates an API key; the key itself goes to `onCreated`, to be shown once. */
export function CreateApiKeyForm({
  myRole,
  onCreated,
}: {
  myRole: Role;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const headingId = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [expires, setExpires] = useState('');
  // A key's role never exceeds its creator's: an operator is not offered "admin".
  const roles = myRole === 'admin' ? ROLES : ROLES.filter((option) => option.value === 'operator');
  const { errors, error, busy, submit } = useFormSubmit({
    validate: () => {
      const local: Record<string, string> = {};
      if (name.trim() === '') local.name = 'Say what the key is for, e.g. “n8n orders”.';
      if (expires !== '') {
        const end = endOfDay(expires);
        if (Number.isNaN(end.getTime())) local.expiresAt = 'Choose a date.';
        else if (end.getTime() <= Date.now()) local.expiresAt = 'Choose a date in the future.';
      }
      return local;
    },
    send: async () => {
      const created = await api.createApiKey({
        name: name.trim(),
        role,
        ...(expires === '' ? {} : { expiresAt: endOfDay(expires).toISOString() }),
      });
      setName('');
      setExpires('');
      onCreated(created);
    },
    failed: (reason) => ({
      fields: fieldErrors(reason, ['name', 'role', 'expiresAt']),
      error: reason,
    }),
  });

  return (
    <section className="card narrow" aria-labelledby={headingId}>
      <h2 id={headingId}>Create an API key</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Name"
          name="api-key-name"
          value={name}
          onChange={setName}
          error={errors.name}
          maxLength={100}
          autoComplete="off"
          required
        />
        <SelectField label="Role" value={role} options={roles} onChange={setRole} />
        <TextField
          label="Expires"
          name="api-key-expires"
          type="date"
          value={expires}
          onChange={setExpires}
          error={errors.expiresAt}
          hint="Optional: the key stops working at the end of that day. Empty: until revoked."
        />
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </section>
  );
}
