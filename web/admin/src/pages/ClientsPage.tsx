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
import { formatDate } from '../format';
import { useDebounced } from '../hooks/useDebounced';
import { useResource } from '../hooks/useResource';
import { formatPhone } from '../phone';
import { Link, navigate, useLocation } from '../router';

const LIMIT = 25;

/** Clients, searched by name or phone (partial) as you type; the search lives in the URL. */
export function ClientsPage() {
  const { search } = useLocation();
  const [text, setText] = useState(() => search.get('q') ?? '');
  const q = useDebounced(text.trim(), 300);
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const captionId = useId();

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
      <PageHeader title="Clients">
        <ExportCsvLink path="/api/clients/export.csv" filters={{ q }} what="clients" />
      </PageHeader>
      <Flash />
      <PhoneCollisionsNotice onMerged={clients.reload} />
      <form
        className="filters"
        role="search"
        aria-label="Search clients"
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <TextField
          label="Search by name or phone"
          name="q"
          type="search"
          value={text}
          onChange={setText}
          autoComplete="off"
          placeholder="e.g. Anna or 999 12"
        />
      </form>
      {clients.loading && <Loading what="Loading clients" />}
      <ErrorNotice error={clients.error} />
      {clients.data !== undefined && (
        <>
          <p className="muted" id={captionId} aria-live="polite">
            {clients.data.total === 0
              ? q === ''
                ? 'No clients yet: they are created with their first order.'
                : 'No client matches.'
              : `${clients.data.total} client${clients.data.total === 1 ? '' : 's'}`}
          </p>
          {clients.data.items.length > 0 && (
            <div className="table-wrap">
              <table className="table-cards" aria-describedby={captionId}>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Phone</th>
                    <th scope="col">E-mail</th>
                    <th scope="col">Portraits</th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  {clients.data.items.map((client) => (
                    <tr key={client.id} data-client-id={client.id}>
                      <td data-label="Name">
                        <Link to={`/clients/${client.id}`} className="strong">
                          {client.name}
                        </Link>
                      </td>
                      <td data-label="Phone">{formatPhone(client.phone)}</td>
                      <td data-label="E-mail">{client.email ?? '—'}</td>
                      <td data-label="Portraits">{client.portraitCount}</td>
                      <td data-label="Since">{formatDate(client.createdAt)}</td>
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
