import { PASSWORD_MIN_LENGTH } from '../passwords';

/**
 * What a new password must be, under every field that sets one. The admin app is English, but
 * studio staff may read only Russian: this rule is shown in both (as the HTTPS warning is).
 */
export function PasswordPolicyHint({ extra }: { extra?: string }) {
  return (
    <>
      <span lang="en">
        At least {PASSWORD_MIN_LENGTH} characters, not a common password, not containing the
        username.{extra !== undefined && ` ${extra}`}
      </span>
      <br />
      <span lang="ru">
        Не короче {PASSWORD_MIN_LENGTH} символов, не из списка распространённых паролей и без имени
        пользователя.
      </span>
    </>
  );
}
