import { useId, useState } from 'react';
import { api, type CreatedApiKey, type Role } from '../../api';
import { fieldErrors } from '../../fieldErrors';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { ErrorNotice } from '../ErrorNotice';
import { SelectField, TextField } from '../Field';
import { useApiKeysText } from './apiKeysText';

const ROLES: readonly Role[] = ['operator', 'admin'];

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
  const text = useApiKeysText();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [expires, setExpires] = useState('');
  // A key's role never exceeds its creator's: an operator is not offered "admin".
  const roles = (myRole === 'admin' ? ROLES : ROLES.filter((value) => value === 'operator')).map(
    (value) => ({ value, label: text.roleOptions[value] }),
  );
  const { errors, error, busy, submit } = useFormSubmit({
    validate: () => {
      const local: Record<string, string> = {};
      if (name.trim() === '') local.name = text.nameNeeded;
      if (expires !== '') {
        const end = endOfDay(expires);
        if (Number.isNaN(end.getTime())) local.expiresAt = text.chooseDate;
        else if (end.getTime() <= Date.now()) local.expiresAt = text.futureDate;
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
      <h2 id={headingId}>{text.createTitle}</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={text.name}
          name="api-key-name"
          value={name}
          onChange={setName}
          error={errors.name}
          maxLength={100}
          autoComplete="off"
          required
        />
        <SelectField label={text.role} value={role} options={roles} onChange={setRole} />
        <TextField
          label={text.expires}
          name="api-key-expires"
          type="date"
          value={expires}
          onChange={setExpires}
          error={errors.expiresAt}
          hint={text.expiresHint}
        />
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? text.creating : text.create}
          </button>
        </div>
      </form>
    </section>
  );
}
