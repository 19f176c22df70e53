import type { SystemStatus } from '../../api';
import { WarningBadge } from './SystemBadges';
import { SystemCard } from './SystemCard';
import type { SystemFormat, SystemText } from './systemText';

/** Below this share of free space a volume is shown as a warning. */
export const LOW_FREE_SHARE = 0.2;

type Volume = SystemStatus['disk'][number];

const freeShare = (volume: Volume): number =>
  volume.totalBytes > 0 ? volume.freeBytes / volume.totalBytes : 0;

function VolumeFree({
  volume,
  text,
  format,
}: {
  volume: Volume;
  text: SystemText;
  format: SystemFormat;
}) {
  const share = freeShare(volume);
  const low = share < LOW_FREE_SHARE;
  const name = text.volumes[volume.volume];
  return (
    <li
      className={low ? 'system-volume system-warning' : 'system-volume'}
      data-volume={volume.volume}
      data-warning={low}
      data-free-bytes={volume.freeBytes}
      data-total-bytes={volume.totalBytes}
    >
      <strong>{name}</strong>
      <p className="system-volume-free">
        <span className="system-figure" data-testid="disk-free">
          {format.bytes(volume.freeBytes)}
        </span>{' '}
        {text.free}
      </p>
      <meter
        min={0}
        max={1}
        low={LOW_FREE_SHARE}
        high={LOW_FREE_SHARE}
        optimum={1}
        value={share}
        aria-label={`${name}: ${text.freeShare}`}
      />
      <p className="muted" data-testid="disk-share">
        {text.ofTotal(format.percent(share), format.bytes(volume.totalBytes))}
      </p>
      {low && <WarningBadge label={text.lowSpace} />}
    </li>
  );
}

/** Free space of each folder the installation writes to. */
export function DiskCard({
  status,
  text,
  format,
}: {
  status: SystemStatus;
  text: SystemText;
  format: SystemFormat;
}) {
  const low = status.disk.some((volume) => freeShare(volume) < LOW_FREE_SHARE);
  return (
    <SystemCard title={text.disk} testId="system-disk" warning={low ? text.needsAttention : null}>
      {status.disk.length === 0 ? (
        <p className="muted">{text.noVolumes}</p>
      ) : (
        <ul className="system-volumes">
          {status.disk.map((volume) => (
            <VolumeFree key={volume.volume} volume={volume} text={text} format={format} />
          ))}
        </ul>
      )}
    </SystemCard>
  );
}
