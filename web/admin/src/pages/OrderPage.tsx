import { api, type OrderAccepted, type OrderDetail } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { OrderResultNotice } from '../components/OrderResultNotice';
import { NotesCard } from '../components/notes/NotesCard';
import { PageHeader } from '../components/PageHeader';
import { PortraitView } from '../components/portrait/PortraitView';
import { StatusBadge } from '../components/StatusBadge';
import { useOrdersText } from '../components/orders/ordersText';
import { useFormat } from '../format';
import { usePortrait } from '../hooks/usePortrait';
import { useResource } from '../hooks/useResource';
import { formatPhone } from '../phone';
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
    notes: null,
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
  const text = useOrdersText();
  const format = useFormat();

  return (
    <section>
      <PageHeader
        title={data !== undefined ? text.orderNumber(data.number) : text.order}
        subtitle={
          data !== undefined && (
            <>
              <Link to={`/clients/${data.client.id}`}>{data.client.name}</Link> ·{' '}
              {formatPhone(data.client.phone)} · {format.dateTime(data.createdAt)}{' '}
              {status !== undefined && <StatusBadge status={status} />}
            </>
          )
        }
      />
      {accepted !== null && <OrderResultNotice accepted={accepted} portrait={portrait.data} />}
      {order.loading && data === undefined && <Loading what={text.loadingOrder} />}
      {data === undefined && <ErrorNotice error={order.error} />}
      <ErrorNotice error={portrait.error} />
      {/* Above the portrait: what the studio noted is what an operator needs first. */}
      {order.data !== undefined && (
        <NotesCard
          key={order.data.id}
          kind="order"
          notes={order.data.notes}
          save={(notes) => api.setOrderNotes(orderId, notes)}
        />
      )}
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
