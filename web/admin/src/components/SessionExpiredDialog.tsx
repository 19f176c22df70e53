import { useEffect, useId, useRef } from 'react';
import { useSession } from '../session';
import { Notice } from './ErrorNotice';
import { LoginForm } from './LoginForm';
import { useShellText } from './shell/shellText';

/**
 * Shown over the page when the session ends while the app is open. The page stays mounted
 * underneath (inert), so forms keep what was typed and chosen; after logging in, the user
 * carries on where they were.
 */
export function SessionExpiredDialog() {
  const { expired, user } = useSession();
  const { text } = useShellText();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (expired && !element.open) element.showModal();
    if (!expired && element.open) element.close();
  }, [expired]);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape must not dismiss it: nothing works until the user logs in again.
        event.preventDefault();
      }}
    >
      <h2 id={titleId}>{text.logInAgain}</h2>
      <Notice tone="warning">
        {text.notices.expired} {text.nothingLost}
      </Notice>
      {expired && <LoginForm {...(user !== null ? { username: user.username } : {})} />}
    </dialog>
  );
}
