import type { ProcessingStatus } from '../../infra/db/schema.js';
import type { ViewerLocale } from '../viewer/viewer.i18n.js';

/** The languages of an export's header row and words (the admin app's two). */
export type ExportLocale = ViewerLocale;

type Words<K extends string> = Readonly<Record<ExportLocale, Readonly<Record<K, string>>>>;

export const ORDER_COLUMNS: Words<
  'id' | 'number' | 'createdAt' | 'status' | 'clientName' | 'clientPhone' | 'publicUrl' | 'notes'
> = {
  en: {
    id: 'Order ID',
    number: 'Order number',
    createdAt: 'Created (UTC)',
    status: 'Status',
    clientName: 'Client',
    clientPhone: 'Phone',
    publicUrl: 'Portrait link',
    notes: 'Notes',
  },
  ru: {
    id: 'ID заказа',
    number: 'Номер заказа',
    createdAt: 'Создан (UTC)',
    status: 'Статус',
    clientName: 'Клиент',
    clientPhone: 'Телефон',
    publicUrl: 'Ссылка на портрет',
    notes: 'Заметки',
  },
};

export const CLIENT_COLUMNS: Words<
  'id' | 'name' | 'phone' | 'email' | 'portraitCount' | 'createdAt' | 'notes'
> = {
  en: {
    id: 'Client ID',
    name: 'Name',
    phone: 'Phone',
    email: 'E-mail',
    portraitCount: 'Portraits',
    createdAt: 'Client since (UTC)',
    notes: 'Notes',
  },
  ru: {
    id: 'ID клиента',
    name: 'Имя',
    phone: 'Телефон',
    email: 'E-mail',
    portraitCount: 'Портретов',
    createdAt: 'Клиент с (UTC)',
    notes: 'Заметки',
  },
};

export const ANALYTICS_COLUMNS: Words<
  | 'day'
  | 'portraitId'
  | 'portraitSlug'
  | 'clientName'
  | 'pageViews'
  | 'arStarts'
  | 'markersFound'
  | 'videoPlays'
> = {
  en: {
    day: 'Day (UTC)',
    portraitId: 'Portrait ID',
    portraitSlug: 'Portrait link code',
    clientName: 'Client',
    pageViews: 'Page views',
    arStarts: 'AR starts',
    markersFound: 'Print found',
    videoPlays: 'Video plays',
  },
  ru: {
    day: 'День (UTC)',
    portraitId: 'ID портрета',
    portraitSlug: 'Код ссылки',
    clientName: 'Клиент',
    pageViews: 'Просмотры страницы',
    arStarts: 'Запуски AR',
    markersFound: 'Фото найдено',
    videoPlays: 'Запуски видео',
  },
};

export const STATUS_WORDS: Words<ProcessingStatus> = {
  en: { processing: 'Being prepared', ready: 'Ready', failed: 'Needs attention' },
  ru: { processing: 'Готовится', ready: 'Готов', failed: 'Требует внимания' },
};
