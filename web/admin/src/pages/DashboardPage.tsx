import { api } from '../api';
import { AnalyticsPanel } from '../components/AnalyticsPanel';
import { useDashboardText } from '../components/dashboard/dashboardText';
import { ErrorNotice } from '../components/ErrorNotice';
import { Icon } from '../components/Icon';
import { CountLine } from '../components/CountLine';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { StatusBadge } from '../components/StatusBadge';
import { useFormat } from '../format';
import { usePolling } from '../hooks/usePolling';
import { useResource } from '../hooks/useResource';
import { Link } from '../router';

export function DashboardPage() {
  const text = useDashboardText();
  const format = useFormat();
  const dashboard = useResource((signal) => api.dashboard(signal), []);
  // Work in progress changes by itself: refresh while anything is queued or running.
  const busy =
    dashboard.data !== undefined &&
    dashboard.data.jobs.queued + dashboard.data.jobs.running + dashboard.data.portraits.processing >
      0;
  usePolling(dashboard.reload, 5000, busy);
  const data = dashboard.data;

  return (
    <section>
      <PageHeader title={text.title}>
        <Link to="/orders/new" className="button button-primary">
          <Icon name="upload" />
          {text.newOrder}
        </Link>
      </PageHeader>
      {dashboard.loading && <Loading what={text.loading} />}
      <ErrorNotice error={dashboard.error} />
      {data !== undefined && (
        <>
          <dl className="stats">
            <StatCard label={text.orders} value={format.number(data.counts.orders)} />
            <StatCard label={text.clients} value={format.number(data.counts.clients)} />
            <StatCard label={text.portraits} value={format.number(data.counts.portraits)} />
            <StatCard label={text.videos} value={format.number(data.counts.videos)} />
            <StatCard label={text.storage} value={format.bytes(data.storageBytes)} />
            <StatCard
              label={text.viewsToday}
              value={format.number(data.views.today)}
              note={text.viewsWeek(data.views.last7Days, format.number(data.views.last7Days))}
            />
          </dl>
          <div className="grid-2">
            <section className="card" aria-labelledby="work-heading">
              <h2 id="work-heading">{text.work}</h2>
              <ul className="plain-list">
                <CountLine
                  status="processing"
                  label={text.portraitsPreparing}
                  count={data.portraits.processing}
                />
                <CountLine
                  status="ready"
                  label={text.portraitsReady}
                  count={data.portraits.ready}
                />
                <CountLine
                  status="failed"
                  label={text.portraitsAttention}
                  count={data.portraits.failed}
                />
                {/* Queued or running is the same to a person: it is being prepared. */}
                <CountLine
                  status="running"
                  label={text.workPreparing}
                  count={data.jobs.queued + data.jobs.running}
                />
                <CountLine status="failed" label={text.workAttention} count={data.jobs.failed} />
              </ul>
              {data.portraits.failed > 0 && (
                <p>
                  <Link to="/orders?status=failed">{text.seeFailed}</Link>
                </p>
              )}
            </section>
            <section className="card" aria-labelledby="recent-heading">
              <h2 id="recent-heading">{text.recent}</h2>
              {data.recentOrders.length === 0 ? (
                <p>
                  {text.noOrders} <Link to="/orders/new">{text.firstOrder}</Link>.
                </p>
              ) : (
                <ul className="plain-list recent-orders">
                  {data.recentOrders.map((order) => (
                    <li key={order.id}>
                      <Link to={`/orders/${order.id}`}>
                        <strong translate="no">{order.number}</strong> · {order.clientName}
                      </Link>
                      <span className="muted"> {format.dateTime(order.createdAt)} </span>
                      <StatusBadge status={order.status} />
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <Link to="/orders">{text.allOrders}</Link>
              </p>
            </section>
          </div>
        </>
      )}
      <AnalyticsPanel
        title={text.viewsAll}
        load={(range, signal) => api.analyticsSummary(range, signal)}
        loadTop={(range, signal) => api.topPortraits(range, signal)}
        csv={{}}
      />
    </section>
  );
}
