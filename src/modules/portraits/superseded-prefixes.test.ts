import { describe, expect, it } from 'vitest';
import type { Storage } from '../../infra/storage/index.js';
import { storageCleanupJob } from '../../jobs/storage-cleanup.job.js';
import { supersededPrefixes } from './portrait-keys.js';

const ID = '0192d3a4-1111-7000-8000-000000000001';

/** The cleanup job, with a storage that records what it was asked to delete. */
function cleanup() {
  const deleted: string[] = [];
  const storage = {
    deletePrefix: (prefix: string) => {
      deleted.push(prefix);
      return Promise.resolve(0);
    },
  } as unknown as Storage;
  const job = storageCleanupJob({ storage, queue: { runningFor: () => Promise.resolve([]) } });
  const run = (prefixes: string[]) =>
    job.run(
      { prefixes, entityIds: [] },
      { signal: new AbortController().signal, attempt: 1, reportProgress: () => undefined },
    );
  return { deleted, run };
}

describe('the files a replaced photo leaves behind', () => {
  it('are every earlier photo and marker version, never the current ones', () => {
    expect(supersededPrefixes(ID, { imageVersion: 3, markerVersion: 4 })).toEqual([
      `portraits/${ID}/original`,
      `portraits/${ID}/display.`,
      `portraits/${ID}/thumb-`,
      `portraits/${ID}/2/`,
      `markers/${ID}/1/`,
      `markers/${ID}/2/`,
      `markers/${ID}/3/`,
    ]);
    expect(supersededPrefixes(ID, { imageVersion: 1, markerVersion: 1 })).toEqual([]);
  });

  it('pass the cleanup job guard, which still refuses anything wider', async () => {
    const { deleted, run } = cleanup();
    const prefixes = supersededPrefixes(ID, { imageVersion: 5, markerVersion: 7 });
    await run(prefixes);
    expect(deleted).toEqual(prefixes);
    for (const bad of [
      '',
      'portraits/',
      `portraits/${ID}`,
      `portraits/${ID}/2`,
      `portraits/${ID}/o`,
    ]) {
      await expect(run([bad]), bad).rejects.toThrow(/refusing/);
    }
  });
});
