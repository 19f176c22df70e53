import { Icon, type IconName } from './Icon';

const LOOK: Record<string, { label: string; icon: IconName; tone: string }> = {
  processing: { label: 'Processing', icon: 'clock', tone: 'busy' },
  queued: { label: 'Queued', icon: 'clock', tone: 'busy' },
  running: { label: 'Running', icon: 'clock', tone: 'busy' },
  ready: { label: 'Ready', icon: 'check', tone: 'good' },
  done: { label: 'Done', icon: 'check', tone: 'good' },
  failed: { label: 'Failed', icon: 'cross', tone: 'bad' },
};

/** A status as icon + word (never colour alone). */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const look = LOOK[status] ?? { label: status, icon: 'info', tone: 'neutral' };
  return (
    <span className={`badge badge-${look.tone}`} data-status={status}>
      <Icon name={look.icon} size={14} />
      <span>{label ?? look.label}</span>
    </span>
  );
}

export function ActiveBadge() {
  return (
    <span className="badge badge-good" data-active="true">
      <Icon name="star" size={14} />
      <span>Active</span>
    </span>
  );
}
