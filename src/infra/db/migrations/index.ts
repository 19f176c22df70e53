import type { Migration } from 'kysely';
import type { SqlDialect } from '../database.js';
import type { PhoneRegion } from '../../../shared/phone.js';
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
import { phoneE164, type MigrationLogger } from './0013_phone_e164.js';
import { notes } from './0014_notes.js';
import { userLocale } from './0015_user_locale.js';
import { portraitImageVersion } from './0016_portrait_image_version.js';
import { orderIdempotency } from './0017_order_idempotency.js';
import { twoFactor } from './0018_two_factor.js';
import { ssoLinks } from './0019_sso_links.js';

/** What data migrations need from the configuration; defaults: `RU`, no log. */
export interface MigrationOptions {
  /** `DEFAULT_PHONE_REGION`: how 0013 reads stored numbers without `+`. */
  phoneRegion?: PhoneRegion;
  /** Where a data migration reports what it found (0013: phone collisions). */
  logger?: MigrationLogger;
}

/**
 * Every migration, in order. Forward-only: a shipped migration is never edited; a change is a
 * new file. Names sort lexically, so keep the four-digit prefix.
 */
export function allMigrations(
  dialect: SqlDialect,
  options: MigrationOptions = {},
): Record<string, Migration> {
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
    '0013_phone_e164': phoneE164({
      region: options.phoneRegion ?? 'RU',
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    }),
    '0014_notes': notes(),
    '0015_user_locale': userLocale(),
    '0016_portrait_image_version': portraitImageVersion(),
    '0017_order_idempotency': orderIdempotency(dialect),
    '0018_two_factor': twoFactor(dialect),
    '0019_sso_links': ssoLinks(dialect),
  };
}
