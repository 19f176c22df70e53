import { useId, type ReactNode } from 'react';
import { WarningBadge } from './SystemBadges';

/**
 * One area of the status page: a titled card, marked (style + the warning in words) when
 * something in it needs attention.
 */
export function SystemCard({
  title,
  warning,
  testId,
  children,
}: {
  title: string;
  /** The warning in words, or null when all is well. */
  warning?: string | null;
  testId: string;
  children: ReactNode;
}) {
  const headingId = useId();
  const warn = warning !== undefined && warning !== null;
  return (
    <section
      className={warn ? 'card system-card system-warning' : 'card system-card'}
      aria-labelledby={headingId}
      data-testid={testId}
      data-warning={warn}
    >
      <h2 id={headingId}>{title}</h2>
      {warn && <WarningBadge label={warning} />}
      {children}
    </section>
  );
}

/** A label and its value inside a card's `<dl className="system-facts">`. */
export function Fact({
  label,
  testId,
  children,
}: {
  label: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="system-fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
