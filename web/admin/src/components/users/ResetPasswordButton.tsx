import { useId, useRef, useState } from 'react';
import { api, type User } from '../../api';
import { useFormSubmit, type FieldErrors } from '../../hooks/useFormSubmit';
import { passwordProblem } from '../../passwords';
import { fieldErrors } from '../../fieldErrors';
import { ErrorNotice } from '../ErrorNotice';
import { TextField } from '../Field';
import { useCommonText } from '../commonText';
import { PasswordPolicyHint } from '../PasswordPolicyHint';
import { useUsersText } from './usersText';

/** Sets a new password for a user, in a dialog. */
export function ResetPasswordButton({
  user,
  onDone,
}: {
  user: User;
  onDone: (message: string) => void;
}) {
  const text = useUsersText();
  const common = useCommonText();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [password, setPassword] = useState('');
  const { errors, error, busy, submit, clear } = useFormSubmit({
    validate: (): FieldErrors => {
      const problem = passwordProblem(common, password, user.username);
      return problem === undefined ? {} : { password: problem };
    },
    send: async () => {
      await api.resetUserPassword(user.id, password);
      setPassword('');
      dialog.current?.close();
      onDone(text.passwordChanged(user.username));
    },
    failed: (reason) => ({ fields: fieldErrors(reason, ['password']), error: reason }),
  });

  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => {
          setPassword('');
          clear();
          dialog.current?.showModal();
        }}
      >
        {text.reset}
        <span className="visually-hidden">{text.resetOf(user.username)}</span>
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId}>
        <h2 id={titleId}>{text.resetTitle(user.username)}</h2>
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            label={text.newPassword}
            name="reset-password"
            type="password"
            value={password}
            onChange={setPassword}
            error={errors.password}
            hint={<PasswordPolicyHint />}
            autoComplete="new-password"
            required
          />
          <ErrorNotice error={error} />
          <div className="actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                dialog.current?.close();
              }}
            >
              {text.cancel}
            </button>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? text.saving : text.setPassword}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
