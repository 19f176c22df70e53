import { useEffect, useRef } from 'react';
import { useSession } from '../session';

/**
 * Calls `tick` every `intervalMs` while `active`, the tab is visible and the session is live
 * (no point asking while a login dialog is open).
 */
export function usePolling(tick: () => void, intervalMs: number, active: boolean): void {
  const { expired } = useSession();
  const tickRef = useRef(tick);
  tickRef.current = tick;

  useEffect(() => {
    if (!active || expired) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') tickRef.current();
    }, intervalMs);
    return () => {
      window.clearInterval(timer);
    };
  }, [active, expired, intervalMs]);
}
