import { api } from '../api';
import { AnalyticsPanel } from '../components/AnalyticsPanel';
import { ErrorNotice } from '../components/ErrorNotice';
import { Icon } from '../components/Icon';
import { CountLine } from '../components/CountLine';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { StatusBadge } from '../components/StatusBadge';
import { formatBytes, formatDateTime, formatNumber } from '../format';
import { usePolling } from '../hooks/usePolling';
import { useResource } from '../hooks/useResource';
import { Link } from '../router';

export function DashboardPage() {
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
      <PageHeader title="Dashboard">
        <Link to="/orders/new" className="button button-primary">
          <Icon name="upload" />
          New order
        </Link>
      </PageHeader>
      {dashboard.loading && <Loading what="Loading the dashboard" />}
      <ErrorNotice error={dashboard.error} />
      {data !== undefined && (
        <>
          <dl className="stats">
            <StatCard label="Orders" value={formatNumber(data.counts.orders)} />
            <StatCard label="Clients" value={formatNumber(data.counts.clients)} />
            <StatCard label="Portraits" value={formatNumber(data.counts.portraits)} />
            <StatCard label="Videos" value={formatNumber(data.counts.videos)} />
            <StatCard label="Storage used" value={formatBytes(data.storageBytes)} />
            <StatCard
              label="Views today"
              value={formatNumber(data.views.today)}
              note={`${formatNumber(data.views.last7Days)} in the last 7 days`}
            />
          </dl>
          <div className="grid-2">
            <section className="card" aria-labelledby="work-heading">
              <h2 id="work-heading">Processing</h2>
              <ul className="plain-list">
                <CountLine
                  status="processing"
                  label="Portraits processing"
                  count={data.portraits.processing}
                />
                <CountLine status="ready" label="Portraits ready" count={data.portraits.ready} />
                <CountLine status="failed" label="Portraits failed" count={data.portraits.failed} />
                <CountLine status="queued" label="Jobs queued" count={data.jobs.queued} />
                <CountLine status="running" label="Jobs running" count={data.jobs.running} />
                <CountLine status="failed" label="Jobs failed" count={data.jobs.failed} />
              </ul>
              {data.portraits.failed > 0 && (
                <p>
                  <Link to="/orders?status=failed">See the failed orders</Link>
                </p>
              )}
            </section>
            <section className="card" aria-labelledby="recent-heading">
              <h2 id="recent-heading">Recent orders</h2>
              {data.recentOrders.length === 0 ? (
                <p>
                  No orders yet. <Link to="/orders/new">Create the first one</Link>.
                </p>
              ) : (
                <ul className="plain-list recent-orders">
                  {data.recentOrders.map((order) => (
                    <li key={order.id}>
                      <Link to={`/orders/${order.id}`}>
                        <strong>{order.number}</strong> · {order.clientName}
                      </Link>
                      <span className="muted"> {formatDateTime(order.createdAt)} </span>
                      <StatusBadge status={order.status} />
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <Link to="/orders">All orders →</Link>
              </p>
            </section>
          </div>
        </>
      )}
      <AnalyticsPanel
        title="Views across all portraits"
        load={(days, signal) => api.analyticsSummary(days, signal)}
      />
    </section>
  );
}
