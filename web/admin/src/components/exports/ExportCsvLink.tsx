import { Icon } from '../Icon';
import { useExportText } from './exportText';

/**
 * "Export CSV" for a list: a plain link to the list's `export.csv` with the list's current
 * filters and the app's language, so the browser downloads it with the session cookie (the
 * file is streamed by the server, never held in the page).
 */
export function ExportCsvLink({
  path,
  filters,
  what,
}: {
  path: '/api/orders/export.csv' | '/api/clients/export.csv';
  filters: Record<string, string>;
  what: 'orders' | 'clients';
}) {
  const { locale, text } = useExportText();
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== '') search.set(key, value);
  search.set('lang', locale);
  return (
    <a
      className="button"
      href={`${path}?${search.toString()}`}
      download
      title={what === 'orders' ? text.ordersHint : text.clientsHint}
      data-export={what}
    >
      <Icon name="download" />
      {text.exportCsv}
    </a>
  );
}
