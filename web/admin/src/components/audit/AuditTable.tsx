import type { AuditEntry } from '../../api';
import type { Locale } from '../../i18n';
import { Link } from '../../router';
import type { AuditText } from './auditText';
import { actionLabel, entityLabel } from './auditVocabulary';

/** Entities the admin app has a page for. */
const PAGES: Readonly<Record<string, string>> = {
  client: '/clients/',
  portrait: '/portraits/',
  order: '/orders/',
};

function Who({ actor, text }: { actor: AuditEntry['actor']; text: AuditText }) {
  if (actor.kind === 'system') return <span className="muted">{text.system}</span>;
  if (actor.kind === 'anonymous') return <span className="muted">{text.anonymous}</span>;
  return (
    <div>
      <strong>{actor.username ?? text.unknownUser}</strong>
      {actor.username === null && actor.userId !== null && (
        <div className="muted code">{actor.userId}</div>
      )}
      {actor.kind === 'api_key' && (
        <div className="muted">{text.viaKey(actor.apiKeyName ?? actor.apiKeyId ?? '?')}</div>
      )}
    </div>
  );
}

function Entity({ entity, locale }: { entity: AuditEntry['entity']; locale: Locale }) {
  if (entity === null) return <span className="muted">—</span>;
  const page = PAGES[entity.type];
  return (
    <div>
      {entityLabel(entity.type, locale)}
      {entity.id !== null && (
        <div className="code audit-id">
          {page === undefined ? (
            entity.id
          ) : (
            <Link to={`${page}${encodeURIComponent(entity.id)}`}>{entity.id}</Link>
          )}
        </div>
      )}
    </div>
  );
}

/** Parsed JSON: a string as it is, anything else as JSON. */
const shown = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

function Details({ details }: { details: AuditEntry['details'] }) {
  if (details === null || Object.keys(details).length === 0) {
    return <span className="muted">—</span>;
  }
  return (
    <dl className="audit-details">
      {Object.entries(details).map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{shown(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The entries as a table (labelled cards on a phone); text only, never markup from the log. */
export function AuditTable({
  entries,
  captionId,
  text,
  locale,
  time,
}: {
  entries: readonly AuditEntry[];
  captionId: string;
  text: AuditText;
  locale: Locale;
  time: (iso: string) => string;
}) {
  return (
    <div className="table-wrap">
      <table className="table-cards audit-table" aria-describedby={captionId}>
        <thead>
          <tr>
            <th scope="col">{text.time}</th>
            <th scope="col">{text.who}</th>
            <th scope="col">{text.action}</th>
            <th scope="col">{text.entity}</th>
            <th scope="col">{text.where}</th>
            <th scope="col">{text.details}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-audit-seq={entry.seq} data-action={entry.action}>
              <td data-label={text.time}>
                <time dateTime={entry.at}>{time(entry.at)}</time>
                <div className="muted">#{entry.seq}</div>
              </td>
              <td data-label={text.who}>
                <Who actor={entry.actor} text={text} />
              </td>
              <td data-label={text.action}>
                <div>
                  {actionLabel(entry.action, locale)}
                  <div className="muted code">{entry.action}</div>
                </div>
              </td>
              <td data-label={text.entity}>
                <Entity entity={entry.entity} locale={locale} />
              </td>
              <td data-label={text.where}>
                <span className="code">{entry.ip ?? '—'}</span>
              </td>
              <td data-label={text.details}>
                <Details details={entry.details} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
