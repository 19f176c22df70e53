import { useLocale, type Locale } from '../../i18n';
import { enCount, ruCount } from '../commonText';

/** The orders list and an order's page (status words: `commonText`'s `status`). */
const EN = {
  title: 'Orders',
  newOrder: 'New order',
  filters: 'Filter orders',
  status: 'Status',
  allStatuses: 'All',
  from: 'From',
  to: 'To',
  loadingList: 'Loading orders',
  noMatch: 'No orders match.',
  count: (n: number) => enCount(n, 'order'),
  columns: {
    order: 'Order',
    portrait: 'Portrait',
    client: 'Client',
    status: 'Status',
    created: 'Created',
  },
  order: 'Order',
  orderNumber: (number: string) => `Order ${number}`,
  loadingOrder: 'Loading the order',
};

export type OrdersText = typeof EN;

const RU: OrdersText = {
  title: 'Заказы',
  newOrder: 'Новый заказ',
  filters: 'Фильтры заказов',
  status: 'Состояние',
  allStatuses: 'Все',
  from: 'С даты',
  to: 'По дату',
  loadingList: 'Загрузка заказов',
  noMatch: 'Ни один заказ не подходит.',
  count: (n) => ruCount(n, 'заказ', 'заказа', 'заказов'),
  columns: {
    order: 'Заказ',
    portrait: 'Портрет',
    client: 'Клиент',
    status: 'Состояние',
    created: 'Создан',
  },
  order: 'Заказ',
  orderNumber: (number) => `Заказ ${number}`,
  loadingOrder: 'Загрузка заказа',
};

const TEXTS: Readonly<Record<Locale, OrdersText>> = { en: EN, ru: RU };

/** The orders' pages' words in the chosen language. */
export function useOrdersText(): OrdersText {
  return TEXTS[useLocale()];
}
