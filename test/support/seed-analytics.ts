import {
  createAnalyticsRepo,
  STATS_COUNTERS,
  type DayCounts,
} from '../../src/modules/analytics/analytics.repo.js';
import type { TestApp } from './app.js';

/**
 * Viewer counters of one portrait and UTC day, written through the analytics repository (the
 * same upsert the public page uses), one increment per count: for tests of the analytics over
 * time that need known figures on known days.
 */
export async function seedDayStats(
  t: TestApp,
  portraitId: string,
  day: string,
  counts: Partial<DayCounts>,
): Promise<void> {
  const analytics = createAnalyticsRepo();
  const { db } = t.ctx.database;
  for (const counter of STATS_COUNTERS) {
    for (let i = 0; i < (counts[counter] ?? 0); i++) {
      await analytics.increment(db, portraitId, day, counter);
    }
  }
}
