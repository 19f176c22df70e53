import { useId, useState } from 'react';
import type { Analytics, AnalyticsCounts } from '../api';
import { formatDay, formatNumber } from '../format';
import { useResource } from '../hooks/useResource';
import { BarChart } from './BarChart';
import { ErrorNotice } from './ErrorNotice';
import { SelectField } from './Field';
import { Loading } from './Loading';

type Metric = keyof AnalyticsCounts;

const METRICS: { value: Metric; label: string }[] = [
  { value: 'pageViews', label: 'Page views' },
  { value: 'arStarts', label: 'AR starts' },
  { value: 'markersFound', label: 'Markers found' },
  { value: 'videoPlays', label: 'Video plays' },
];

const PERIODS = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
] as const;

/** Totals and a per-day chart of one metric, for one portrait or for the whole studio. */
export function AnalyticsPanel({
  load,
  title = 'Analytics',
}: {
  load: (days: number, signal: AbortSignal) => Promise<Analytics>;
  title?: string;
}) {
  const [days, setDays] = useState<(typeof PERIODS)[number]['value']>('30');
  const [metric, setMetric] = useState<Metric>('pageViews');
  const headingId = useId();
  const analytics = useResource((signal) => load(Number(days), signal), [days]);
  const metricLabel = METRICS.find((item) => item.value === metric)?.label ?? metric;

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <div className="filters">
        <SelectField label="Period" value={days} options={PERIODS} onChange={setDays} />
        <SelectField label="Chart" value={metric} options={METRICS} onChange={setMetric} />
      </div>
      {analytics.loading && <Loading what="Loading analytics" />}
      <ErrorNotice error={analytics.error} />
      {analytics.data !== undefined && (
        <>
          <dl className="stats stats-small">
            {METRICS.map((item) => (
              <div className="stat" key={item.value}>
                <dt>{item.label}</dt>
                <dd>
                  <span className="stat-value">
                    {formatNumber(analytics.data?.totals[item.value] ?? 0)}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
          <BarChart
            label={`${metricLabel} per day, last ${days} days`}
            data={analytics.data.days.map((day) => ({ day: day.day, value: day[metric] }))}
          />
          <details className="chart-table">
            <summary>Show the numbers as a table</summary>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Analytics per day</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    {METRICS.map((item) => (
                      <th scope="col" key={item.value}>
                        {item.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {analytics.data.days.map((day) => (
                    <tr key={day.day}>
                      <th scope="row">{formatDay(day.day)}</th>
                      {METRICS.map((item) => (
                        <td key={item.value}>{formatNumber(day[item.value])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
