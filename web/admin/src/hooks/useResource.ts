import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { useSession } from '../session';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** True only until the first answer; reloads keep showing the current data. */
  loading: boolean;
  reload: () => void;
  /** Replaces the data locally (after a mutation that returned the new value). */
  set: (data: T) => void;
}

/**
 * Loads data for a page and reloads it when `deps` change, after a new login, or on demand.
 * Earlier requests are aborted, so a slow answer never overwrites a newer one.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): Resource<T> {
  const { epoch } = useSession();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    loadRef
      .current(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason);
        setLoading(false);
      });
    return () => {
      controller.abort();
    };
  }, [...deps, epoch, tick]);

  const reload = useCallback(() => {
    setTick((value) => value + 1);
  }, []);

  return { data, error, loading, reload, set: setData };
}
