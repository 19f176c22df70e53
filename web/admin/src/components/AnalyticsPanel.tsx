import { useId, useState } from 'react';
import type { Analytics, AnalyticsCounts } from '../api';
import { useFormat } from '../format';
import { useResource } from '../hooks/useResource';
import { BarChart } from './BarChart';
import { useDashboardText } from './dashboard/dashboardText';
import { ErrorNotice } from './ErrorNotice';
import { SelectField } from './Field';
import { Loading } from './Loading';

type Metric = keyof AnalyticsCounts;

const METRICS: readonly Metric[] = ['pageViews', 'arStarts', 'markersFound', 'videoPlays'];
const PERIODS = ['7', '30', '90'] as const;

/** Totals and a per-day chart of one metric, for one portrait or for the whole studio. */
export function AnalyticsPanel({
  load,
  title,
}: {
  load: (days: number, signal: AbortSignal) => Promise<Analytics>;
  title?: string;
}) {
  const text = useDashboardText();
  const format = useFormat();
  const [days, setDays] = useState<(typeof PERIODS)[number]>('30');
  const [metric, setMetric] = useState<Metric>('pageViews');
  const headingId = useId();
  const analytics = useResource((signal) => load(Number(days), signal), [days]);
  const metrics = METRICS.map((value) => ({ value, label: text.metrics[value] }));
  const periods = PERIODS.map((value) => ({ value, label: text.lastDays(Number(value)) }));

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title ?? text.analytics}</h2>
      <div className="filters">
        <SelectField label={text.period} value={days} options={periods} onChange={setDays} />
        <SelectField label={text.chart} value={metric} options={metrics} onChange={setMetric} />
      </div>
      {analytics.loading && <Loading what={text.loadingAnalytics} />}
      <ErrorNotice error={analytics.error} />
      {analytics.data !== undefined && (
        <>
          <dl className="stats stats-small">
            {metrics.map((item) => (
              <div className="stat" key={item.value}>
                <dt>{item.label}</dt>
                <dd>
                  <span className="stat-value">
                    {format.number(analytics.data?.totals[item.value] ?? 0)}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
          <BarChart
            label={text.perDay(text.metrics[metric], Number(days))}
            data={analytics.data.days.map((day) => ({ day: day.day, value: day[metric] }))}
          />
          <details className="chart-table">
            <summary>{text.showTable}</summary>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">{text.tableCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{text.day}</th>
                    {metrics.map((item) => (
                      <th scope="col" key={item.value}>
                        {item.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {analytics.data.days.map((day) => (
                    <tr key={day.day}>
                      <th scope="row">{format.day(day.day)}</th>
                      {metrics.map((item) => (
                        <td key={item.value}>{format.number(day[item.value])}</td>
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
