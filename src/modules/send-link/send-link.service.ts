import type { Database } from '../../infra/db/database.js';
import { MailSendError, type Mailer } from '../../infra/mail/index.js';
import type { Actor } from '../../shared/actor.js';
import { AppError, notFound } from '../../shared/errors.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { ClientsRepo } from '../clients/clients.repo.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import { linkEmail, type LinkLanguage } from './link-message.js';
import { recipientDomain, sameAddress } from './recipient.js';

export interface SendLinkRequest {
  /** Another address than the client's; unset: the client's e-mail. */
  email?: string | undefined;
  language: LinkLanguage;
}

export interface LinkSent {
  /** The address the message went to. */
  to: string;
  language: LinkLanguage;
  /** Whether it was the client's own e-mail (from their record). */
  toClient: boolean;
}

interface Deps {
  database: Pick<Database, 'db'>;
  portraits: Pick<PortraitsRepo, 'findById'>;
  clients: Pick<ClientsRepo, 'findById'>;
  publicUrl: (slug: string) => string;
  /** null while `SMTP_URL` is unset. */
  mailer: Mailer | null;
  audit: Pick<AuditService, 'record'>;
  studioName: string;
}

export const mailNotConfigured = () =>
  new AppError(
    'mail_not_configured',
    409,
    'e-mail is not set up on this server (SMTP_URL and MAIL_FROM)',
  );

/** E-mails the public link of a portrait to its client (or to an address the studio gives). */
export function createSendLink({
  database,
  portraits,
  clients,
  publicUrl,
  mailer,
  audit,
  studioName,
}: Deps) {
  const { db } = database;

  /**
   * Sends the link and records `portrait.link.send` once the mail server accepted it; a refusal
   * is a 502 `mail_send_failed` (with the step it failed at) and records nothing.
   */
  async function send(
    portraitId: string,
    request: SendLinkRequest,
    actor: Actor,
  ): Promise<LinkSent> {
    const portrait = await portraits.findById(db, portraitId);
    if (portrait === undefined) throw notFound('portrait');
    if (mailer === null) throw mailNotConfigured();
    const client = await clients.findById(db, portrait.clientId);
    const given = request.email?.trim();
    const to = given !== undefined && given !== '' ? given : (client?.email ?? null);
    if (to === null || to === '')
      throw new AppError(
        'client_email_missing',
        422,
        'the client has no e-mail address: add one to the client or give `email`',
        { clientId: portrait.clientId },
      );
    const message = linkEmail(request.language, publicUrl(portrait.slug), studioName);
    try {
      await mailer.send({ to, ...message, language: request.language });
    } catch (error) {
      if (!(error instanceof MailSendError)) throw error;
      throw new AppError('mail_send_failed', 502, error.message, {
        stage: error.stage,
        smtpCode: error.smtpCode,
      });
    }
    const toClient = client?.email != null && sameAddress(client.email, to);
    await audit.record({
      action: 'portrait.link.send',
      ...byActor(actor),
      targetType: 'portrait',
      targetId: portraitId,
      details: {
        clientId: portrait.clientId,
        channel: 'email',
        language: request.language,
        toClient,
        recipientDomain: recipientDomain(to),
      },
    });
    return { to, language: request.language, toClient };
  }

  return { send, configured: mailer !== null };
}

export type SendLink = ReturnType<typeof createSendLink>;
