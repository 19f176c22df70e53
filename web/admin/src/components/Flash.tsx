import { useLocation } from '../router';
import { Notice } from './ErrorNotice';

/** A one-off message handed over by the previous page (`navigate(to, {state: {flash}})`). */
export function Flash() {
  const { state } = useLocation();
  if (typeof state !== 'object' || state === null || !('flash' in state)) return null;
  const { flash } = state;
  return typeof flash === 'string' ? <Notice tone="success">{flash}</Notice> : null;
}
