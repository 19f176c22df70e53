import { useLocale, type Locale } from '../../i18n';

/** The API keys page: the list, creating a key (shown once) and revoking one. */
const EN = {
  title: 'API keys',
  leadAdmin: 'Keys let integrations use the API without a password. You see every key.',
  leadOperator: 'Keys let integrations use the API without a password. You see the keys you made.',
  loading: 'Loading API keys',
  none: 'No API keys yet.',
  name: 'Name',
  key: 'Key',
  role: 'Role',
  createdBy: 'Created by',
  created: 'Created',
  expires: 'Expires',
  lastUsed: 'Last used',
  status: 'Status',
  actions: 'Actions',
  never: 'Never',
  from: (ip: string) => ` from ${ip}`,
  revoked: 'Revoked',
  expired: 'Expired',
  active: 'Active',
  revokeTitle: (name: string) => `Revoke the key “${name}”?`,
  revokeMessage: 'Integrations using it stop working at once. This cannot be undone.',
  revokeConfirm: 'Revoke key',
  revokedNow: (name: string) => `The key “${name}” was revoked.`,
  revoke: 'Revoke',
  createTitle: 'Create an API key',
  roleOptions: {
    operator: 'Operator (orders, clients, portraits)',
    admin: 'Administrator (also deletes and studio settings)',
  },
  nameNeeded: 'Say what the key is for, e.g. “n8n orders”.',
  chooseDate: 'Choose a date.',
  futureDate: 'Choose a date in the future.',
  expiresHint: 'Optional: the key stops working at the end of that day. Empty: until revoked.',
  creating: 'Creating…',
  create: 'Create key',
  copyNow: (name: string) => `Copy the key “${name}” now`,
  onlyOnce:
    'This is the only time it is shown: it cannot be shown again after you leave this page. ' +
    "Keep it in your integration's secret settings and send it as",
  copyKey: 'Copy key',
  copiedIt: 'I have copied it',
};

export type ApiKeysText = typeof EN;

const RU: ApiKeysText = {
  title: 'API-ключи',
  leadAdmin: 'Ключи дают внешним программам доступ к API без пароля. Вы видите все ключи.',
  leadOperator:
    'Ключи дают внешним программам доступ к API без пароля. Вы видите ключи, созданные вами.',
  loading: 'Загрузка API-ключей',
  none: 'API-ключей пока нет.',
  name: 'Название',
  key: 'Ключ',
  role: 'Роль',
  createdBy: 'Создал',
  created: 'Создан',
  expires: 'Действует до',
  lastUsed: 'Последнее использование',
  status: 'Состояние',
  actions: 'Действия',
  never: 'Никогда',
  from: (ip) => ` с адреса ${ip}`,
  revoked: 'Отозван',
  expired: 'Истёк',
  active: 'Действует',
  revokeTitle: (name) => `Отозвать ключ «${name}»?`,
  revokeMessage: 'Программы, которые им пользуются, сразу перестанут работать. Это не отменить.',
  revokeConfirm: 'Отозвать ключ',
  revokedNow: (name) => `Ключ «${name}» отозван.`,
  revoke: 'Отозвать',
  createTitle: 'Новый API-ключ',
  roleOptions: {
    operator: 'Оператор (заказы, клиенты, портреты)',
    admin: 'Администратор (также удаление и настройки студии)',
  },
  nameNeeded: 'Напишите, для чего ключ, например «заказы из сайта».',
  chooseDate: 'Выберите дату.',
  futureDate: 'Выберите дату в будущем.',
  expiresHint: 'Необязательно: ключ перестанет работать в конце этого дня. Пусто — до отзыва.',
  creating: 'Создание…',
  create: 'Создать ключ',
  copyNow: (name) => `Скопируйте ключ «${name}» сейчас`,
  onlyOnce:
    'Ключ показывается только один раз: после ухода с этой страницы его не увидеть. ' +
    'Сохраните его в секретных настройках программы и передавайте в заголовке',
  copyKey: 'Скопировать ключ',
  copiedIt: 'Я скопировал ключ',
};

const TEXTS: Readonly<Record<Locale, ApiKeysText>> = { en: EN, ru: RU };

export function useApiKeysText(): ApiKeysText {
  return TEXTS[useLocale()];
}
