import { describe, expect, it } from 'vitest';
import type { RetentionPolicy } from '../../config.js';
import { backupsToKeep, describePolicy, type RetainedBackup } from './retention.js';

const NOW = new Date('2025-03-15T12:00:00.000Z');

function policy(rules: Partial<RetentionPolicy> = {}): RetentionPolicy {
  return {
    last: undefined,
    days: undefined,
    daily: undefined,
    weekly: undefined,
    monthly: undefined,
    ...rules,
  };
}

/** Backups named by their creation time, so a kept set reads as a list of instants. */
function complete(...times: string[]): RetainedBackup[] {
  return times.map((createdAt) => ({ id: createdAt, createdAt, status: 'complete' }));
}

function kept(backups: RetainedBackup[], rules: Partial<RetentionPolicy>, now = NOW): string[] {
  return [...backupsToKeep(backups, policy(rules), now)].sort();
}

describe('backupsToKeep: each rule alone', () => {
  const five = complete(
    '2025-03-11T03:00:00.000Z',
    '2025-03-15T03:00:00.000Z',
    '2025-03-13T03:00:00.000Z',
    '2025-03-12T03:00:00.000Z',
    '2025-03-14T03:00:00.000Z',
  );

  it('last N keeps the newest N complete backups, whatever the input order', () => {
    expect(kept(five, { last: 3 })).toEqual([
      '2025-03-13T03:00:00.000Z',
      '2025-03-14T03:00:00.000Z',
      '2025-03-15T03:00:00.000Z',
    ]);
  });

  it('last N larger than the list keeps every complete backup', () => {
    expect(kept(five, { last: 50 })).toEqual(five.map((backup) => backup.id).sort());
  });

  it('days N keeps backups created within N days of now, the boundary included', () => {
    const backups = complete(
      '2025-03-08T12:00:00.000Z', // exactly 7 days
      '2025-03-08T11:59:59.999Z', // 1 ms older
      '2025-03-01T00:00:00.000Z',
      '2025-03-15T11:00:00.000Z',
    );
    expect(kept(backups, { days: 7 })).toEqual([
      '2025-03-08T12:00:00.000Z',
      '2025-03-15T11:00:00.000Z',
    ]);
  });

  it('daily N keeps the newest of each of the N most recent days that hold a backup (gaps skipped)', () => {
    const backups = complete(
      '2025-03-15T01:00:00.000Z',
      '2025-03-15T09:00:00.000Z',
      '2025-03-12T23:59:59.999Z', // no backups on the 13th and 14th: the 12th is the second day
      '2025-03-12T00:00:00.000Z',
      '2025-03-10T10:00:00.000Z',
      '2025-03-09T10:00:00.000Z',
    );
    expect(kept(backups, { daily: 3 })).toEqual([
      '2025-03-10T10:00:00.000Z',
      '2025-03-12T23:59:59.999Z',
      '2025-03-15T09:00:00.000Z',
    ]);
  });

  it('daily buckets are UTC days, whatever offset createdAt is written with', () => {
    const backups: RetainedBackup[] = [
      // 2025-03-15T01:30Z: the same UTC day as the next one, though the local date reads the 14th.
      { id: 'offset', createdAt: '2025-03-14T23:30:00-02:00', status: 'complete' },
      { id: 'utc', createdAt: '2025-03-15T00:30:00.000Z', status: 'complete' },
      { id: 'previous-day', createdAt: '2025-03-14T23:00:00.000Z', status: 'complete' },
    ];
    expect(kept(backups, { daily: 2 })).toEqual(['offset', 'previous-day']);
  });

  it('weekly N counts ISO weeks (Monday to Sunday, UTC)', () => {
    const backups = complete(
      '2025-03-10T00:00:00.000Z', // Monday, W11
      '2025-03-09T23:59:59.999Z', // Sunday, W10
      '2025-03-03T00:00:00.000Z', // Monday, W10
      '2025-03-02T12:00:00.000Z', // Sunday, W09
    );
    expect(kept(backups, { weekly: 2 })).toEqual([
      '2025-03-09T23:59:59.999Z',
      '2025-03-10T00:00:00.000Z',
    ]);
    expect(kept(backups, { weekly: 3 })).toEqual([
      '2025-03-02T12:00:00.000Z',
      '2025-03-09T23:59:59.999Z',
      '2025-03-10T00:00:00.000Z',
    ]);
  });

  it('monthly N keeps the newest of each of the N most recent calendar months that hold a backup', () => {
    const backups = complete(
      '2025-02-28T10:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
      '2025-01-31T23:59:59.999Z',
      '2024-12-31T23:00:00.000Z',
      '2024-12-01T00:00:00.000Z',
      '2024-10-15T00:00:00.000Z', // no backup in November
    );
    expect(kept(backups, { monthly: 3 })).toEqual([
      '2024-12-31T23:00:00.000Z',
      '2025-01-31T23:59:59.999Z',
      '2025-02-28T10:00:00.000Z',
    ]);
    expect(kept(backups, { monthly: 4 })).toEqual([
      '2024-10-15T00:00:00.000Z',
      '2024-12-31T23:00:00.000Z',
      '2025-01-31T23:59:59.999Z',
      '2025-02-28T10:00:00.000Z',
    ]);
  });
});

describe('backupsToKeep: ISO weeks across a year end', () => {
  it.each([
    {
      name: '2020/2021: Dec 28 2020 to Jan 3 2021 is 2020-W53',
      now: '2021-01-05T00:00:00.000Z',
      backups: [
        '2021-01-04T00:00:00.000Z', // Monday, 2021-W01
        '2021-01-03T23:00:00.000Z', // Sunday, 2020-W53
        '2021-01-01T12:00:00.000Z', // Friday, 2020-W53
        '2020-12-28T00:00:00.000Z', // Monday, 2020-W53
        '2020-12-27T12:00:00.000Z', // Sunday, 2020-W52
        '2020-12-21T12:00:00.000Z', // Monday, 2020-W52
      ],
      weekly: 3,
      expected: [
        '2020-12-27T12:00:00.000Z',
        '2021-01-03T23:00:00.000Z',
        '2021-01-04T00:00:00.000Z',
      ],
    },
    {
      name: '2024/2025: Dec 30 2024 belongs to 2025-W01',
      now: '2025-01-07T00:00:00.000Z',
      backups: [
        '2025-01-06T00:00:00.000Z', // Monday, 2025-W02
        '2025-01-05T12:00:00.000Z', // Sunday, 2025-W01
        '2024-12-30T12:00:00.000Z', // Monday, 2025-W01
        '2024-12-29T12:00:00.000Z', // Sunday, 2024-W52
        '2024-12-23T12:00:00.000Z', // Monday, 2024-W52
      ],
      weekly: 3,
      expected: [
        '2024-12-29T12:00:00.000Z',
        '2025-01-05T12:00:00.000Z',
        '2025-01-06T00:00:00.000Z',
      ],
    },
    {
      name: '2025/2026: Dec 29 2025 to Jan 4 2026 is 2026-W01',
      now: '2026-01-10T00:00:00.000Z',
      backups: [
        '2026-01-04T12:00:00.000Z', // Sunday, 2026-W01
        '2026-01-01T12:00:00.000Z', // Thursday, 2026-W01
        '2025-12-29T12:00:00.000Z', // Monday, 2026-W01
        '2025-12-28T12:00:00.000Z', // Sunday, 2025-W52
      ],
      weekly: 2,
      expected: ['2025-12-28T12:00:00.000Z', '2026-01-04T12:00:00.000Z'],
    },
  ])('$name', ({ now, backups, weekly, expected }) => {
    expect(kept(complete(...backups), { weekly }, new Date(now))).toEqual(expected);
  });

  it('a year end does not split a week: the newest of 2020-W53 stands for the whole week', () => {
    const backups = complete('2021-01-02T00:00:00.000Z', '2020-12-31T00:00:00.000Z');
    expect(kept(backups, { weekly: 5 }, new Date('2021-01-03T00:00:00.000Z'))).toEqual([
      '2021-01-02T00:00:00.000Z',
    ]);
  });
});

describe('backupsToKeep: combinations keep the union', () => {
  const backups = complete(
    '2025-03-15T06:00:00.000Z', // Saturday, W11
    '2025-03-15T03:00:00.000Z',
    '2025-03-14T03:00:00.000Z',
    '2025-03-09T03:00:00.000Z', // Sunday, W10
    '2025-03-03T03:00:00.000Z', // Monday, W10
    '2025-02-20T03:00:00.000Z', // W08, February
    '2025-01-20T03:00:00.000Z', // January
    '2024-12-20T03:00:00.000Z', // December
  );

  it('last 2 + weekly 3 + monthly 3', () => {
    expect(kept(backups, { last: 2, weekly: 3, monthly: 3 })).toEqual([
      '2025-01-20T03:00:00.000Z', // monthly
      '2025-02-20T03:00:00.000Z', // weekly + monthly
      '2025-03-09T03:00:00.000Z', // weekly
      '2025-03-15T03:00:00.000Z', // last
      '2025-03-15T06:00:00.000Z', // last + weekly + monthly
    ]);
  });

  it('last 1 + days 7 + daily 2', () => {
    expect(kept(backups, { last: 1, days: 7, daily: 2 })).toEqual([
      '2025-03-09T03:00:00.000Z', // days
      '2025-03-14T03:00:00.000Z', // days + daily
      '2025-03-15T03:00:00.000Z', // days
      '2025-03-15T06:00:00.000Z', // everything
    ]);
  });

  it('days 3 + monthly 1 keeps nothing older than three days except the newest of the month', () => {
    expect(kept(backups, { days: 3, monthly: 1 })).toEqual([
      '2025-03-14T03:00:00.000Z',
      '2025-03-15T03:00:00.000Z',
      '2025-03-15T06:00:00.000Z',
    ]);
  });
});

describe('backupsToKeep: the newest complete backup always stays', () => {
  it('even when it is older than every days rule', () => {
    const backups = complete('2025-02-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
    expect(kept(backups, { days: 1 })).toEqual(['2025-02-01T00:00:00.000Z']);
  });

  it('and ties on createdAt resolve the same way whatever the input order', () => {
    const a: RetainedBackup = {
      id: 'a',
      createdAt: '2025-03-15T00:00:00.000Z',
      status: 'complete',
    };
    const b: RetainedBackup = {
      id: 'b',
      createdAt: '2025-03-15T00:00:00.000Z',
      status: 'complete',
    };
    expect(kept([a, b], { last: 1 })).toEqual(['b']);
    expect(kept([b, a], { last: 1 })).toEqual(['b']);
  });
});

describe('backupsToKeep: incomplete and failed backups', () => {
  const backups: RetainedBackup[] = [
    { id: 'running', createdAt: '2025-03-15T11:00:00.000Z', status: 'incomplete' },
    { id: 'almost-a-day', createdAt: '2025-03-14T12:00:00.001Z', status: 'incomplete' },
    { id: 'stale', createdAt: '2025-03-14T12:00:00.000Z', status: 'incomplete' }, // exactly a day old
    { id: 'failed-now', createdAt: '2025-03-15T11:30:00.000Z', status: 'failed' },
    { id: 'failed-old', createdAt: '2025-03-01T00:00:00.000Z', status: 'failed' },
    { id: 'c1', createdAt: '2025-03-15T10:00:00.000Z', status: 'complete' },
    { id: 'c2', createdAt: '2025-03-14T10:00:00.000Z', status: 'complete' },
    { id: 'c3', createdAt: '2025-03-13T10:00:00.000Z', status: 'complete' },
  ];

  it('keeps incomplete backups younger than a day, drops older ones and every failed one', () => {
    expect(kept(backups, { last: 1 })).toEqual(['almost-a-day', 'c1', 'running']);
  });

  it('never counts incomplete or failed backups towards last', () => {
    expect(kept(backups, { last: 2 })).toEqual(['almost-a-day', 'c1', 'c2', 'running']);
  });

  it('never lets an incomplete backup take a daily bucket from a complete one', () => {
    expect(kept(backups, { daily: 2 })).toEqual(['almost-a-day', 'c1', 'c2', 'running']);
  });

  it('with no complete backup, keeps only the young incomplete ones', () => {
    const onlyBroken = backups.filter((backup) => backup.status !== 'complete');
    expect(kept(onlyBroken, { last: 5, days: 30 })).toEqual(['almost-a-day', 'running']);
  });

  it('keeps a backup whose createdAt cannot be read, without counting it', () => {
    const odd: RetainedBackup[] = [
      { id: 'unreadable', createdAt: 'yesterday', status: 'complete' },
      { id: 'unreadable-failed', createdAt: '', status: 'failed' },
      ...complete('2025-03-15T00:00:00.000Z', '2025-03-14T00:00:00.000Z'),
    ];
    expect(kept(odd, { last: 1 })).toEqual(['2025-03-15T00:00:00.000Z', 'unreadable']);
  });
});

describe('backupsToKeep: no rule set', () => {
  it('keeps everything, failed and stale incomplete backups included (prune is a no-op)', () => {
    const backups: RetainedBackup[] = [
      { id: 'old', createdAt: '2020-01-01T00:00:00.000Z', status: 'complete' },
      { id: 'stale', createdAt: '2020-01-02T00:00:00.000Z', status: 'incomplete' },
      { id: 'failed', createdAt: '2020-01-03T00:00:00.000Z', status: 'failed' },
      { id: 'new', createdAt: '2025-03-15T00:00:00.000Z', status: 'complete' },
    ];
    expect(kept(backups, {})).toEqual(['failed', 'new', 'old', 'stale']);
  });

  it('returns an empty set for no backups', () => {
    expect(kept([], {})).toEqual([]);
    expect(kept([], { last: 3 })).toEqual([]);
  });
});

describe('describePolicy', () => {
  it.each([
    [{}, 'keep everything (no BACKUP_KEEP_* set)'],
    [{ last: 7 }, 'last 7'],
    [{ days: 1 }, '1 day'],
    [{ last: 7, days: 30, weekly: 4 }, 'last 7, 30 days, 4 weekly'],
    [{ daily: 7, weekly: 4, monthly: 12 }, '7 daily, 4 weekly, 12 monthly'],
    [
      { last: 1, days: 2, daily: 3, weekly: 4, monthly: 5 },
      'last 1, 2 days, 3 daily, 4 weekly, 5 monthly',
    ],
  ])('%j reads "%s"', (rules, expected) => {
    expect(describePolicy(policy(rules))).toBe(expected);
  });
});
