/** Latency bucket bounds (seconds) shared by the request histogram and the recent window. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

interface Slot {
  /** Start of the slot, in whole slot lengths since the epoch. */
  index: number;
  classes: Map<string, number>;
  /** Per bucket of LATENCY_BUCKETS, plus one for slower requests. */
  buckets: number[];
}

export interface RecentSummary {
  requests: Record<string, number>;
  /** Estimated from the buckets; `undefined` when the window saw no request. */
  quantiles: Record<string, number> | undefined;
}

export const RECENT_QUANTILES = [0.5, 0.95, 0.99];

/**
 * Requests of the last few minutes, for `vertex-ar check` (one scrape, no Prometheus needed):
 * a ring of fixed slots, each with counts by status class and latency buckets. Quantiles are
 * interpolated inside the bucket that holds them, like PromQL's histogram_quantile.
 */
export function createRecentWindow(options: {
  windowSeconds: number;
  slots: number;
  now?: () => number;
}) {
  const slotMs = (options.windowSeconds * 1000) / options.slots;
  const now = options.now ?? Date.now;
  const ring: Slot[] = [];

  const currentIndex = () => Math.floor(now() / slotMs);
  const live = () => {
    const oldest = currentIndex() - options.slots + 1;
    return ring.filter((slot) => slot.index >= oldest);
  };

  function slotFor(index: number): Slot {
    const last = ring.at(-1);
    if (last !== undefined && last.index === index) return last;
    const slot: Slot = {
      index,
      classes: new Map(),
      buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0),
    };
    ring.push(slot);
    if (ring.length > options.slots) ring.splice(0, ring.length - options.slots);
    return slot;
  }

  return {
    observe(statusClass: string, seconds: number): void {
      const slot = slotFor(currentIndex());
      slot.classes.set(statusClass, (slot.classes.get(statusClass) ?? 0) + 1);
      const bucket = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
      const i = bucket === -1 ? LATENCY_BUCKETS.length : bucket;
      slot.buckets[i] = (slot.buckets[i] ?? 0) + 1;
    },

    summary(): RecentSummary {
      const requests: Record<string, number> = {};
      const buckets = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
      for (const slot of live()) {
        for (const [statusClass, n] of slot.classes)
          requests[statusClass] = (requests[statusClass] ?? 0) + n;
        slot.buckets.forEach((n, i) => (buckets[i] = (buckets[i] ?? 0) + n));
      }
      const total = buckets.reduce((a, b) => a + b, 0);
      if (total === 0) return { requests, quantiles: undefined };
      const quantiles = Object.fromEntries(
        RECENT_QUANTILES.map((q) => [String(q), quantileOf(buckets, total, q)]),
      );
      return { requests, quantiles };
    },
  };
}

function quantileOf(buckets: number[], total: number, q: number): number {
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i] ?? 0;
    if (seen + n >= rank && n > 0) {
      // Beyond the last bound there is no upper edge: report the last bound, as Prometheus does.
      if (i === LATENCY_BUCKETS.length) return LATENCY_BUCKETS.at(-1) ?? 0;
      const lower = i === 0 ? 0 : (LATENCY_BUCKETS[i - 1] ?? 0);
      const upper = LATENCY_BUCKETS[i] ?? lower;
      return lower + ((upper - lower) * (rank - seen)) / n;
    }
    seen += n;
  }
  return LATENCY_BUCKETS.at(-1) ?? 0;
}

export type RecentWindow = ReturnType<typeof createRecentWindow>;
