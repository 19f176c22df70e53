import { useState } from 'react';
import { api, ApiError, type EmailCodeSent, type SecondFactorMethod } from '../../api';
import { useFormSubmit, type FieldErrors, type FormFailure } from '../../hooks/useFormSubmit';
import { localeTag, useLocale, type Locale } from '../../i18n';
import { useSession } from '../../session';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { TextField } from '../Field';
import { normaliseCode, SIX_DIGITS } from './codes';
import { useTwoFactorText } from './twoFactorText';

/** The challenge from the password step (or from the single sign-on redirect). */
export interface Challenge {
  challenge: string;
  methods: readonly SecondFactorMethod[];
}

/** The challenge is gone (expired, used, or from another browser): start from the password. */
const challengeGone = (reason: unknown) =>
  reason instanceof ApiError &&
  (reason.code === 'two_factor_challenge_invalid' ||
    reason.code === 'account_locked' ||
    // The code's shape is checked here first: a refused shape is the challenge's (a bad URL).
    reason.code === 'validation_failed');

const BACKUP_CODE_LENGTH = /^.{10,16}$/;

/** `21:15`: when an e-mailed code stops working (it is valid for minutes, today). */
const timeOf = (iso: string, locale: Locale): string =>
  new Intl.DateTimeFormat(localeTag(locale), { timeStyle: 'short' }).format(new Date(iso));

function firstMethod(methods: readonly SecondFactorMethod[]): SecondFactorMethod {
  if (methods.includes('totp')) return 'totp';
  if (methods.includes('email')) return 'email';
  return 'backup_code';
}

/**
 * The login's second step: the 6-digit code from the authenticator app, or a backup code, or a
 * code sent by e-mail. `onRestart` goes back to the password with why (an expired challenge,
 * a lockout).
 */
export function SecondFactorForm({
  challenge,
  onRestart,
  onDone,
}: {
  challenge: Challenge;
  onRestart: (reason: unknown) => void;
  onDone?: () => void;
}) {
  const text = useTwoFactorText();
  const locale = useLocale();
  const { completeSecondFactor } = useSession();
  const [method, setMethod] = useState<SecondFactorMethod>(() => firstMethod(challenge.methods));
  const [value, setValue] = useState('');
  const [sent, setSent] = useState<EmailCodeSent | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const { errors, error, busy, submit, clear } = useFormSubmit({
    validate: (): FieldErrors => {
      if (method === 'backup_code') {
        const typed = value.trim();
        if (typed === '') return { code: text.enterBackup };
        // Backup codes are `xxxxx-xxxxx`: anything much shorter or longer is not one.
        return BACKUP_CODE_LENGTH.test(typed) ? {} : { code: text.wrongBackup };
      }
      return SIX_DIGITS.test(normaliseCode(value)) ? {} : { code: text.sixDigits };
    },
    send: async () => {
      const proof =
        method === 'totp'
          ? { code: normaliseCode(value) }
          : method === 'email'
            ? { emailCode: normaliseCode(value) }
            : { backupCode: value.trim() };
      await completeSecondFactor(challenge.challenge, proof);
      setValue('');
      onDone?.();
    },
    failed: (reason): FormFailure => {
      if (challengeGone(reason)) {
        onRestart(
          reason instanceof ApiError && reason.code === 'account_locked'
            ? reason
            : new Error(text.challengeExpired),
        );
        return { fields: {}, error: null };
      }
      if (reason instanceof ApiError && reason.code === 'two_factor_code_invalid') {
        setValue('');
        const words =
          method === 'totp'
            ? text.wrongCode
            : method === 'email'
              ? text.wrongEmailCode
              : text.wrongBackup;
        return { fields: { code: words }, error: null };
      }
      return { fields: {}, error: reason };
    },
  });

  const choose = (next: SecondFactorMethod) => {
    setMethod(next);
    setValue('');
    clear();
  };

  const sendEmail = async () => {
    setSending(true);
    setSendError(null);
    try {
      setSent(await api.sendEmailCode(challenge.challenge));
      choose('email');
    } catch (reason) {
      if (challengeGone(reason)) onRestart(new Error(text.challengeExpired));
      else setSendError(reason);
    } finally {
      setSending(false);
    }
  };

  const canEmail = challenge.methods.includes('email');
  const digits = method !== 'backup_code';
  const label =
    method === 'totp' ? text.codeLabel : method === 'email' ? text.emailLabel : text.backupLabel;

  return (
    <div className="second-factor">
      <h2>{text.secondStepTitle}</h2>
      <p className="muted">{text.secondStepLead}</p>
      {method === 'email' && sent !== null && (
        <Notice tone="info">{text.sentTo(sent.sentTo, timeOf(sent.expiresAt, locale))}</Notice>
      )}
      <form
        className="form"
        onSubmit={(event) => void submit(event)}
        aria-label={text.secondStepTitle}
        noValidate
      >
        <TextField
          key={method}
          label={label}
          name={method === 'backup_code' ? 'backup-code' : 'one-time-code'}
          value={value}
          onChange={setValue}
          error={errors.code}
          hint={
            method === 'totp'
              ? text.codeHint
              : method === 'backup_code'
                ? text.backupHint
                : undefined
          }
          autoComplete={digits ? 'one-time-code' : 'off'}
          inputMode={digits ? 'numeric' : 'text'}
          pattern={digits ? '[0-9 ]*' : undefined}
          maxLength={digits ? 7 : 64}
          autoCapitalize="none"
          spellCheck={false}
          // The step has one field: the cursor goes straight to it.
          autoFocus
          required
        />
        <ErrorNotice error={error} />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? text.verifying : text.verify}
        </button>
      </form>
      <div className="second-factor-other">
        {method !== 'totp' && challenge.methods.includes('totp') && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              choose('totp');
            }}
          >
            {text.useApp}
          </button>
        )}
        {method !== 'backup_code' && challenge.methods.includes('backup_code') && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              choose('backup_code');
            }}
          >
            {text.useBackup}
          </button>
        )}
        {canEmail && method !== 'email' && sent !== null && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              choose('email');
            }}
          >
            {text.useEmail}
          </button>
        )}
        {canEmail && (
          <button
            type="button"
            className="link-button"
            disabled={sending}
            onClick={() => {
              void sendEmail();
            }}
          >
            {sending ? text.sending : sent === null ? text.sendEmail : text.sendAgain}
          </button>
        )}
        <ErrorNotice error={sendError} />
        <button
          type="button"
          className="link-button"
          onClick={() => {
            onRestart(null);
          }}
        >
          {text.startOver}
        </button>
      </div>
    </div>
  );
}
