import { useEffect, useId, useState } from 'react';
import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { ExportCsvLink } from '../components/exports/ExportCsvLink';
import { useExportText } from '../components/exports/exportText';
import { SelectField, TextField } from '../components/Field';
import { Icon } from '../components/Icon';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { Pagination } from '../components/Pagination';
import { PortraitThumb } from '../components/PortraitThumb';
import { StatusBadge } from '../components/StatusBadge';
import { useCommonText } from '../components/commonText';
import { useOrdersText } from '../components/orders/ordersText';
import { useFormat } from '../format';
import { useDebounced } from '../hooks/useDebounced';
import { usePolling } from '../hooks/usePolling';
import { useResource } from '../hooks/useResource';
import { formatPhone } from '../phone';
import { usePortraitName } from '../portraitName';
import { Link, navigate, useLocation } from '../router';

const LIMIT = 20;
const STATUSES = ['', 'processing', 'ready', 'failed'] as const;
type StatusFilter = (typeof STATUSES)[number];

const isStatus = (value: string | null): value is StatusFilter =>
  STATUSES.some((item) => item === value);
const isDate = (value: string | null): value is string =>
  value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Orders, newest first, filtered by status and date; the filters live in the URL. */
export function OrdersPage() {
  const { search } = useLocation();
  const statusParam = search.get('status');
  const status: StatusFilter = isStatus(statusParam) ? statusParam : '';
  const from = isDate(search.get('from')) ? (search.get('from') ?? '') : '';
  const to = isDate(search.get('to')) ? (search.get('to') ?? '') : '';
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const captionId = useId();
  const findText = useExportText().text;
  const text = useOrdersText();
  const common = useCommonText();
  const format = useFormat();
  const portraitName = usePortraitName();
  const columns = text.columns;
  const statusOptions = STATUSES.map((value) => ({
    value,
    label: value === '' ? text.allStatuses : (common.status[value] ?? value),
  }));
  // The search is typed here and lands in the URL (`q`) once typing pauses, like the clients'.
  const q = search.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const settled = useDebounced(typed.trim(), 300);
  useEffect(() => {
    if ((search.get('q') ?? '') === settled) return;
    const next = new URLSearchParams(search);
    if (settled === '') next.delete('q');
    else next.set('q', settled);
    next.delete('offset');
    const query = next.toString();
    navigate(`/orders${query === '' ? '' : `?${query}`}`, { replace: true });
  }, [settled, search]);

  const setFilters = (changes: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === '' || value === '0') next.delete(key);
      else next.set(key, value);
    }
    if (!('offset' in changes)) next.delete('offset');
    const query = next.toString();
    navigate(`/orders${query === '' ? '' : `?${query}`}`, { replace: true });
  };

  const orders = useResource(
    (signal) =>
      api.listOrders(
        {
          ...(q !== '' ? { q } : {}),
          status,
          // Plain dates mean whole (UTC) days: from the start of `from` to the end of `to`.
          ...(from !== '' ? { from } : {}),
          ...(to !== '' ? { to } : {}),
          limit: LIMIT,
          offset,
        },
        signal,
      ),
    [q, status, from, to, offset],
  );
  const processing = orders.data?.items.some((order) => order.status === 'processing') ?? false;
  usePolling(orders.reload, 5000, processing);

  return (
    <section>
      <PageHeader title={text.title}>
        <ExportCsvLink
          path="/api/orders/export.csv"
          filters={{ q, status, from, to }}
          what="orders"
        />
        <Link to="/orders/new" className="button button-primary">
          <Icon name="upload" />
          {text.newOrder}
        </Link>
      </PageHeader>
      <form
        className="filters"
        role="search"
        aria-label={text.filters}
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <TextField
          label={findText.searchOrders}
          name="q"
          type="search"
          value={typed}
          onChange={setTyped}
          autoComplete="off"
          placeholder={findText.searchOrdersPlaceholder}
        />
        <SelectField
          label={text.status}
          name="status"
          value={status}
          options={statusOptions}
          onChange={(value) => {
            setFilters({ status: value });
          }}
        />
        <TextField
          label={text.from}
          name="from"
          type="date"
          value={from}
          onChange={(value) => {
            setFilters({ from: value });
          }}
        />
        <TextField
          label={text.to}
          name="to"
          type="date"
          value={to}
          onChange={(value) => {
            setFilters({ to: value });
          }}
        />
      </form>
      {orders.loading && <Loading what={text.loadingList} />}
      <ErrorNotice error={orders.error} />
      {orders.data !== undefined && (
        <>
          <p className="muted" id={captionId} aria-live="polite">
            {orders.data.total === 0 ? text.noMatch : text.count(orders.data.total)}
          </p>
          {orders.data.items.length > 0 && (
            <div className="table-wrap">
              <table className="table-cards" aria-describedby={captionId}>
                <thead>
                  <tr>
                    <th scope="col">{columns.order}</th>
                    <th scope="col">{columns.portrait}</th>
                    <th scope="col">{columns.client}</th>
                    <th scope="col">{columns.status}</th>
                    <th scope="col">{columns.created}</th>
                  </tr>
                </thead>
                <tbody>
                  {orders.data.items.map((order) => (
                    <tr key={order.id} data-order-id={order.id}>
                      <td data-label={columns.order}>
                        <Link to={`/orders/${order.id}`} className="strong">
                          <span translate="no">{order.number}</span>
                        </Link>
                      </td>
                      <td data-label={columns.portrait}>
                        <PortraitThumb
                          portraitId={order.portrait.id}
                          thumbnailUrl={order.portrait.thumbnailUrl}
                          alt={portraitName(order.client.name, order.createdAt)}
                          size={48}
                        />
                      </td>
                      <td data-label={columns.client}>
                        <div>
                          <Link to={`/clients/${order.client.id}`}>{order.client.name}</Link>
                          <div className="muted">{formatPhone(order.client.phone)}</div>
                        </div>
                      </td>
                      <td data-label={columns.status}>
                        <StatusBadge status={order.status} />
                      </td>
                      <td data-label={columns.created}>{format.dateTime(order.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination
            total={orders.data.total}
            limit={LIMIT}
            offset={offset}
            onChange={(value) => {
              setFilters({ offset: String(value) });
            }}
          />
        </>
      )}
    </section>
  );
}
