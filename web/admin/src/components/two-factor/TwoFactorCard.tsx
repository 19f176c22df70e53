import { useId, useState } from 'react';
import { api, ApiError } from '../../api';
import { useFormSubmit, type FieldErrors, type FormFailure } from '../../hooks/useFormSubmit';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../session';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { TextField } from '../Field';
import { Loading } from '../Loading';
import { StatusBadge } from '../StatusBadge';
import { BackupCodes } from './BackupCodes';
import { codeFailure, normaliseCode, SIX_DIGITS } from './codes';
import { TotpSetup } from './TotpSetup';
import { useTwoFactorText } from './twoFactorText';

/** Fewer than this many backup codes left: the card suggests making new ones. */
const FEW_CODES = 3;

/**
 * The account page's two-factor sign-in: off → set up (QR code, key, first code) → backup
 * codes once; on → codes left, new codes (with a code), turn off (password and a code).
 */
export function TwoFactorCard() {
  const text = useTwoFactorText();
  const { user } = useSession();
  const headingId = useId();
  const status = useResource((signal) => api.twoFactorStatus(signal), []);
  // Turning it off asks for the password only where there is a password login.
  const passwordLogin = useResource(
    (signal) =>
      api.ssoLinks(signal).then(
        (links) => links.passwordLoginEnabled,
        () => true,
      ),
    [],
  );
  const [codes, setCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const shown = (next: string[]) => {
    setMessage(null);
    setCodes(next);
    status.reload();
  };

  const state = status.data;
  return (
    <section className="card narrow two-factor-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        <span>{text.title}</span>{' '}
        {state !== undefined && (
          <StatusBadge
            status={state.totpEnabled ? 'ready' : 'off'}
            label={state.totpEnabled ? text.on : text.off}
          />
        )}
      </h2>
      {status.loading && <Loading what={text.loading} />}
      <ErrorNotice error={status.error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {state?.required === true && <Notice tone="info">{text.requiredNote}</Notice>}
      {codes !== null ? (
        <BackupCodes
          codes={codes}
          username={user?.username ?? ''}
          onSaved={() => {
            setCodes(null);
          }}
        />
      ) : state === undefined ? null : state.totpEnabled ? (
        <>
          <p>{text.onLead}</p>
          <p data-testid="backup-codes-remaining">{text.remaining(state.backupCodesRemaining)}</p>
          {state.backupCodesRemaining < FEW_CODES && <Notice tone="warning">{text.fewLeft}</Notice>}
          {state.emailAvailable && <p className="muted">{text.emailNote}</p>}
          <RegenerateCodes onDone={shown} />
          <DisableTwoFactor
            required={state.required}
            passwordNeeded={passwordLogin.data !== false}
            onDone={() => {
              setMessage(text.turnedOff);
              status.reload();
            }}
          />
        </>
      ) : (
        <>
          <p>{text.offLead}</p>
          <TotpSetup
            onEnabled={(next) => {
              shown(next);
              setMessage(text.turnedOn);
            }}
            onAlreadyOn={status.reload}
          />
        </>
      )}
    </section>
  );
}

function RegenerateCodes({ onDone }: { onDone: (codes: string[]) => void }) {
  const text = useTwoFactorText();
  const headingId = useId();
  const [code, setCode] = useState('');
  const { errors, error, busy, submit } = useFormSubmit({
    validate: (): FieldErrors =>
      SIX_DIGITS.test(normaliseCode(code)) ? {} : { code: text.sixDigits },
    send: async () => {
      const { backupCodes } = await api.regenerateBackupCodes(normaliseCode(code));
      setCode('');
      onDone(backupCodes);
    },
    failed: (reason): FormFailure => {
      const failure = codeFailure(reason, text.wrongCode);
      if (failure !== null) setCode('');
      return failure ?? { fields: {}, error: reason };
    },
  });
  return (
    <section className="two-factor-part" aria-labelledby={headingId}>
      <h3 id={headingId}>{text.regenerateTitle}</h3>
      <p className="muted">{text.regenerateLead}</p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={text.appCode}
          name="regenerate-code"
          value={code}
          onChange={setCode}
          error={errors.code}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
          spellCheck={false}
          required
        />
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? text.regenerating : text.regenerate}
          </button>
        </div>
      </form>
    </section>
  );
}

function DisableTwoFactor({
  required,
  passwordNeeded,
  onDone,
}: {
  required: boolean;
  passwordNeeded: boolean;
  onDone: () => void;
}) {
  const text = useTwoFactorText();
  const headingId = useId();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { errors, error, busy, submit } = useFormSubmit({
    validate: () => {
      const local: Record<string, string> = {};
      if (passwordNeeded && password === '') local.password = text.enterPassword;
      // A 6-digit code from the app, or a backup code (`xxxxx-xxxxx`).
      const typed = code.trim();
      if (!SIX_DIGITS.test(normaliseCode(typed)) && !/^.{10,16}$/.test(typed)) {
        local.code = text.sixDigits;
      }
      return local;
    },
    send: async () => {
      const trimmed = code.trim();
      // A 6-digit code from the app, or a backup code as typed.
      await api.disableTotp(
        passwordNeeded ? password : null,
        /^[\d\s-]+$/.test(trimmed) ? normaliseCode(trimmed) : trimmed,
      );
      setPassword('');
      setCode('');
      onDone();
    },
    failed: (reason): FormFailure => {
      if (
        reason instanceof ApiError &&
        (reason.code === 'invalid_credentials' || reason.code === 'wrong_password')
      ) {
        return { fields: { password: text.notCurrent }, error: null };
      }
      if (reason instanceof ApiError && reason.code === 'two_factor_password_required') {
        return { fields: { password: text.enterPassword }, error: null };
      }
      const failure = codeFailure(reason, text.wrongCode);
      if (failure !== null) setCode('');
      return failure ?? { fields: {}, error: reason };
    },
  });
  return (
    <section className="two-factor-part" aria-labelledby={headingId}>
      <h3 id={headingId}>{text.disableTitle}</h3>
      <p className="muted">
        {text.disableLead}
        {required && ` ${text.disableRequired}`}
      </p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {passwordNeeded && (
          <TextField
            label={text.password}
            name="disable-password"
            type="password"
            value={password}
            onChange={setPassword}
            error={errors.password}
            autoComplete="current-password"
            required
          />
        )}
        <TextField
          label={text.appOrBackupCode}
          name="disable-code"
          value={code}
          onChange={setCode}
          error={errors.code}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="button button-danger" disabled={busy}>
            {busy ? text.disabling : text.disable}
          </button>
        </div>
      </form>
    </section>
  );
}
