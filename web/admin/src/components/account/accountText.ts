import { useLocale, type Locale } from '../../i18n';
import { enCount, ruCount } from '../commonText';

/** The Account page: own password and the sessions (devices) logged in. */
const EN = {
  title: 'Account',
  logOut: 'Log out',
  changePassword: 'Change your password',
  current: 'Current password',
  next: 'New password',
  repeat: 'New password again',
  enterCurrent: 'Enter your current password.',
  sameAsCurrent: 'Choose a password different from the current one.',
  differ: 'The two new passwords differ.',
  notCurrent: 'This is not your current password.',
  changed: 'Your password was changed.',
  saving: 'Saving…',
  submit: 'Change password',
  sessions: 'Where you are logged in',
  loadingSessions: 'Loading your sessions',
  signedOut: 'That session was signed out.',
  device: 'Device',
  address: 'Address',
  loggedIn: 'Logged in',
  lastSeen: 'Last seen',
  actions: 'Actions',
  unknown: 'Unknown',
  thisDevice: 'This device',
  signOut: 'Sign out',
  signOutOthersTitle: 'Sign out your other sessions?',
  signOutOthersMessage: (n: number) =>
    `${n === 1 ? 'The other device' : `The ${n} other devices`} must log in again. This one stays logged in.`,
  signOutOthersConfirm: 'Sign out others',
  signOutOthers: 'Sign out other sessions',
  othersSignedOut: (n: number) =>
    `${enCount(n, 'other session')} ${n === 1 ? 'was' : 'were'} signed out.`,
};

export type AccountText = typeof EN;

const RU: AccountText = {
  title: 'Учётная запись',
  logOut: 'Выйти',
  changePassword: 'Смена пароля',
  current: 'Текущий пароль',
  next: 'Новый пароль',
  repeat: 'Новый пароль ещё раз',
  enterCurrent: 'Введите текущий пароль.',
  sameAsCurrent: 'Новый пароль должен отличаться от текущего.',
  differ: 'Новые пароли не совпадают.',
  notCurrent: 'Это не ваш текущий пароль.',
  changed: 'Пароль изменён.',
  saving: 'Сохранение…',
  submit: 'Сменить пароль',
  sessions: 'Где выполнен вход',
  loadingSessions: 'Загрузка сеансов',
  signedOut: 'Этот сеанс завершён.',
  device: 'Устройство',
  address: 'Адрес',
  loggedIn: 'Вход',
  lastSeen: 'Последняя активность',
  actions: 'Действия',
  unknown: 'Неизвестно',
  thisDevice: 'Это устройство',
  signOut: 'Завершить',
  signOutOthersTitle: 'Завершить другие сеансы?',
  signOutOthersMessage: (n) =>
    `${n === 1 ? 'На другом устройстве' : `На ${ruCount(n, 'другом устройстве', 'других устройствах', 'других устройствах')}`} нужно будет войти снова. На этом устройстве вход сохранится.`,
  signOutOthersConfirm: 'Завершить другие',
  signOutOthers: 'Завершить другие сеансы',
  othersSignedOut: (n) =>
    `${new Intl.PluralRules('ru-RU').select(n) === 'one' ? 'Завершён' : 'Завершено'} ${ruCount(n, 'другой сеанс', 'других сеанса', 'других сеансов')}.`,
};

const TEXTS: Readonly<Record<Locale, AccountText>> = { en: EN, ru: RU };

export function useAccountText(): AccountText {
  return TEXTS[useLocale()];
}
