import type { AnalyticsRange } from '../../api';

export const PRESETS = ['7', '30', '90'] as const;
export type Preset = (typeof PRESETS)[number];
export type Granularity = 'day' | 'week';

/** What the period control chose: the last 7/30/90 days, or two dates. */
export type RangeChoice = { preset: Preset } | { preset: 'custom'; from: string; to: string };

/** The longest period the server takes, in days (`date_range_invalid` beyond). */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC day `offset` days from today. */
export function utcDayFromToday(offset: number, now = Date.now()): string {
  return new Date(now + offset * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `from`–`to` is a range the server takes (both days, in order, at most 366 days). */
export function isValidRange(from: string, to: string): boolean {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return false;
  return end >= start && (end - start) / DAY_MS + 1 <= MAX_RANGE_DAYS;
}

/** The API query of a choice. */
export function rangeQuery(choice: RangeChoice, granularity: Granularity): AnalyticsRange {
  return choice.preset === 'custom'
    ? { from: choice.from, to: choice.to, granularity }
    : { days: Number(choice.preset), granularity };
}
