import { useCommonText } from './commonText';
import { Icon, type IconName } from './Icon';

const LOOK: Record<string, { icon: IconName; tone: string }> = {
  processing: { icon: 'clock', tone: 'busy' },
  queued: { icon: 'clock', tone: 'busy' },
  running: { icon: 'clock', tone: 'busy' },
  ready: { icon: 'check', tone: 'good' },
  done: { icon: 'check', tone: 'good' },
  failed: { icon: 'cross', tone: 'bad' },
};

/** A status as icon + word (never colour alone), in plain words unless the page passes its own. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const text = useCommonText();
  const look = LOOK[status] ?? { icon: 'info', tone: 'neutral' };
  return (
    <span className={`badge badge-${look.tone}`} data-status={status}>
      <Icon name={look.icon} size={14} />
      <span>{label ?? text.status[status] ?? status}</span>
    </span>
  );
}

export function ActiveBadge() {
  const text = useCommonText();
  return (
    <span className="badge badge-good" data-active="true">
      <Icon name="star" size={14} />
      <span>{text.active}</span>
    </span>
  );
}
