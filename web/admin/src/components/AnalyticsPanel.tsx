import { useId, useState } from 'react';
import type { Analytics, AnalyticsCounts, AnalyticsRange, TopPortraits } from '../api';
import { useFormat } from '../format';
import { useResource } from '../hooks/useResource';
import { useAnalyticsText } from './analytics/analyticsText';
import { formatDayRange } from './analytics/dates';
import { FunnelList } from './analytics/FunnelList';
import { RangePicker } from './analytics/RangePicker';
import { rangeQuery, type Granularity, type RangeChoice } from './analytics/range';
import { TopPortraitsList } from './analytics/TopPortraitsList';
import './analytics/analytics.css';
import { BarChart, type BarDatum } from './BarChart';
import { ErrorNotice } from './ErrorNotice';
import { Icon } from './Icon';
import { SelectField } from './Field';
import { Loading } from './Loading';

type Metric = keyof AnalyticsCounts;

const METRICS: readonly Metric[] = ['pageViews', 'arStarts', 'markersFound', 'videoPlays'];

/**
 * Totals, the viewer funnel and a chart per day or per week of one metric over a period, for
 * one portrait or for the whole studio; with `loadTop`, the most viewed portraits too.
 * The panel draws what the answer says (its period and bars).
 */
export function AnalyticsPanel({
  load,
  loadTop,
  csv,
  title,
}: {
  load: (range: AnalyticsRange, signal: AbortSignal) => Promise<Analytics>;
  loadTop?: (range: AnalyticsRange, signal: AbortSignal) => Promise<TopPortraits>;
  /** Offer the period as a CSV download (`/api/analytics/export.csv`), of one portrait or all. */
  csv?: { portraitId?: string };
  title?: string;
}) {
  const text = useAnalyticsText();
  const format = useFormat();
  const [range, setRange] = useState<RangeChoice>({ preset: '30' });
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [metric, setMetric] = useState<Metric>('pageViews');
  const headingId = useId();
  const query = rangeQuery(range, granularity);
  const key = JSON.stringify(query);
  const analytics = useResource((signal) => load(query, signal), [key]);
  // The top list does not depend on the bars: a switch of day/week does not reload it.
  const topQuery = rangeQuery(range, 'day');
  const top = useResource(
    (signal) => (loadTop === undefined ? Promise.resolve(undefined) : loadTop(topQuery, signal)),
    [JSON.stringify(topQuery)],
  );
  const metrics = METRICS.map((value) => ({ value, label: text.metrics[value] }));
  const data = analytics.data;
  const weekly = data?.granularity === 'week';
  const bucketLabel = (start: string, end: string) =>
    weekly ? formatDayRange(start, end, format.locale, 'short') : format.day(start);
  const bars: BarDatum[] = (data?.buckets ?? []).map((bucket) => ({
    key: bucket.start,
    label: format.day(bucket.start),
    title: bucketLabel(bucket.start, bucket.end),
    value: bucket[metric],
  }));
  const csvSearch = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, granularity: undefined })) {
    if (value !== undefined) csvSearch.set(name, String(value));
  }
  if (csv?.portraitId !== undefined) csvSearch.set('portraitId', csv.portraitId);
  csvSearch.set('lang', format.locale);
  const shown = data === undefined ? '' : formatDayRange(data.from, data.to, format.locale, 'long');

  return (
    <section className="card analytics" aria-labelledby={headingId}>
      <h2 id={headingId}>{title ?? text.analytics}</h2>
      <RangePicker
        range={range}
        onRange={setRange}
        granularity={granularity}
        onGranularity={setGranularity}
      />
      {analytics.loading && <Loading what={text.loading} />}
      <ErrorNotice error={analytics.error} />
      {data !== undefined && (
        <>
          <p className="analytics-range" data-from={data.from} data-to={data.to}>
            {shown}
          </p>
          <dl className="stats stats-small">
            {metrics.map((item) => (
              <div className="stat" key={item.value}>
                <dt>{item.label}</dt>
                <dd>
                  <span className="stat-value">{format.number(data.totals[item.value])}</span>
                </dd>
              </div>
            ))}
          </dl>
          <div className="filters">
            <SelectField label={text.chart} value={metric} options={metrics} onChange={setMetric} />
          </div>
          <BarChart label={text.chartLabel(text.metrics[metric], weekly, shown)} data={bars} />
          <details className="chart-table">
            <summary>{text.showTable}</summary>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">{text.tableCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{weekly ? text.week : text.day}</th>
                    {metrics.map((item) => (
                      <th scope="col" key={item.value}>
                        {item.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.buckets.map((bucket) => (
                    <tr key={bucket.start}>
                      <th scope="row">{bucketLabel(bucket.start, bucket.end)}</th>
                      {metrics.map((item) => (
                        <td key={item.value}>{format.number(bucket[item.value])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          {csv !== undefined && (
            <p>
              <a
                className="button"
                href={`/api/analytics/export.csv?${csvSearch.toString()}`}
                download
                title={text.exportHint}
                data-export="analytics"
              >
                <Icon name="download" />
                {text.exportCsv}
              </a>
            </p>
          )}
          <div className="analytics-grid">
            <FunnelList funnel={data.funnel} />
            {loadTop !== undefined && (
              <div>
                {top.loading && <Loading what={text.loadingTop} />}
                <ErrorNotice error={top.error} />
                {top.data !== undefined && <TopPortraitsList top={top.data} />}
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}
