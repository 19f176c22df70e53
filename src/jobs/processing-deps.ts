import type { Database } from '../infra/db/database.js';
import type { Storage } from '../infra/storage/index.js';
import type { Clock } from '../shared/clock.js';
import type { PortraitsRepo } from '../modules/portraits/portraits.repo.js';
import type { PortraitsService } from '../modules/portraits/portraits.service.js';
import type { Config } from '../config.js';

/** What every processing job handler receives. */
export interface ProcessingDeps {
  config: Config;
  database: Database;
  storage: Storage;
  clock: Clock;
  portraits: PortraitsRepo;
  portraitsService: PortraitsService;
  /** Private scratch space for job attempts (under DATA_DIR). */
  tmpRoot: string;
}
