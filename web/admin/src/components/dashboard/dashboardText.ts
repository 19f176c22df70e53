import type { AnalyticsCounts } from '../../api';
import { useLocale, type Locale } from '../../i18n';
import { enCount, ruCount } from '../commonText';

type Metric = keyof AnalyticsCounts;

/** The dashboard and the analytics panel (also on a portrait's page), in plain words. */
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
  analytics: 'Analytics',
  period: 'Period',
  chart: 'Chart',
  lastDays: (days: number) => `Last ${enCount(days, 'day')}`,
  loadingAnalytics: 'Loading analytics',
  metrics: {
    pageViews: 'Page views',
    arStarts: 'Camera started',
    markersFound: 'Portrait recognised',
    videoPlays: 'Video played',
  } satisfies Record<Metric, string>,
  perDay: (metric: string, days: number) => `${metric} per day, last ${enCount(days, 'day')}`,
  showTable: 'Show the numbers as a table',
  tableCaption: 'Analytics per day',
  day: 'Day',
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
  analytics: 'Статистика',
  period: 'Период',
  chart: 'График',
  lastDays: (days) => `Последние ${ruCount(days, 'день', 'дня', 'дней')}`,
  loadingAnalytics: 'Загрузка статистики',
  metrics: {
    pageViews: 'Открытия страницы',
    arStarts: 'Запуски камеры',
    markersFound: 'Портрет распознан',
    videoPlays: 'Видео воспроизведено',
  },
  perDay: (metric, days) => `${metric} по дням, последние ${ruCount(days, 'день', 'дня', 'дней')}`,
  showTable: 'Показать числа таблицей',
  tableCaption: 'Статистика по дням',
  day: 'День',
};

const TEXTS: Readonly<Record<Locale, DashboardText>> = { en: EN, ru: RU };

export function useDashboardText(): DashboardText {
  return TEXTS[useLocale()];
}
