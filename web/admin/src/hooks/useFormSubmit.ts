import { useState, type SubmitEvent } from 'react';

export type FieldErrors = Record<string, string>;

/** What a failed request shows: problems next to their fields, and/or a general error. */
export interface FormFailure {
  fields: FieldErrors;
  error: unknown;
}

export interface FormSubmitOptions {
  /** Checks the input before sending; the problems found, by field (empty: send). */
  validate: () => FieldErrors;
  /** Sends the form; a thrown error goes to `failed`. */
  send: () => Promise<void>;
  /** How a failed `send` is shown. */
  failed: (reason: unknown) => FormFailure;
  /** Called first on every submit (e.g. to hide the last success notice). */
  reset?: () => void;
}

/**
 * The submit cycle shared by the admin's forms: check locally, show the problems by field, send
 * while `busy`, and show what the server refused.
 */
export function useFormSubmit({ validate, send, failed, reset }: FormSubmitOptions) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    reset?.();
    setError(null);
    const local = validate();
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await send();
    } catch (reason) {
      const failure = failed(reason);
      setErrors(failure.fields);
      setError(failure.error);
    } finally {
      setBusy(false);
    }
  };

  /** Forgets the problems shown (e.g. when a dialog opens again). */
  const clear = () => {
    setErrors({});
    setError(null);
  };

  return { errors, error, busy, submit, clear };
}
