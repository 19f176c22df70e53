import { useLocale, type Locale } from '../../i18n';
import { ruCount } from '../commonText';

/** The dashboard, in plain words (the analytics panel has its own: analytics/analyticsText). */
const EN = {
  title: 'Dashboard',
  newOrder: 'New order',
  loading: 'Loading the dashboard',
  orders: 'Orders',
  clients: 'Clients',
  portraits: 'Portraits',
  videos: 'Videos',
  storage: 'Storage used',
  viewsToday: 'Views today',
  viewsWeek: (n: number, shown: string) =>
    `${shown} ${n === 1 ? 'view' : 'views'} in the last 7 days`,
  work: 'Work in progress',
  portraitsPreparing: 'Portraits being prepared',
  portraitsReady: 'Portraits ready',
  portraitsAttention: 'Portraits that need attention',
  workPreparing: 'Photos, markers and videos being prepared',
  workAttention: 'Background work that needs attention',
  seeFailed: 'See the orders that need attention',
  recent: 'Recent orders',
  noOrders: 'No orders yet.',
  firstOrder: 'Create the first one',
  allOrders: 'All orders →',
  viewsAll: 'Views across all portraits',
};

export type DashboardText = typeof EN;

const RU: DashboardText = {
  title: 'Главная',
  newOrder: 'Новый заказ',
  loading: 'Загрузка главной страницы',
  orders: 'Заказы',
  clients: 'Клиенты',
  portraits: 'Портреты',
  videos: 'Видео',
  storage: 'Занято в хранилище',
  viewsToday: 'Просмотров сегодня',
  viewsWeek: (n, shown) =>
    `${ruCount(n, 'просмотр', 'просмотра', 'просмотров').replace(String(n), shown)} за последние 7 дней`,
  work: 'В работе',
  portraitsPreparing: 'Портреты готовятся',
  portraitsReady: 'Готовые портреты',
  portraitsAttention: 'Портреты требуют внимания',
  workPreparing: 'Фото, маркеры и видео готовятся',
  workAttention: 'Фоновая работа требует внимания',
  seeFailed: 'Заказы, которые требуют внимания',
  recent: 'Последние заказы',
  noOrders: 'Заказов пока нет.',
  firstOrder: 'Создайте первый',
  allOrders: 'Все заказы →',
  viewsAll: 'Просмотры всех портретов',
};

const TEXTS: Readonly<Record<Locale, DashboardText>> = { en: EN, ru: RU };

export function useDashboardText(): DashboardText {
  return TEXTS[useLocale()];
}
