import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { errorText, isCatalogued } from '../errorMessages';
import { currentLocale, useLocale, type Locale, type Localized } from '../i18n';
import { Icon } from './Icon';

/** An error as a person reads it: what happened, what to do, and the code for support. */
export interface ErrorWords {
  message: string;
  next: string | null;
  /** The API's machine code, shown small; null for the app's own errors. */
  code: string | null;
}

const CODE_LABEL: Localized = { ru: 'код', en: 'code' };

/** A code the catalogue does not know (an answer that was not JSON: `http_502`) by its status. */
function codeOfStatus(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'internal_error';
  return 'unknown_error';
}

/**
 * The catalogue's words for an API error (never the server's developer message); an error the
 * app made itself (e.g. "upload cancelled") already is in words.
 */
export function describeError(error: unknown, locale: Locale): ErrorWords {
  if (error instanceof ApiError) {
    const text = errorText(
      isCatalogued(error.code) ? error.code : codeOfStatus(error.status),
      locale,
    );
    return {
      ...text,
      code: error.code === 'network_error' ? null : error.code,
    };
  }
  if (error instanceof Error && error.message !== '') {
    return { message: error.message, next: null, code: null };
  }
  return { ...errorText('unknown_error', locale), code: null };
}

/** The message alone, in the current language. */
export const errorMessage = (error: unknown): string =>
  describeError(error, currentLocale()).message;

/** An error in words, announced to screen readers. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const locale = useLocale();
  if (error === null || error === undefined) return null;
  const words = describeError(error, locale);
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="alert" />
      <div>
        {title !== undefined && <strong>{title} </strong>}
        <span className="error-message">{words.message}</span>
        {words.next !== null && <span className="error-next"> {words.next}</span>}
        {words.code !== null && (
          <small className="code error-code">
            {' '}
            ({CODE_LABEL[locale]}: {words.code})
          </small>
        )}
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
