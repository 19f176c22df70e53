import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { isValidSchedule, nextSlot, scheduleProblem } from './backup-schedule.js';

describe('BACKUP_SCHEDULE', () => {
  it('takes five cron fields or an alias', () => {
    for (const ok of ['0 3 * * *', '*/15 * * * *', '30 2 * * 1-5', '0 3 * * THU', '@daily']) {
      expect(scheduleProblem(ok), ok).toBeNull();
    }
  });

  it('refuses anything else, saying why', () => {
    expect(scheduleProblem('bogus')).toMatch(/five cron fields/);
    expect(scheduleProblem('* * * * * *')).toMatch(/five cron fields/);
    expect(scheduleProblem('61 * * * *')).toMatch(/not a valid cron expression.*61/);
    expect(scheduleProblem('0 25 * * *')).toMatch(/not a valid cron expression/);
    expect(scheduleProblem('H 3 * * *')).toMatch(/H \(hashed\)/);
    expect(isValidSchedule('0 3 31 2 *')).toBe(false);
  });

  it('is checked when the configuration loads', () => {
    const env = { NODE_ENV: 'test', DATA_DIR: '/tmp/vertex-schedule-test' };
    expect(loadConfig({ ...env, BACKUP_SCHEDULE: ' 0 3 * * * ' }).backup.schedule).toBe(
      '0 3 * * *',
    );
    expect(loadConfig({ ...env, BACKUP_SCHEDULE: '' }).backup.schedule).toBeUndefined();
    expect(() => loadConfig({ ...env, BACKUP_SCHEDULE: '0 3 * *' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, BACKUP_SCHEDULE: '0 3 * *' })).toThrow(/BACKUP_SCHEDULE/);
  });

  it('finds the next slot strictly after a time, in the given zone', () => {
    const at = (iso: string) => new Date(iso);
    expect(nextSlot('0 3 * * *', at('2025-01-01T02:59:59Z'), 'UTC')).toEqual(
      at('2025-01-01T03:00:00Z'),
    );
    expect(nextSlot('0 3 * * *', at('2025-01-01T03:00:00Z'), 'UTC')).toEqual(
      at('2025-01-02T03:00:00Z'),
    );
    // 03:00 in Moscow (UTC+3) is midnight UTC.
    expect(nextSlot('0 3 * * *', at('2025-01-01T03:00:00Z'), 'Europe/Moscow')).toEqual(
      at('2025-01-02T00:00:00Z'),
    );
  });
});
