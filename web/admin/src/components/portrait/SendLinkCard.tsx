import { useId, useState, type SubmitEvent } from 'react';
import { api, type LinkSent } from '../../api';
import { useResource } from '../../hooks/useResource';
import { LOCALES, useLocale, type Locale } from '../../i18n';
import { CopyButton } from '../CopyButton';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { buyerMessage, shareLinks } from './buyerMessage';
import { useSendLinkText } from './sendLinkText';

/**
 * Handing the link to the buyer: the ready message (link + two steps) in the language chosen
 * here (the app's own by default: clients have no language on record) to copy or open in a
 * messenger, and the same by e-mail when the server has SMTP set up.
 */
export function SendLinkCard({
  portraitId,
  clientId,
  url,
}: {
  portraitId: string;
  clientId: string;
  url: string;
}) {
  const text = useSendLinkText();
  const appLocale = useLocale();
  const [chosen, setChosen] = useState<Locale | null>(null);
  const language = chosen ?? appLocale;
  const ids = { heading: useId(), language: useId(), message: useId(), email: useId() };
  const hintId = useId();
  const reasonId = useId();

  const system = useResource((signal) => api.systemInfo(signal), []);
  const client = useResource((signal) => api.getClient(clientId, signal), [clientId]);
  const clientEmail = client.data?.email ?? null;
  const [typed, setTyped] = useState<string | null>(null);
  const email = typed ?? clientEmail ?? '';
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<LinkSent | null>(null);
  const [error, setError] = useState<unknown>(null);

  const message = buyerMessage(language, url);
  const share = shareLinks(language, url);
  const mailConfigured = system.data?.mailConfigured ?? false;
  const blocked = system.data !== undefined && !mailConfigured;

  async function send(event: SubmitEvent) {
    event.preventDefault();
    setSending(true);
    setSent(null);
    setError(null);
    try {
      const address = email.trim();
      setSent(
        await api.sendLink(portraitId, {
          locale: language,
          ...(address === '' ? {} : { email: address }),
        }),
      );
    } catch (reason) {
      setError(reason);
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="send-link" aria-labelledby={ids.heading} data-testid="send-link">
      <h3 id={ids.heading}>{text.title}</h3>
      <div className="field">
        <label htmlFor={ids.language}>{text.language}</label>
        <select
          id={ids.language}
          value={language}
          onChange={(event) => {
            const value = LOCALES.find((locale) => locale === event.target.value);
            if (value !== undefined) setChosen(value);
          }}
        >
          {LOCALES.map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {text.languageNames[locale]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.message}>{text.message}</label>
        <textarea
          id={ids.message}
          readOnly
          rows={3}
          lang={language}
          value={message}
          data-testid="link-message"
          onFocus={(event) => {
            event.target.select();
          }}
        />
      </div>
      <div className="actions">
        <CopyButton text={message} label={text.copyMessage} />
        <span className="share-links">
          <span className="muted">{text.shareIn}</span>{' '}
          <a className="button" href={share.whatsapp} target="_blank" rel="noopener noreferrer">
            <span translate="no">WhatsApp</span>
            <span className="visually-hidden">{text.newTab}</span>
          </a>{' '}
          <a className="button" href={share.telegram} target="_blank" rel="noopener noreferrer">
            <span translate="no">Telegram</span>
            <span className="visually-hidden">{text.newTab}</span>
          </a>{' '}
          <a className="button" href={share.sms}>
            {text.sms}
          </a>
        </span>
      </div>
      <form className="send-link-email" onSubmit={(event) => void send(event)}>
        <div className="field">
          <label htmlFor={ids.email}>{text.emailLabel}</label>
          <input
            id={ids.email}
            type="email"
            autoComplete="off"
            value={email}
            aria-describedby={hintId}
            onChange={(event) => {
              setTyped(event.target.value);
            }}
          />
          <small id={hintId} className="hint">
            {client.data !== undefined && clientEmail === null
              ? text.noClientEmail
              : text.emailHint}
          </small>
        </div>
        <button
          type="submit"
          className="button"
          disabled={!mailConfigured || sending}
          aria-describedby={blocked ? reasonId : undefined}
        >
          {sending ? text.sending : text.send}
        </button>
        {blocked && (
          <p id={reasonId} className="hint" data-testid="mail-not-configured">
            {text.notConfigured}
          </p>
        )}
      </form>
      {sent !== null && <Notice tone="success">{text.sent(sent.to)}</Notice>}
      <ErrorNotice error={error} title={text.failed} />
    </section>
  );
}
