import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { Icon } from './Icon';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404 && error.code !== 'not_found') return error.message;
    if (error.status === 404) return 'Not found: it may have been deleted.';
    if (error.status === 403 && error.code === 'forbidden') {
      return 'Your role does not allow this.';
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** An error in words, announced to screen readers. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="alert" />
      <div>
        {title !== undefined && <strong>{title} </strong>}
        <span>{errorMessage(error)}</span>
        {code !== null && code !== 'network_error' && <span className="code"> ({code})</span>}
      </div>
    </div>
  );
}

export function Notice({
  tone,
  children,
}: {
  tone: 'info' | 'success' | 'warning';
  children: ReactNode;
}) {
  const icon = tone === 'success' ? 'check' : tone === 'warning' ? 'alert' : 'info';
  return (
    <div className={`notice notice-${tone}`} role="status">
      <Icon name={icon} />
      <div>{children}</div>
    </div>
  );
}
