import { useLocale, type Locale } from '../../i18n';
import { enCount, ruCount } from '../commonText';

/** The clients list, a client's page and the client form. */
const EN = {
  title: 'Clients',
  searchLabel: 'Search clients',
  search: 'Search by name or phone',
  searchPlaceholder: 'e.g. Anna or 999 12',
  loadingList: 'Loading clients',
  noneYet: 'No clients yet: they are created with their first order.',
  noMatch: 'No client matches.',
  count: (n: number) => enCount(n, 'client'),
  columns: {
    name: 'Name',
    phone: 'Phone',
    email: 'E-mail',
    portraits: 'Portraits',
    since: 'Since',
  },
  client: 'Client',
  loadingClient: 'Loading the client',
  portraits: 'Portraits',
  noPortraits: 'No portraits.',
  newOrder: 'New order for this client',
  details: 'Details',
  deleteLabel: 'Delete the client',
  deleteTitle: (name: string) => `Delete ${name}?`,
  deleteMessage: (portraits: number) =>
    `The client and all of their portraits (${portraits}), videos and files are removed. ` +
    'Their public links and printed QR codes stop working. This cannot be undone.',
  deleteClient: 'Delete client',
  deleted: (name: string) => `${name} was deleted.`,
  form: {
    label: 'Edit client',
    name: 'Name',
    phone: 'Phone',
    email: 'E-mail',
    enterName: 'Enter a name.',
    enterPhone: 'Enter a phone number (at least 6 digits).',
    saved: 'Saved.',
    saving: 'Saving…',
    save: 'Save changes',
  },
};

export type ClientsText = typeof EN;

const RU: ClientsText = {
  title: 'Клиенты',
  searchLabel: 'Поиск клиентов',
  search: 'Поиск по имени или телефону',
  searchPlaceholder: 'например, Анна или 999 12',
  loadingList: 'Загрузка клиентов',
  noneYet: 'Клиентов пока нет: клиент появляется вместе с первым заказом.',
  noMatch: 'Ни один клиент не подходит.',
  count: (n) => ruCount(n, 'клиент', 'клиента', 'клиентов'),
  columns: {
    name: 'Имя',
    phone: 'Телефон',
    email: 'Эл. почта',
    portraits: 'Портреты',
    since: 'С нами с',
  },
  client: 'Клиент',
  loadingClient: 'Загрузка клиента',
  portraits: 'Портреты',
  noPortraits: 'Портретов нет.',
  newOrder: 'Новый заказ для клиента',
  details: 'Данные клиента',
  deleteLabel: 'Удаление клиента',
  deleteTitle: (name) => `Удалить клиента «${name}»?`,
  deleteMessage: (portraits) =>
    `Клиент и все его портреты (${portraits}), видео и файлы будут удалены. ` +
    'Публичные ссылки и напечатанные QR-коды перестанут работать. Отменить это нельзя.',
  deleteClient: 'Удалить клиента',
  deleted: (name) => `Клиент «${name}» удалён.`,
  form: {
    label: 'Изменение клиента',
    name: 'Имя',
    phone: 'Телефон',
    email: 'Эл. почта',
    enterName: 'Введите имя.',
    enterPhone: 'Введите номер телефона (не меньше 6 цифр).',
    saved: 'Сохранено.',
    saving: 'Сохранение…',
    save: 'Сохранить изменения',
  },
};

const TEXTS: Readonly<Record<Locale, ClientsText>> = { en: EN, ru: RU };

/** The clients' pages' words in the chosen language. */
export function useClientsText(): ClientsText {
  return TEXTS[useLocale()];
}
