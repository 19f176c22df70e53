/**
 * What a bulk batch already created, kept in this browser (localStorage) so that reloading the
 * page, or dropping the same files again after a network drop, shows those orders as done and
 * never sends them again. The batch id is part of every item's `Idempotency-Key`: an item the
 * server accepted but whose answer was lost is answered again, not created twice.
 */

export interface CreatedItem {
  key: string;
  name: string;
  orderId: string;
  number: string;
}

export interface SavedBatch {
  batchId: string;
  created: CreatedItem[];
}

const STORAGE_KEY = 'vertex-bulk-orders';

const newBatchId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');

function isSavedBatch(value: unknown): value is SavedBatch {
  const batch = value as Partial<SavedBatch> | null;
  return typeof batch?.batchId === 'string' && Array.isArray(batch.created);
}

export function loadBatch(): SavedBatch {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (isSavedBatch(parsed)) return parsed;
  } catch {
    // storage disabled or broken: start a new batch
  }
  return { batchId: newBatchId(), created: [] };
}

export function saveBatch(batch: SavedBatch): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(batch));
  } catch {
    // storage disabled: the server's Idempotency-Key still prevents duplicates on a retry
  }
}

export function newBatch(): SavedBatch {
  const batch = { batchId: newBatchId(), created: [] };
  saveBatch(batch);
  return batch;
}
