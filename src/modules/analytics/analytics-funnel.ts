import type { DayCounts } from './analytics.repo.js';
import type { Series } from './analytics.schemas.js';

/** `part / whole`, capped at 1 (a visitor who starts twice on one view), null when whole is 0. */
const rate = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.min(1, part / whole);

/** The viewer funnel, opened → started → found → played, from a range's totals. */
export function funnelOf(totals: DayCounts): Series['funnel'] {
  const { pageViews: opened, arStarts: started, markersFound: found, videoPlays: played } = totals;
  return {
    opened,
    started,
    found,
    played,
    rates: {
      started: rate(started, opened),
      found: rate(found, started),
      played: rate(played, found),
      overall: rate(played, opened),
    },
  };
}
