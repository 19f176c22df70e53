import { useLocale, type Locale } from '../../i18n';
import type { SessionNotice } from '../../session';

/** The navigation's pages, by path. */
export type NavPath =
  | '/'
  | '/orders'
  | '/orders/new'
  | '/orders/bulk'
  | '/clients'
  | '/studio'
  | '/users'
  | '/backups'
  | '/audit'
  | '/system'
  | '/api-keys'
  | '/account';

/**
 * The app's frame: header, navigation, login, the session-expired dialog, the HTTPS warning
 * and the page-not-found page. The audit and system names match those pages' own titles.
 */
const EN = {
  skip: 'Skip to content',
  mainNav: 'Main',
  menu: 'Menu',
  language: 'Language',
  nav: {
    '/': 'Dashboard',
    '/orders': 'Orders',
    '/orders/new': 'New order',
    '/orders/bulk': 'Bulk orders',
    '/clients': 'Clients',
    '/studio': 'Studio',
    '/users': 'Users',
    '/backups': 'Backups',
    '/audit': 'Audit log',
    '/system': 'System status',
    '/api-keys': 'API keys',
    '/account': 'Account',
  } satisfies Record<NavPath, string>,
  loggedInAs: 'Logged in as ',
  roles: { admin: 'admin', operator: 'operator' },
  logOut: 'Log out',
  logIn: 'Log in',
  loggingIn: 'Logging in…',
  loginTitle: 'Log in to the studio',
  username: 'Username',
  password: 'Password',
  wrongCredentials: 'Wrong username or password.',
  checkingSession: 'Checking your session',
  logInAgain: 'Log in again',
  notices: {
    expired: 'Your session expired. Log in again to continue.',
    loggedOut: 'You are logged out.',
    logoutUnconfirmed: 'You are logged out on this screen, but the server could not confirm it.',
  } satisfies Record<Exclude<SessionNotice['kind'], 'checkFailed'>, string>,
  checkFailed: (detail: string) => `Could not check the session: ${detail}`,
  nothingLost: 'Nothing you typed on this page is lost.',
  httpsLabel: 'HTTPS warning',
  httpsIs: 'PUBLIC_BASE_URL is',
  httpsWhy:
    'phones open the camera only over HTTPS, so QR codes printed now will not work on phones.',
  httpsLoopback:
    'A localhost address does not help: for a phone, localhost is the phone itself, not this server.',
  httpsFix:
    'Set PUBLIC_BASE_URL to an https:// address (see PUBLIC_BASE_URL in the README) and restart.',
  notFound: 'Page not found',
  notFoundText: 'There is no page at this address.',
  toDashboard: 'Go to the dashboard',
  documentTitle: (title: string) => `${title} · Vertex AR admin`,
};

export type ShellText = typeof EN;

const RU: ShellText = {
  skip: 'К содержимому',
  mainNav: 'Главное меню',
  menu: 'Меню',
  language: 'Язык',
  nav: {
    '/': 'Главная',
    '/orders': 'Заказы',
    '/orders/new': 'Новый заказ',
    '/orders/bulk': 'Массовые заказы',
    '/clients': 'Клиенты',
    '/studio': 'Студия',
    '/users': 'Пользователи',
    '/backups': 'Резервные копии',
    '/audit': 'Журнал аудита',
    '/system': 'Состояние системы',
    '/api-keys': 'API-ключи',
    '/account': 'Учётная запись',
  },
  loggedInAs: 'Вы вошли как ',
  roles: { admin: 'администратор', operator: 'оператор' },
  logOut: 'Выйти',
  logIn: 'Войти',
  loggingIn: 'Вход…',
  loginTitle: 'Вход в студию',
  username: 'Имя пользователя',
  password: 'Пароль',
  wrongCredentials: 'Неверное имя пользователя или пароль.',
  checkingSession: 'Проверяем вход',
  logInAgain: 'Войдите снова',
  notices: {
    expired: 'Сеанс истёк. Войдите снова, чтобы продолжить.',
    loggedOut: 'Вы вышли.',
    logoutUnconfirmed: 'Вы вышли на этом экране, но сервер не подтвердил выход.',
  },
  checkFailed: (detail) => `Не удалось проверить вход: ${detail}`,
  nothingLost: 'Всё, что вы ввели на этой странице, сохранится.',
  httpsLabel: 'Предупреждение о HTTPS',
  httpsIs: 'PUBLIC_BASE_URL =',
  httpsWhy:
    'телефоны открывают камеру только по HTTPS, поэтому QR-коды, напечатанные сейчас, на телефонах работать не будут.',
  httpsLoopback:
    'Адрес localhost не поможет: для телефона localhost — это сам телефон, а не этот сервер.',
  httpsFix:
    'Укажите в PUBLIC_BASE_URL адрес https:// (см. PUBLIC_BASE_URL в README) и перезапустите сервер.',
  notFound: 'Страница не найдена',
  notFoundText: 'По этому адресу страницы нет.',
  toDashboard: 'Перейти на главную',
  documentTitle: (title) => `${title} · Vertex AR, управление`,
};

const TEXTS: Readonly<Record<Locale, ShellText>> = { en: EN, ru: RU };

/** The frame's words in the chosen language. */
export function useShellText(): { locale: Locale; text: ShellText } {
  const locale = useLocale();
  return { locale, text: TEXTS[locale] };
}

/** What the login page says about why it is shown. */
export function noticeText(text: ShellText, notice: SessionNotice): string {
  return notice.kind === 'checkFailed'
    ? text.checkFailed(notice.detail)
    : text.notices[notice.kind];
}
