export {
  MailSendError,
  type MailFailureStage,
  type Mailer,
  type MailMessage,
  type MailSent,
  type MailSettings,
} from './mailer.js';
export { escapeHtml, mailHtml, mailText, type MailParts } from './layout.js';
export { createSmtpMailer } from './smtp-mailer.js';
