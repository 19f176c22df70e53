import { useId } from 'react';
import { useElementWidth } from '../hooks/useElementWidth';
import { useFormat } from '../format';

export interface BarDatum {
  /** ISO day (`2026-11-26`). */
  day: string;
  value: number;
}

const HEIGHT = 220;
const PAD = { top: 16, right: 12, bottom: 30, left: 44 };

/** A "nice" axis maximum: 1, 2 or 5 × 10^n, at least the data's maximum. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/**
 * A small bar chart drawn as SVG (no chart library). Each bar carries a tooltip; the same
 * numbers are available as a table next to it for screen readers and exact reading.
 */
export function BarChart({ data, label }: { data: BarDatum[]; label: string }) {
  const titleId = useId();
  const format = useFormat();
  // Drawn at the size it is shown, so the text stays readable on a phone.
  const [box, measured] = useElementWidth<HTMLDivElement>(640);
  const WIDTH = Math.max(260, measured);
  const max = niceMax(Math.max(0, ...data.map((datum) => datum.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = data.length > 0 ? plotWidth / data.length : plotWidth;
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(data.length / Math.max(2, Math.floor(plotWidth / 70))));
  const ticks = [0, max / 2, max];

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
          <g key={tick} className="chart-grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end">
              {format.number(tick)}
            </text>
          </g>
        ))}
        {data.map((datum, index) => {
          const x = PAD.left + index * slot + (slot - barWidth) / 2;
          const top = y(datum.value);
          return (
            <g key={datum.day}>
              <rect
                className="chart-bar"
                x={x}
                y={top}
                width={barWidth}
                height={Math.max(0, PAD.top + plotHeight - top)}
              >
                <title>{`${format.day(datum.day)}: ${format.number(datum.value)}`}</title>
              </rect>
              {index % labelEvery === 0 && (
                <text
                  className="chart-label"
                  x={x + barWidth / 2}
                  y={HEIGHT - 10}
                  textAnchor="middle"
                >
                  {format.day(datum.day)}
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
