import { useState } from 'react';
import { api, ApiError, type Client } from '../api';
import { fieldErrors } from '../fieldErrors';
import { useFormSubmit } from '../hooks/useFormSubmit';
import { useClientsText } from './clients/clientsText';
import { describeError, ErrorNotice, Notice } from './ErrorNotice';
import { TextField } from './Field';
import { useLocale } from '../i18n';
import { formatPhone } from '../phone';

const FIELDS = ['name', 'phone', 'email'] as const;

/** Edits a client's name, phone and e-mail. A phone already used by another client is refused. */
export function ClientForm({
  client,
  onSaved,
}: {
  client: Client;
  onSaved: (client: Client) => void;
}) {
  const text = useClientsText().form;
  const locale = useLocale();
  const [name, setName] = useState(client.name);
  const [phone, setPhone] = useState(() => formatPhone(client.phone));
  const [email, setEmail] = useState(client.email ?? '');
  const [saved, setSaved] = useState(false);
  const { errors, error, busy, submit } = useFormSubmit({
    reset: () => {
      setSaved(false);
    },
    validate: () => {
      const local: Record<string, string> = {};
      if (name.trim() === '') local.name = text.enterName;
      if (phone.replace(/\D/g, '').length < 6) local.phone = text.enterPhone;
      return local;
    },
    send: async () => {
      const updated = await api.updateClient(client.id, {
        name: name.trim(),
        phone: phone.trim(),
        email: email.trim() === '' ? null : email.trim(),
      });
      setSaved(true);
      onSaved({ ...client, ...updated });
    },
    failed: (reason: unknown) => {
      const byField = fieldErrors(reason, FIELDS);
      // 409: the phone belongs to someone else.
      if (
        Object.keys(byField).length === 0 &&
        reason instanceof ApiError &&
        reason.status === 409
      ) {
        byField.phone = describeError(reason, locale).message;
      }
      return { fields: byField, error: reason };
    },
  });

  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={text.label}
    >
      <TextField
        label={text.name}
        name="name"
        value={name}
        onChange={setName}
        error={errors.name}
        required
        maxLength={200}
      />
      <TextField
        label={text.phone}
        name="phone"
        type="tel"
        inputMode="tel"
        value={phone}
        onChange={setPhone}
        error={errors.phone}
        required
        maxLength={40}
      />
      <TextField
        label={text.email}
        name="email"
        type="email"
        value={email}
        onChange={setEmail}
        error={errors.email}
        maxLength={254}
      />
      <ErrorNotice error={error} />
      {saved && <Notice tone="success">{text.saved}</Notice>}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? text.saving : text.save}
        </button>
      </div>
    </form>
  );
}
