import { useState } from 'react';
import { api, ApiError, type TotpSetup as Setup } from '../../api';
import { useFormSubmit, type FieldErrors, type FormFailure } from '../../hooks/useFormSubmit';
import { ErrorNotice } from '../ErrorNotice';
import { TextField } from '../Field';
import { codeFailure, grouped, normaliseCode, SIX_DIGITS } from './codes';
import { useTwoFactorText } from './twoFactorText';

/**
 * The QR code as an image: the server's SVG goes into an `<img>` (a `data:` URL), never into
 * the page's markup, so nothing in it can run or restyle the page.
 */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${window.btoa(binary)}`;
}

/**
 * Turning on the authenticator app: a button asks the server for a secret, the QR code and the
 * key to type by hand are shown, and the first code from the app confirms it. `onEnabled`
 * receives the backup codes (shown once).
 */
export function TotpSetup({
  onEnabled,
  onAlreadyOn,
}: {
  onEnabled: (backupCodes: string[]) => void;
  /** The server says it is on already (another tab): the caller reloads. */
  onAlreadyOn?: () => void;
}) {
  const text = useTwoFactorText();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const { errors, error, busy, submit, clear } = useFormSubmit({
    validate: (): FieldErrors =>
      SIX_DIGITS.test(normaliseCode(code)) ? {} : { code: text.sixDigits },
    send: async () => {
      const { backupCodes } = await api.confirmTotp(normaliseCode(code));
      setCode('');
      setSetup(null);
      onEnabled(backupCodes);
    },
    failed: (reason): FormFailure => {
      const failure = codeFailure(reason, text.wrongCode);
      if (failure !== null) setCode('');
      return failure ?? { fields: {}, error: reason };
    },
  });

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      setSetup(await api.setUpTotp());
    } catch (reason) {
      if (
        onAlreadyOn !== undefined &&
        reason instanceof ApiError &&
        reason.code === 'two_factor_already_enabled'
      ) {
        onAlreadyOn();
      } else {
        setStartError(reason);
      }
    } finally {
      setStarting(false);
    }
  };

  if (setup === null) {
    return (
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={starting}
          onClick={() => {
            void start();
          }}
        >
          {starting ? text.settingUp : text.setUp}
        </button>
        <ErrorNotice error={startError} />
      </div>
    );
  }

  return (
    <div className="totp-setup">
      <p>{text.scan}</p>
      <img
        className="totp-qr"
        src={svgDataUrl(setup.qrSvg)}
        alt={text.qrAlt}
        width={220}
        height={220}
        data-testid="totp-qr"
      />
      <p className="hint">{text.manual}</p>
      <code className="secret totp-secret" aria-label={text.keyLabel} data-testid="totp-secret">
        {grouped(setup.secret)}
      </code>
      <p>{text.enterCode}</p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={text.appCode}
          name="totp-code"
          value={code}
          onChange={setCode}
          error={errors.code}
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]*"
          maxLength={7}
          spellCheck={false}
          required
        />
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? text.confirming : text.confirm}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setSetup(null);
              setCode('');
              clear();
            }}
          >
            {text.cancel}
          </button>
        </div>
      </form>
    </div>
  );
}
