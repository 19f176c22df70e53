import { useCallback, useEffect, useState } from 'react';

/**
 * Form input kept in sessionStorage while it is typed, so a reload or a lapsed session does not
 * lose it (files cannot be kept: the form says so). Cleared on success and on logout.
 */

const PREFIX = 'vertex-admin:draft:';

type DraftValue = Record<string, string | number | boolean>;

function read<T extends DraftValue>(key: string, initial: T): T {
  try {
    const text = window.sessionStorage.getItem(PREFIX + key);
    if (text === null) return initial;
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return initial;
    // Only the known keys, with the initial value's types.
    const restored: Record<string, unknown> = { ...initial };
    for (const [name, value] of Object.entries(initial)) {
      const saved = (parsed as Record<string, unknown>)[name];
      if (typeof saved === typeof value) restored[name] = saved;
    }
    return restored as T;
  } catch {
    return initial;
  }
}

export function hasDraft(key: string): boolean {
  try {
    return window.sessionStorage.getItem(PREFIX + key) !== null;
  } catch {
    return false;
  }
}

/** Starts a draft with known values (e.g. a new order for an existing client). */
export function writeDraft(key: string, value: DraftValue): void {
  try {
    window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // storage unavailable: the form starts empty
  }
}

export function clearDrafts(): void {
  try {
    for (let index = window.sessionStorage.length - 1; index >= 0; index--) {
      const key = window.sessionStorage.key(index);
      if (key?.startsWith(PREFIX) === true) window.sessionStorage.removeItem(key);
    }
  } catch {
    // storage unavailable: nothing was saved
  }
}

export function useDraft<T extends DraftValue>(
  key: string,
  initial: T,
): [T, (update: Partial<T>) => void, () => void] {
  const [value, setValue] = useState<T>(() => read(key, initial));
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    if (!dirty) return;
    try {
      window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch {
      // storage full or disabled: the draft is only in memory
    }
  }, [key, value, dirty]);

  const update = useCallback((patch: Partial<T>) => {
    setDirty(true);
    setValue((current) => ({ ...current, ...patch }));
  }, []);

  const clear = useCallback(() => {
    setDirty(false);
    setValue(initial);
    try {
      window.sessionStorage.removeItem(PREFIX + key);
    } catch {
      // nothing to clear
    }
    // `initial` is a fresh literal on every render; the key identifies the draft.
  }, [key]);

  return [value, update, clear];
}
