import type { Migration } from 'kysely';
import type { SqlDialect } from '../database.js';
import { foundation } from './0001_foundation.js';
import { studioCore } from './0002_studio_core.js';
import { portraitStats } from './0003_portrait_stats.js';
import { clientSearch } from './0004_client_search.js';
import { studioAssets } from './0005_studio_assets.js';
import { jobEntities } from './0006_job_entities.js';
import { loginFailures } from './0007_login_failures.js';
import { apiKeys } from './0008_api_keys.js';
import { visitDedup } from './0009_visit_dedup.js';
import { backupRuns } from './0010_backup_runs.js';
import { doublePrecision } from './0011_double_precision.js';
import { observabilityIndexes } from './0012_observability_indexes.js';

/**
 * Every migration, in order. Forward-only: a shipped migration is never edited; a change is a
 * new file. Names sort lexically, so keep the four-digit prefix.
 */
export function allMigrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001_foundation': foundation(dialect),
    '0002_studio_core': studioCore(dialect),
    '0003_portrait_stats': portraitStats(dialect),
    '0004_client_search': clientSearch(dialect),
    '0005_studio_assets': studioAssets(dialect),
    '0006_job_entities': jobEntities(),
    '0007_login_failures': loginFailures(dialect),
    '0008_api_keys': apiKeys(dialect),
    '0009_visit_dedup': visitDedup(dialect),
    '0010_backup_runs': backupRuns(dialect),
    '0011_double_precision': doublePrecision(dialect),
    '0012_observability_indexes': observabilityIndexes(),
  };
}
