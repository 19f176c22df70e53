import { StatusBadge } from './StatusBadge';

/** "Portraits failed: 2" with the status's icon; a zero count is shown plainly. */
export function CountLine({
  status,
  label,
  count,
}: {
  status: string;
  label: string;
  count: number;
}) {
  return (
    <li className="count-line">
      {count > 0 ? (
        <StatusBadge status={status} label={label} />
      ) : (
        <span className="count-label">{label}</span>
      )}
      <strong>{count}</strong>
    </li>
  );
}
