import { useId } from 'react';
import { useElementWidth } from '../hooks/useElementWidth';
import { useFormat } from '../format';
import { integerAxis } from './analytics/axisTicks';

export interface BarDatum {
  /** Unique per bar (the day, or the week's first day). */
  key: string;
  /** Under the bar: a date in the user's language (`26 нояб.`, `30 Nov – 6 Dec`). */
  label: string;
  /** A count: the axis has whole-number ticks only. */
  value: number;
  /** The bar's tooltip (and its accessible name): the label unless told. */
  title?: string;
}

const HEIGHT = 220;
const PAD = { top: 16, right: 12, bottom: 30, left: 44 };

/**
 * A small bar chart of counts drawn as SVG (no chart library): the value axis starts at zero
 * and its ticks are whole numbers (never "0.5 views"); dates under the bars in the user's
 * language, as many as fit. Each bar carries a tooltip; the same numbers are available as a
 * table next to it for screen readers and exact reading.
 */
export function BarChart({ data, label }: { data: BarDatum[]; label: string }) {
  const titleId = useId();
  const format = useFormat();
  // Drawn at the size it is shown, so the text stays readable on a phone.
  const [box, measured] = useElementWidth<HTMLDivElement>(640);
  const WIDTH = Math.max(260, measured);
  const { max, ticks } = integerAxis(Math.max(0, ...data.map((datum) => datum.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = data.length > 0 ? plotWidth / data.length : plotWidth;
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  // Room for each date label: a week's range needs about twice a day's.
  const labelWidth = Math.max(56, ...data.map((datum) => datum.label.length * 7 + 10));
  const labelEvery = Math.max(
    1,
    Math.ceil(data.length / Math.max(1, Math.floor(plotWidth / labelWidth))),
  );
  // A label centred under the first or last bar stays inside the picture.
  const labelX = (centre: number) =>
    Math.min(WIDTH - labelWidth / 2, Math.max(labelWidth / 2, centre));

  return (
    <div ref={box} className="chart-box">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
      >
        <title id={titleId}>{label}</title>
        {ticks.map((tick) => (
          <g key={tick} className="chart-grid" data-tick={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text className="chart-tick" x={PAD.left - 6} y={y(tick) + 4} textAnchor="end">
              {format.number(tick)}
            </text>
          </g>
        ))}
        {data.map((datum, index) => {
          const x = PAD.left + index * slot + (slot - barWidth) / 2;
          const top = y(datum.value);
          return (
            <g key={datum.key}>
              <rect
                className="chart-bar"
                data-value={datum.value}
                x={x}
                y={top}
                width={barWidth}
                height={Math.max(0, PAD.top + plotHeight - top)}
              >
                <title>{`${datum.title ?? datum.label}: ${format.number(datum.value)}`}</title>
              </rect>
              {index % labelEvery === 0 && (
                <text
                  className="chart-label"
                  x={labelX(x + barWidth / 2)}
                  y={HEIGHT - 10}
                  textAnchor="middle"
                >
                  {datum.label}
                </text>
              )}
            </g>
          );
        })}
        <line
          className="chart-axis"
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={PAD.top + plotHeight}
          y2={PAD.top + plotHeight}
        />
      </svg>
    </div>
  );
}
