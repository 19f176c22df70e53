/**
 * Sending e-mail, whatever it says: a link to a buyer today, a sign-in code tomorrow. A module
 * that mails builds its own words (see `layout.ts` for the plain-text + HTML pair) and hands
 * them to a `Mailer`; only the SMTP implementation knows how they travel.
 */

/** One message to one person. */
export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text body: every client shows it, and it is the HTML's fallback. */
  text: string;
  /** A simple HTML body (no external images, styles or scripts); optional. */
  html?: string;
  /** The message's language (`Content-Language`), e.g. `ru`. */
  language?: string;
}

/** The server took the message for delivery (it may still bounce later). */
export interface MailSent {
  messageId: string;
}

/** At which step the server or the connection refused: tells the reader what to fix. */
export type MailFailureStage = 'connection' | 'auth' | 'recipient' | 'message';

/**
 * Sending failed. Carries no address, password or server reply text (those may hold personal
 * data or secrets): only the step and the SMTP status code, safe to log and to answer with.
 */
export class MailSendError extends Error {
  constructor(
    readonly stage: MailFailureStage,
    readonly smtpCode: number | null,
  ) {
    super(
      `the mail server refused the message at the ${stage} step` +
        (smtpCode === null ? '' : ` (SMTP ${smtpCode})`),
    );
    this.name = 'MailSendError';
  }
}

export interface Mailer {
  /** Resolves once the server accepted the message; rejects with `MailSendError`. */
  send(message: MailMessage): Promise<MailSent>;
  /** Closes pooled connections (on shutdown). */
  close(): void;
}

/** `SMTP_URL` and `MAIL_FROM` (config.ts); unset: the installation sends no e-mail. */
export interface MailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS). A secret. */
  smtpUrl: string;
  /** The sender, `Studio <noreply@studio.example>` or a bare address. */
  from: string;
  /** Connection, greeting and socket timeouts, so a dead server cannot hold a request. */
  timeoutMs: number;
}
