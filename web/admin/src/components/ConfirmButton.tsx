import { useId, useRef, useState, type ReactNode } from 'react';
import { useCommonText } from './commonText';
import { ErrorNotice } from './ErrorNotice';
import { Icon, type IconName } from './Icon';

export interface ConfirmButtonProps {
  /** The button text (e.g. "Delete client"). */
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  icon?: IconName;
  danger?: boolean;
  disabled?: boolean;
  className?: string;
}

/**
 * A button that asks first, in a modal dialog (native `<dialog>`: focus moves in, Escape
 * cancels, the page behind is inert). Errors stay in the dialog.
 */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  icon,
  danger = false,
  disabled,
  className,
}: ConfirmButtonProps) {
  const text = useCommonText();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();

  const close = () => {
    dialog.current?.close();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={className ?? (danger ? 'button button-danger' : 'button')}
        disabled={disabled}
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {icon !== undefined && <Icon name={icon} />}
        {children}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{message}</div>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="button" className="button" onClick={close} disabled={busy}>
            {text.cancel}
          </button>
          <button
            type="button"
            className={danger ? 'button button-danger' : 'button button-primary'}
            disabled={busy}
            onClick={() => {
              void confirm();
            }}
          >
            {busy ? text.working : confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
