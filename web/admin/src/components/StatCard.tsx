import type { ReactNode } from 'react';

/** One number with its label (a `<dl>` pair inside the parent's grid). */
export function StatCard({
  label,
  value,
  note,
}: {
  label: string;
  value: ReactNode;
  note?: ReactNode;
}) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        {note !== undefined && <span className="stat-note">{note}</span>}
      </dd>
    </div>
  );
}
