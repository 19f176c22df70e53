import type { Locale, Localized } from '../../i18n';

/**
 * What the server records, in words: every audit action and entity type it writes today. An
 * action the server adds later still shows, by its code.
 */

export const AUDIT_AREAS = {
  auth: { en: 'Sign-in and sessions', ru: 'Вход и сеансы' },
  user: { en: 'Users', ru: 'Пользователи' },
  api_key: { en: 'API keys', ru: 'API-ключи' },
  order: { en: 'Orders', ru: 'Заказы' },
  client: { en: 'Clients', ru: 'Клиенты' },
  portrait: { en: 'Portraits', ru: 'Портреты' },
  video: { en: 'Videos', ru: 'Видео' },
  studio: { en: 'Studio', ru: 'Студия' },
  analytics: { en: 'Analytics', ru: 'Аналитика' },
  backup: { en: 'Backups', ru: 'Резервные копии' },
} as const satisfies Record<string, Localized>;

export const AUDIT_ACTIONS: Readonly<Record<string, Localized>> = {
  'auth.login': { en: 'Logged in', ru: 'Вход' },
  'auth.login_failed': { en: 'Login failed', ru: 'Неудачный вход' },
  'auth.logout': { en: 'Logged out', ru: 'Выход' },
  'auth.lockout': { en: 'Login locked', ru: 'Вход заблокирован' },
  'auth.unlock': { en: 'Login lock lifted', ru: 'Блокировка входа снята' },
  'auth.password_change': { en: 'Changed own password', ru: 'Смена своего пароля' },
  'auth.password_change_failed': { en: 'Password change refused', ru: 'Отказ в смене пароля' },
  'auth.session_revoke': { en: 'Session closed', ru: 'Сеанс закрыт' },
  'auth.sessions_revoke_others': { en: 'Other sessions closed', ru: 'Другие сеансы закрыты' },
  'auth.two_factor_enabled': {
    en: 'Two-factor sign-in turned on',
    ru: 'Двухфакторный вход включён',
  },
  'auth.two_factor_disabled': {
    en: 'Two-factor sign-in turned off',
    ru: 'Двухфакторный вход выключен',
  },
  'auth.backup_codes_regenerated': {
    en: 'New backup codes made',
    ru: 'Созданы новые резервные коды',
  },
  'auth.two_factor_failed': { en: 'Wrong second-factor code', ru: 'Неверный код второго шага' },
  'auth.sso_linked': { en: 'Sign-on provider linked', ru: 'Вход через сервис привязан' },
  'auth.sso_unlinked': { en: 'Sign-on provider unlinked', ru: 'Вход через сервис отвязан' },
  'auth.sso_refused': { en: 'Sign-on refused', ru: 'Отказ во входе через сервис' },
  'auth.password_login_changed': {
    en: 'Password login turned on or off',
    ru: 'Вход по паролю включён или выключен',
  },
  'user.create': { en: 'User created', ru: 'Пользователь создан' },
  'user.update': { en: 'User changed', ru: 'Пользователь изменён' },
  'user.role.sync': { en: 'Role set by sign-on provider', ru: 'Роль задана сервисом входа' },
  'user.locale_change': { en: 'Language changed', ru: 'Язык изменён' },
  'user.set_password': {
    en: 'Password set (command line)',
    ru: 'Пароль задан (командная строка)',
  },
  'user.reset_password': { en: 'Password reset', ru: 'Пароль сброшен' },
  'user.two_factor_reset': {
    en: 'Two-factor sign-in reset',
    ru: 'Двухфакторный вход сброшен',
  },
  'api_key.create': { en: 'API key created', ru: 'API-ключ создан' },
  'api_key.revoke': { en: 'API key revoked', ru: 'API-ключ отозван' },
  'order.create': { en: 'Order created', ru: 'Заказ создан' },
  'client.update': { en: 'Client changed', ru: 'Клиент изменён' },
  'order.notes.set': { en: 'Order note changed', ru: 'Заметка к заказу изменена' },
  'client.notes.set': { en: 'Client note changed', ru: 'Заметка о клиенте изменена' },
  'order.export': { en: 'Orders exported (CSV)', ru: 'Выгрузка заказов (CSV)' },
  'client.export': { en: 'Clients exported (CSV)', ru: 'Выгрузка клиентов (CSV)' },
  'analytics.export': { en: 'Analytics exported (CSV)', ru: 'Выгрузка аналитики (CSV)' },
  'client.delete': { en: 'Client deleted', ru: 'Клиент удалён' },
  'client.merge': { en: 'Clients merged', ru: 'Клиенты объединены' },
  'portrait.delete': { en: 'Portrait deleted', ru: 'Портрет удалён' },
  'portrait.marker.regenerate': { en: 'Marker regenerated', ru: 'Маркер пересоздан' },
  'portrait.link.send': { en: 'Link e-mailed', ru: 'Ссылка отправлена письмом' },
  'video.add': { en: 'Video added', ru: 'Видео добавлено' },
  'video.activate': { en: 'Video made active', ru: 'Видео сделано активным' },
  'video.delete': { en: 'Video deleted', ru: 'Видео удалено' },
  'studio.logo.set': { en: 'Studio logo set', ru: 'Логотип студии загружен' },
  'studio.logo.remove': { en: 'Studio logo removed', ru: 'Логотип студии удалён' },
  'backup.create_requested': { en: 'Backup started', ru: 'Запущено резервное копирование' },
  'backup.created': { en: 'Backup created', ru: 'Резервная копия создана' },
  'backup.verify_requested': { en: 'Backup check started', ru: 'Запущена проверка копии' },
  'backup.verified': { en: 'Backup verified', ru: 'Копия проверена' },
  'backup.failed': { en: 'Backup job failed', ru: 'Ошибка резервного копирования' },
  'backup.download': { en: 'Backup downloaded', ru: 'Копия скачана' },
};

export const AUDIT_ENTITIES: Readonly<Record<string, Localized>> = {
  user: { en: 'User', ru: 'Пользователь' },
  session: { en: 'Session', ru: 'Сеанс' },
  api_key: { en: 'API key', ru: 'API-ключ' },
  login_lockout: { en: 'Login lock', ru: 'Блокировка входа' },
  order: { en: 'Order', ru: 'Заказ' },
  client: { en: 'Client', ru: 'Клиент' },
  portrait: { en: 'Portrait', ru: 'Портрет' },
  video: { en: 'Video', ru: 'Видео' },
  studio_asset: { en: 'Studio file', ru: 'Файл студии' },
  backup: { en: 'Backup', ru: 'Резервная копия' },
};

export const actionLabel = (action: string, locale: Locale): string =>
  AUDIT_ACTIONS[action]?.[locale] ?? action;

export const entityLabel = (type: string, locale: Locale): string =>
  AUDIT_ENTITIES[type]?.[locale] ?? type;

/** The known actions of an area (`auth`), in the order above. */
export const actionsOf = (area: string): string[] =>
  Object.keys(AUDIT_ACTIONS).filter((action) => action.startsWith(`${area}.`));
