import { useEffect, useId, useState } from 'react';
import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { ExportCsvLink } from '../components/exports/ExportCsvLink';
import { TextField } from '../components/Field';
import { Flash } from '../components/Flash';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PhoneCollisionsNotice } from '../components/clients/PhoneCollisionsNotice';
import { Pagination } from '../components/Pagination';
import { useClientsText } from '../components/clients/clientsText';
import { useFormat } from '../format';
import { useDebounced } from '../hooks/useDebounced';
import { useResource } from '../hooks/useResource';
import { formatPhone } from '../phone';
import { Link, navigate, useLocation } from '../router';

const LIMIT = 25;

/** Clients, searched by name or phone (partial) as you type; the search lives in the URL. */
export function ClientsPage() {
  const { search } = useLocation();
  const [typed, setTyped] = useState(() => search.get('q') ?? '');
  const q = useDebounced(typed.trim(), 300);
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const captionId = useId();
  const text = useClientsText();
  const format = useFormat();
  const columns = text.columns;

  useEffect(() => {
    if ((search.get('q') ?? '') === q) return;
    navigate(q === '' ? '/clients' : `/clients?q=${encodeURIComponent(q)}`, { replace: true });
  }, [q, search]);

  const clients = useResource(
    (signal) => api.listClients({ ...(q !== '' ? { q } : {}), limit: LIMIT, offset }, signal),
    [q, offset],
  );

  return (
    <section>
      <PageHeader title={text.title}>
        <ExportCsvLink path="/api/clients/export.csv" filters={{ q }} what="clients" />
      </PageHeader>
      <Flash />
      <PhoneCollisionsNotice onMerged={clients.reload} />
      <form
        className="filters"
        role="search"
        aria-label={text.searchLabel}
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <TextField
          label={text.search}
          name="q"
          type="search"
          value={typed}
          onChange={setTyped}
          autoComplete="off"
          placeholder={text.searchPlaceholder}
        />
      </form>
      {clients.loading && <Loading what={text.loadingList} />}
      <ErrorNotice error={clients.error} />
      {clients.data !== undefined && (
        <>
          <p className="muted" id={captionId} aria-live="polite">
            {clients.data.total === 0
              ? q === ''
                ? text.noneYet
                : text.noMatch
              : text.count(clients.data.total)}
          </p>
          {clients.data.items.length > 0 && (
            <div className="table-wrap">
              <table className="table-cards" aria-describedby={captionId}>
                <thead>
                  <tr>
                    <th scope="col">{columns.name}</th>
                    <th scope="col">{columns.phone}</th>
                    <th scope="col">{columns.email}</th>
                    <th scope="col">{columns.portraits}</th>
                    <th scope="col">{columns.since}</th>
                  </tr>
                </thead>
                <tbody>
                  {clients.data.items.map((client) => (
                    <tr key={client.id} data-client-id={client.id}>
                      <td data-label={columns.name}>
                        <Link to={`/clients/${client.id}`} className="strong">
                          {client.name}
                        </Link>
                      </td>
                      <td data-label={columns.phone}>{formatPhone(client.phone)}</td>
                      <td data-label={columns.email}>{client.email ?? '—'}</td>
                      <td data-label={columns.portraits}>{format.number(client.portraitCount)}</td>
                      <td data-label={columns.since}>{format.date(client.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination
            total={clients.data.total}
            limit={LIMIT}
            offset={offset}
            onChange={(value) => {
              const next = new URLSearchParams(search);
              next.set('offset', String(value));
              navigate(`/clients?${next.toString()}`, { replace: true });
            }}
          />
        </>
      )}
    </section>
  );
}
