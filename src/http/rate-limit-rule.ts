/** A request budget: at most `max` requests per `windowMs`, per client. */
export interface RateLimitRule {
  max: number;
  windowMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const UNIT_MS = new Map<string, number>([
  ...['s', 'sec', 'second', 'seconds'].map((unit) => [unit, SECOND] as const),
  ...['m', 'min', 'minute', 'minutes'].map((unit) => [unit, MINUTE] as const),
  ...['h', 'hour', 'hours'].map((unit) => [unit, HOUR] as const),
]);

const RULE = /^(\d{1,9})\s*\/\s*(\d{1,6})?\s*([a-z]+)$/;

/**
 * Parses `N/period`: `5/minute`, `100/hour`, `600/min`, also with a count of units, `30/10s`.
 * Returns `null` for anything else (the caller names the variable in its message).
 */
export function parseRateLimitRule(text: string): RateLimitRule | null {
  const match = RULE.exec(text.trim().toLowerCase());
  if (match === null) return null;
  const [, maxText, countText, unit] = match;
  const unitMs = unit === undefined ? undefined : UNIT_MS.get(unit);
  const max = Number(maxText);
  const count = countText === undefined ? 1 : Number(countText);
  if (unitMs === undefined || max < 1 || count < 1) return null;
  return { max, windowMs: count * unitMs };
}

/** `5/minute` again, for messages and logs. */
export function formatRateLimitRule({ max, windowMs }: RateLimitRule): string {
  if (windowMs === HOUR) return `${max}/hour`;
  if (windowMs === MINUTE) return `${max}/minute`;
  if (windowMs === SECOND) return `${max}/second`;
  return `${max}/${windowMs / SECOND}s`;
}
