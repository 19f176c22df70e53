import type { Breadcrumb, Event, RequestEventData } from '@sentry/node';

/**
 * The last step before an event leaves the process: no personal data and no credentials, even
 * where the SDK would send them (`sendDefaultPii: false` already drops most; this is the
 * guarantee). An allow-list where we can (headers), deny-lists of attribute names elsewhere.
 */

/** Request headers an event keeps; cookies, credentials and client IPs are all others. */
const KEPT_HEADERS = new Set(['accept', 'content-length', 'content-type', 'x-request-id']);

/** Span and breadcrumb attributes that may carry credentials, client addresses or bodies. */
const DROPPED_ATTRIBUTE =
  /header|cookie|query|fragment|statement|body|client|peer|remote|user|address|(^|[._])ip($|[._])/i;
/** Attributes that hold a URL or path: their query string may carry a token. */
const URL_ATTRIBUTE = /url|target|path/i;

type Attributes = Record<string, unknown>;
type Span = NonNullable<Event['spans']>[number];

/** Removes `?query` and `#fragment`: tokens travel there. */
function withoutQuery(value: string): string {
  return value.replace(/[?#].*$/s, '');
}

/** Only the method, the route template (a raw path carries public slugs) and harmless headers. */
function scrubRequest(request: RequestEventData, route: string | undefined): RequestEventData {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).filter(([name]) => KEPT_HEADERS.has(name.toLowerCase())),
  );
  return {
    ...(request.method === undefined ? {} : { method: request.method }),
    ...(route === undefined ? {} : { url: route }),
    headers,
  };
}

/** `hasRoute`: the span is named by its template, so raw URL attributes are not needed at all. */
function scrubAttributes(data: Attributes, hasRoute: boolean): void {
  for (const [key, value] of Object.entries(data)) {
    if (DROPPED_ATTRIBUTE.test(key) || (hasRoute && URL_ATTRIBUTE.test(key))) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keys are the SDK's
      delete data[key];
    } else if (URL_ATTRIBUTE.test(key) && typeof value === 'string') {
      data[key] = withoutQuery(value);
    }
  }
}

function scrubSpan(span: Span): void {
  scrubAttributes(span.data, 'http.route' in span.data);
  if (span.description === undefined) return;
  // A statement may hold values (rate-limit keys name client IPs): keep its verb only.
  span.description = span.op?.startsWith('db')
    ? (span.description.split(/\s/)[0] ?? '')
    : withoutQuery(span.description);
}

/** `beforeSend` and `beforeSendTransaction`: returns the same event, scrubbed in place. */
export function scrubEvent<E extends Event>(event: E): E {
  const route = typeof event.tags?.route === 'string' ? event.tags.route : undefined;
  if (event.request !== undefined) event.request = scrubRequest(event.request, route);
  if (event.user !== undefined) {
    // Ids only: no IP address, e-mail or name.
    const { id } = event.user;
    if (id === undefined) delete event.user;
    else event.user = { id };
  }
  if (event.transaction !== undefined) {
    // A name the SDK derived from the raw URL (no route named it): the method alone.
    event.transaction =
      event.transaction_info?.source === 'url'
        ? `${event.transaction.split(' ')[0] ?? ''} unmatched`
        : withoutQuery(event.transaction);
  }
  const traceData = event.contexts?.trace?.data;
  if (traceData !== undefined) scrubAttributes(traceData, 'http.route' in traceData);
  for (const span of event.spans ?? []) scrubSpan(span);
  for (const breadcrumb of event.breadcrumbs ?? []) scrubBreadcrumb(breadcrumb);
  return event;
}

/** `beforeBreadcrumb`: outgoing requests' URLs without their query strings. */
export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  if (breadcrumb.data !== undefined) scrubAttributes(breadcrumb.data, false);
  return breadcrumb;
}
