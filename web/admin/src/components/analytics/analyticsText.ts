import type { AnalyticsCounts, AnalyticsFunnel } from '../../api';
import { useLocale, type Locale } from '../../i18n';
import { enCount, ruCount } from '../commonText';

type Metric = keyof AnalyticsCounts;
export type FunnelStep = Exclude<keyof AnalyticsFunnel, 'rates'>;

/** The analytics panel (dashboard and portrait page): period, bars, funnel, top portraits. */
const EN = {
  analytics: 'Analytics',
  loading: 'Loading analytics',
  period: 'Period',
  lastDays: (days: number) => enCount(days, 'day'),
  custom: 'Choose dates',
  from: 'From',
  to: 'To',
  show: 'Show',
  rangeProblem: 'The end must not be before the start, and the period can be at most 366 days.',
  bars: 'Bars',
  byDay: 'By day',
  byWeek: 'By week',
  chart: 'Chart',
  metrics: {
    pageViews: 'Page views',
    arStarts: 'Camera started',
    markersFound: 'Portrait recognised',
    videoPlays: 'Video played',
  } satisfies Record<Metric, string>,
  shownRange: (from: string, to: string) => `${from} – ${to}`,
  chartLabel: (metric: string, week: boolean, range: string) =>
    `${metric} per ${week ? 'week' : 'day'}, ${range}`,
  funnel: 'From the link to the video',
  funnelSteps: {
    opened: 'Opened the page',
    started: 'Started the camera',
    found: 'Camera recognised the portrait',
    played: 'Watched the video',
  } satisfies Record<FunnelStep, string>,
  ofPrevious: (percent: string) => `${percent} of the step before`,
  nobodyBefore: 'nobody reached the step before',
  overall: (percent: string) => `${percent} of those who opened the page watched the video.`,
  funnelNote: 'Each step counts a visitor once in 30 minutes.',
  top: 'Most viewed portraits',
  loadingTop: 'Loading the most viewed portraits',
  topEmpty: 'No portrait was viewed in this period.',
  views: (n: number, shown: string) => `${shown} ${n === 1 ? 'view' : 'views'}`,
  exportCsv: 'Export CSV',
  exportHint:
    'Each portrait’s figures per day of this period, as a spreadsheet (Excel, `;`-separated).',
  showTable: 'Show the numbers as a table',
  tableCaption: 'Analytics by period',
  day: 'Day',
  week: 'Week',
};

export type AnalyticsText = typeof EN;

const RU: AnalyticsText = {
  analytics: 'Статистика',
  loading: 'Загрузка статистики',
  period: 'Период',
  lastDays: (days) => ruCount(days, 'день', 'дня', 'дней'),
  custom: 'Свои даты',
  from: 'С',
  to: 'По',
  show: 'Показать',
  rangeProblem: 'Конец периода не может быть раньше начала, а сам период — длиннее 366 дней.',
  bars: 'Столбцы',
  byDay: 'По дням',
  byWeek: 'По неделям',
  chart: 'График',
  metrics: {
    pageViews: 'Открытия страницы',
    arStarts: 'Запуски камеры',
    markersFound: 'Портрет распознан',
    videoPlays: 'Видео воспроизведено',
  },
  shownRange: (from, to) => `${from} – ${to}`,
  chartLabel: (metric, week, range) => `${metric} по ${week ? 'неделям' : 'дням'}, ${range}`,
  funnel: 'От ссылки до видео',
  funnelSteps: {
    opened: 'Открыли страницу',
    started: 'Запустили камеру',
    found: 'Камера узнала портрет',
    played: 'Посмотрели видео',
  },
  ofPrevious: (percent) => `${percent} от предыдущего шага`,
  nobodyBefore: 'до предыдущего шага никто не дошёл',
  overall: (percent) => `${percent} открывших страницу посмотрели видео.`,
  funnelNote: 'Каждый шаг считает посетителя один раз за 30 минут.',
  top: 'Самые просматриваемые портреты',
  loadingTop: 'Загрузка самых просматриваемых портретов',
  topEmpty: 'За этот период портреты не открывали.',
  views: (n, shown) => ruCount(n, 'просмотр', 'просмотра', 'просмотров').replace(String(n), shown),
  exportCsv: 'Выгрузить CSV',
  exportHint:
    'Числа каждого портрета по дням за этот период — таблицей для Excel (разделитель «;»).',
  showTable: 'Показать числа таблицей',
  tableCaption: 'Статистика по периодам',
  day: 'День',
  week: 'Неделя',
};

const TEXTS: Readonly<Record<Locale, AnalyticsText>> = { en: EN, ru: RU };

export function useAnalyticsText(): AnalyticsText {
  return TEXTS[useLocale()];
}
