import { AppError } from '../../shared/errors.js';
import { MAX_RANGE_DAYS, type RangeQuery } from './analytics.schemas.js';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** Milliseconds of a `YYYY-MM-DD` UTC day, or undefined for a non-day (`2026-02-30`). */
function dayMs(day: string): number | undefined {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || utcDay(new Date(ms)) !== day ? undefined : ms;
}

const addDays = (day: string, n: number): string =>
  utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

/** The `days` UTC days ending with `today`'s, oldest first. */
export function dayRange(today: Date, days: number): string[] {
  const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, i) => utcDay(new Date(base - (days - 1 - i) * DAY_MS)));
}

export interface DateRange {
  from: string;
  to: string;
  /** Every day of the range, oldest first. */
  days: string[];
}

export type RangeProblem =
  'days_with_dates' | 'from_and_to_required' | 'not_a_day' | 'to_before_from' | 'too_long';

const invalid = (reason: RangeProblem, message: string): AppError =>
  new AppError('date_range_invalid', 400, message, { reason, maxDays: MAX_RANGE_DAYS });

/**
 * The range a request asks for: `from`–`to` (both UTC days, inclusive), else `days` ending
 * today (30 by default). Throws 400 `date_range_invalid` with a `reason` otherwise.
 */
export function resolveRange(query: RangeQuery, now: Date): DateRange {
  const { from, to } = query;
  if (from === undefined && to === undefined) {
    const days = dayRange(now, query.days ?? DEFAULT_DAYS);
    return { from: days[0] ?? utcDay(now), to: days.at(-1) ?? utcDay(now), days };
  }
  if (query.days !== undefined) {
    throw invalid('days_with_dates', 'give either days or from and to, not both');
  }
  if (from === undefined || to === undefined) {
    throw invalid('from_and_to_required', 'from and to go together');
  }
  const start = dayMs(from);
  const end = dayMs(to);
  if (start === undefined || end === undefined) {
    throw invalid('not_a_day', 'from and to must be calendar days (YYYY-MM-DD)');
  }
  if (end < start) throw invalid('to_before_from', 'to is before from');
  const length = (end - start) / DAY_MS + 1;
  if (length > MAX_RANGE_DAYS) {
    throw invalid('too_long', `the range is longer than ${MAX_RANGE_DAYS} days`);
  }
  return { from, to, days: Array.from({ length }, (_, i) => addDays(from, i)) };
}

/** The Monday (UTC) of the ISO week a day belongs to. */
export function isoWeekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

export interface Bucket {
  /** The key the repository groups by: the day, or the week's Monday. */
  key: string;
  /** The bucket cut to the range. */
  start: string;
  end: string;
}

/** The range's buckets, oldest first: its days, or its ISO weeks cut to the range. */
export function bucketsOf(range: DateRange, granularity: 'day' | 'week'): Bucket[] {
  if (granularity === 'day') return range.days.map((day) => ({ key: day, start: day, end: day }));
  const buckets: Bucket[] = [];
  for (const day of range.days) {
    const key = isoWeekStart(day);
    const last = buckets.at(-1);
    if (last?.key === key) last.end = day;
    else buckets.push({ key, start: day, end: day });
  }
  return buckets;
}
