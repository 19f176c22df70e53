import type { Mailer } from '../../infra/mail/index.js';
import type { UserLocale } from '../../infra/db/schema.js';
import { emailCodeMessage } from './email-code-message.js';

/** Where a one-time sign-in code is delivered to a person. */
export interface SecondFactorDelivery {
  /** The account's address (e-mail) or number (SMS). */
  to: string;
  code: string;
  /** Minutes the code stays valid (said in the message). */
  validMinutes: number;
  locale: UserLocale;
}

/**
 * A way to send a one-time sign-in code: e-mail today. An SMS channel is this interface over a
 * provider's API (none is configured; docs/security.md says how to add one).
 */
export interface SecondFactorChannel {
  readonly method: 'email' | 'sms';
  /** Resolves once the provider took the message; rejects when it refused. */
  deliver(delivery: SecondFactorDelivery): Promise<void>;
}

/** Codes by e-mail over the installation's SMTP mailer (`SMTP_URL`, `MAIL_FROM`). */
export function emailChannel(mailer: Mailer, studioName: string): SecondFactorChannel {
  return {
    method: 'email',
    async deliver({ to, code, validMinutes, locale }) {
      const message = emailCodeMessage(locale, code, validMinutes, studioName);
      await mailer.send({ to, ...message, language: locale });
    },
  };
}

/** `a***@example.com`: enough for the person to recognise the address, not to learn it. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address.charAt(0)}***${address.slice(at)}`;
}
