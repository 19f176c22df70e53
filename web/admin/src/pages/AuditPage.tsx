import { useId } from 'react';
import { api, type AuditListQuery, type AuditPage as AuditPageData } from '../api';
import {
  AuditFilters,
  type AuditFilterValues,
  type FilterKey,
} from '../components/audit/AuditFilters';
import { AuditTable } from '../components/audit/AuditTable';
import { useAuditText } from '../components/audit/auditText';
import { VerifyChain } from '../components/audit/VerifyChain';
import { AdminOnlyPage, useIsAdmin } from '../components/AdminOnlyPage';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { Pagination } from '../components/Pagination';
import { useResource } from '../hooks/useResource';
import { navigate, useLocation } from '../router';

const LIMIT = 25;
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const MINUTE_MS = 60_000;

function filtersOf(search: URLSearchParams): AuditFilterValues {
  const value = (key: FilterKey) => search.get(key) ?? '';
  const time = (key: 'from' | 'to') => (LOCAL_TIME.test(value(key)) ? value(key) : '');
  return {
    actor: value('actor'),
    action: value('action'),
    entityType: value('entityType'),
    entityId: value('entityId'),
    from: time('from'),
    to: time('to'),
  };
}

/** A `datetime-local` value (this browser's time zone) as the instant it names. */
const instant = (local: string, plusMs = 0): string =>
  new Date(new Date(local).getTime() + plusMs).toISOString();

/** The API's query: only the filters that are set; `to` includes its whole minute. */
function queryOf(filters: AuditFilterValues): AuditListQuery {
  const { actor, action, entityType, entityId, from, to } = filters;
  return {
    ...(actor !== '' ? { actor } : {}),
    ...(action !== '' ? { action } : {}),
    ...(entityType !== '' ? { entityType } : {}),
    ...(entityId !== '' ? { entityId } : {}),
    ...(from !== '' ? { from: instant(from) } : {}),
    ...(to !== '' ? { to: instant(to, MINUTE_MS - 1) } : {}),
  };
}

/**
 * The audit log (admins): who did what, to what, when and from where, newest first, with
 * filters kept in the URL, and a check of the hash chain. In Russian or English.
 */
export function AuditPage() {
  const admin = useIsAdmin();
  const { locale, text, time } = useAuditText();
  const { search } = useLocation();
  const filters = filtersOf(search);
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const captionId = useId();
  const query = queryOf(filters);
  const key = JSON.stringify(query);

  const entries = useResource(
    (signal): Promise<AuditPageData | null> =>
      admin ? api.listAudit({ ...query, limit: LIMIT, offset }, signal) : Promise.resolve(null),
    [admin, key, offset],
  );

  const setFilters = (changes: Partial<Record<FilterKey | 'offset', string>>) => {
    const next = new URLSearchParams(search);
    for (const [name, value] of Object.entries(changes)) {
      if (value === '' || value === '0') next.delete(name);
      else next.set(name, value);
    }
    if (!('offset' in changes)) next.delete('offset');
    const textQuery = next.toString();
    navigate(`/audit${textQuery === '' ? '' : `?${textQuery}`}`, { replace: true });
  };

  const data = entries.data ?? null;
  return (
    <AdminOnlyPage locale={locale} text={text}>
      <VerifyChain text={text} time={time} />
      <AuditFilters values={filters} onChange={setFilters} text={text} locale={locale} />
      {entries.loading && <Loading what={text.loading} />}
      <ErrorNotice error={entries.error} />
      {data !== null && (
        <>
          <p className="muted" id={captionId} aria-live="polite" data-testid="audit-count">
            {text.count(data.total)}
          </p>
          {data.items.length > 0 && (
            <AuditTable
              entries={data.items}
              captionId={captionId}
              text={text}
              locale={locale}
              time={time}
            />
          )}
          <Pagination
            total={data.total}
            limit={LIMIT}
            offset={offset}
            labels={{
              nav: text.pages,
              previous: text.previous,
              next: text.next,
              page: text.page,
            }}
            onChange={(value) => {
              setFilters({ offset: String(value) });
            }}
          />
        </>
      )}
    </AdminOnlyPage>
  );
}
