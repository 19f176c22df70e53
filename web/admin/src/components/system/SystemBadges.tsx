import { Icon } from '../Icon';
import { StatusBadge } from '../StatusBadge';
import type { SystemText } from './systemText';

/** Healthy or not, as icon + word. */
export function HealthBadge({ ok, text }: { ok: boolean; text: SystemText }) {
  return (
    <StatusBadge status={ok ? 'ready' : 'failed'} label={ok ? text.healthy : text.unhealthy} />
  );
}

/** What a warning style means, in words (never colour alone). */
export function WarningBadge({ label }: { label: string }) {
  return (
    <span className="badge badge-busy system-warning-badge">
      <Icon name="alert" size={14} />
      <span>{label}</span>
    </span>
  );
}
