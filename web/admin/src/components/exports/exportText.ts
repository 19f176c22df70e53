import { useLocale, type Locale } from '../../i18n';

const EN = {
  exportCsv: 'Export CSV',
  ordersHint: 'The orders matching the filters above, as a spreadsheet (Excel, `;`-separated).',
  clientsHint: 'The clients matching the search, as a spreadsheet (Excel, `;`-separated).',
  searchOrders: 'Search by number, client or phone',
  searchOrdersPlaceholder: 'e.g. VA-000042, Anna or 912 345',
};

export type ExportText = typeof EN;

const RU: ExportText = {
  exportCsv: 'Выгрузить CSV',
  ordersHint: 'Заказы по текущим фильтрам — таблицей для Excel (разделитель «;»).',
  clientsHint: 'Клиенты по текущему поиску — таблицей для Excel (разделитель «;»).',
  searchOrders: 'Поиск по номеру, клиенту или телефону',
  searchOrdersPlaceholder: 'например, VA-000042, Анна или 912 345',
};

const TEXTS: Readonly<Record<Locale, ExportText>> = { en: EN, ru: RU };

export function useExportText(): { locale: Locale; text: ExportText } {
  const locale = useLocale();
  return { locale, text: TEXTS[locale] };
}
