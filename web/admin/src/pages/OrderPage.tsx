import { api, type OrderAccepted, type OrderDetail } from '../api';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PortraitView } from '../components/portrait/PortraitView';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime } from '../format';
import { usePortrait } from '../hooks/usePortrait';
import { useResource } from '../hooks/useResource';
import { Link, useLocation } from '../router';

/** The answer of `POST /api/orders`, handed over by the new-order page. */
function acceptedFrom(state: unknown, orderId: string): OrderAccepted | null {
  if (typeof state !== 'object' || state === null || !('accepted' in state)) return null;
  const accepted = (state as { accepted: OrderAccepted }).accepted;
  return accepted.order.id === orderId ? accepted : null;
}

function summaryOf(accepted: OrderAccepted): OrderDetail {
  return {
    id: accepted.order.id,
    number: accepted.order.number,
    status: accepted.order.status,
    createdAt: new Date().toISOString(),
    client: { id: accepted.client.id, name: accepted.client.name, phone: accepted.client.phone },
    portrait: {
      id: accepted.portrait.id,
      slug: accepted.portrait.slug,
      status: accepted.portrait.status,
      publicUrl: accepted.portrait.publicUrl,
      thumbnailUrl: null,
    },
    createdBy: null,
  };
}

/** One order: its number and client, then its portrait (status updates without reload). */
export function OrderPage({ orderId }: { orderId: string }) {
  const { state } = useLocation();
  const accepted = acceptedFrom(state, orderId);
  const order = useResource(
    (signal) =>
      accepted !== null
        ? api.getOrder(orderId, signal).catch(() => summaryOf(accepted))
        : api.getOrder(orderId, signal),
    [orderId],
  );
  const data = order.data ?? (accepted !== null ? summaryOf(accepted) : undefined);
  const portrait = usePortrait(data?.portrait.id);
  const status = portrait.data?.status ?? data?.status;

  return (
    <section>
      <PageHeader
        title={data !== undefined ? `Order ${data.number}` : 'Order'}
        subtitle={
          data !== undefined && (
            <>
              <Link to={`/clients/${data.client.id}`}>{data.client.name}</Link> ·{' '}
              {data.client.phone} · {formatDateTime(data.createdAt)}{' '}
              {status !== undefined && <StatusBadge status={status} />}
            </>
          )
        }
      />
      {accepted !== null && (
        <Notice tone="success">
          Order {accepted.order.number} created
          {accepted.client.created
            ? ` with a new client, ${accepted.client.name}.`
            : ` for the existing client ${accepted.client.name} (same phone).`}
        </Notice>
      )}
      {order.loading && data === undefined && <Loading what="Loading the order" />}
      {data === undefined && <ErrorNotice error={order.error} />}
      <ErrorNotice error={portrait.error} />
      {portrait.data !== undefined && data !== undefined && (
        <PortraitView
          portrait={portrait.data}
          clientName={data.client.name}
          reload={portrait.reload}
        />
      )}
    </section>
  );
}
