import { PASSWORD_MIN_LENGTH } from '../passwords';
import { useCommonText } from './commonText';

/** What a new password must be, under every field that sets one, in the chosen language. */
export function PasswordPolicyHint({ extra }: { extra?: string }) {
  const text = useCommonText();
  return (
    <>
      {text.passwordRule(PASSWORD_MIN_LENGTH)}
      {extra !== undefined && ` ${extra}`}
    </>
  );
}
