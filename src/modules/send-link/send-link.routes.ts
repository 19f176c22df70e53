import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import { SafeText } from '../../http/schema-helpers.js';
import type { UserLocale } from '../../infra/db/schema.js';
import type { RequireRole } from '../auth/auth.guard.js';
import { authOf } from '../auth/auth.guard.js';
import { PortraitIdParams } from '../portraits/portraits.schemas.js';
import { resolveLocale } from '../users/account-locale.js';
import { LINK_LANGUAGES } from './link-message.js';
import type { SendLink } from './send-link.service.js';

const Locale = Type.Union(
  LINK_LANGUAGES.map((locale) => Type.Literal(locale)),
  { description: 'Language of the e-mail' },
);

const SendLinkBody = Type.Object(
  {
    email: Type.Optional(
      SafeText({
        format: 'email',
        maxLength: 254,
        description: "Send to this address instead of the client's e-mail",
      }),
    ),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);

const LinkSentSchema = Type.Object(
  {
    to: Type.String({ description: 'The address the message went to' }),
    locale: Locale,
    toClient: Type.Boolean({ description: "The client's own e-mail (from their record)" }),
  },
  { title: 'LinkSent' },
);

export interface SendLinkRoutesDeps {
  requireRole: RequireRole;
  sendLink: SendLink;
  /** `DEFAULT_LOCALE`, after the user's saved choice and `Accept-Language`. */
  defaultLocale: UserLocale;
}

/** Sending the public link to the buyer (issue 12): by e-mail when SMTP is configured. */
export function sendLinkRoutes({
  requireRole,
  sendLink,
  defaultLocale,
}: SendLinkRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/portraits/:id/send-link',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['portraits'],
          summary: 'E-mail the public link with a two-line instruction to the client',
          description:
            "Sends the portrait's public link, how to open it and to point the phone at the " +
            "print, in `locale` (default: the sender's language: saved choice, " +
            "`Accept-Language`, `DEFAULT_LOCALE`), to `email` or else the client's e-mail. " +
            "Audited as `portrait.link.send` with the recipient's domain, not the address. " +
            '409 `mail_not_configured` while `SMTP_URL` is unset (`GET /api/system/info` ' +
            '`mailConfigured`); 422 `client_email_missing` when there is no address; 502 ' +
            '`mail_send_failed` when the mail server refuses (`details.stage`: connection, ' +
            'auth, recipient or message; nothing is recorded).',
          security: AUTHENTICATED,
          params: PortraitIdParams,
          body: SendLinkBody,
          response: {
            200: LinkSentSchema,
            ...AUTH_ERRORS,
            404: ErrorBody,
            409: ErrorBody,
            422: ErrorBody,
            502: ErrorBody,
          },
        },
      },
      async (request) => {
        const locale =
          request.body.locale ??
          resolveLocale(
            authOf(request).user.locale,
            request.headers['accept-language'],
            defaultLocale,
          ).locale;
        const sent = await sendLink.send(
          request.params.id,
          { email: request.body.email, language: locale },
          actorOf(request),
        );
        return { to: sent.to, locale: sent.language, toClient: sent.toClient };
      },
    );
  };
}
