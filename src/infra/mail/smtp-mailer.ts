import { createTransport } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import {
  MailSendError,
  type MailFailureStage,
  type Mailer,
  type MailMessage,
  type MailSent,
  type MailSettings,
} from './mailer.js';

/** What nodemailer puts on its errors (all optional: a socket error has none of the SMTP ones). */
interface SmtpErrorFields {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

/** Nodemailer's error, as a step and a status code only (its text may quote the address). */
export function mailFailure(error: unknown): MailSendError {
  const fields: SmtpErrorFields = typeof error === 'object' && error !== null ? error : {};
  const smtpCode = typeof fields.responseCode === 'number' ? fields.responseCode : null;
  const command = typeof fields.command === 'string' ? fields.command.toUpperCase() : '';
  let stage: MailFailureStage;
  if (fields.code === 'EAUTH' || command.startsWith('AUTH')) stage = 'auth';
  else if (command.startsWith('RCPT') || fields.code === 'EENVELOPE') stage = 'recipient';
  else if (command === 'DATA' || command === 'MAIL FROM' || fields.code === 'EMESSAGE')
    stage = 'message';
  else stage = 'connection';
  return new MailSendError(stage, smtpCode);
}

/**
 * The `Mailer` over SMTP (nodemailer): `smtp://` upgrades with STARTTLS when the server offers
 * it, `smtps://` is TLS from the start; credentials come from the URL. One transport is made
 * per process and reused.
 */
export function createSmtpMailer(settings: MailSettings): Mailer {
  const options: SMTPTransport.Options = {
    url: settings.smtpUrl,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    // Never nodemailer's own logger: it would print the conversation, addresses included.
    logger: false,
    debug: false,
  };
  const transport = createTransport(options, { from: settings.from });

  async function send(message: MailMessage): Promise<MailSent> {
    try {
      const info = await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        headers: {
          'Auto-Submitted': 'auto-generated',
          ...(message.language === undefined ? {} : { 'Content-Language': message.language }),
        },
      });
      return { messageId: info.messageId };
    } catch (error) {
      throw mailFailure(error);
    }
  }

  return {
    send,
    close: () => {
      transport.close();
    },
  };
}
