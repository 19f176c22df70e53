import { useLocale, type Locale } from '../../i18n';

/**
 * Two-factor sign-in: the login's second step, the set-up on the account page (also the
 * enrolment screen the studio's policy shows), backup codes, and single sign-on (the login
 * page's provider buttons, the account's linked services).
 */
const EN = {
  // ---- the login's second step
  secondStepTitle: 'Confirm it is you',
  secondStepLead: 'Your account asks for a second step after the password.',
  codeLabel: 'Code from the authenticator app',
  codeHint: 'The 6 digits the app shows for Vertex AR now.',
  backupLabel: 'Backup code',
  backupHint: 'One of the codes you saved when you set up two-factor sign-in. Each works once.',
  emailLabel: 'Code from the e-mail',
  sentTo: (address: string, until: string) =>
    `We sent a code to ${address}. It is valid until ${until}.`,
  useBackup: 'Use a backup code',
  useApp: 'Use the code from the app',
  useEmail: 'Enter the code from the e-mail',
  sendEmail: 'Send me a code by e-mail',
  sendAgain: 'Send another code',
  sending: 'Sending…',
  verify: 'Confirm',
  verifying: 'Checking…',
  startOver: 'Back to the password',
  sixDigits: 'Enter the 6 digits.',
  enterBackup: 'Enter one of your backup codes.',
  wrongCode: 'This code is wrong or was already used. Wait for the next code in the app.',
  wrongBackup: 'This backup code is wrong or was already used.',
  wrongEmailCode: 'This code is wrong or has expired. Ask for another one.',
  challengeExpired: 'The sign-in step expired or was already used. Log in again.',

  // ---- single sign-on on the login page
  or: 'or',
  signInWith: 'Sign in with',
  ssoProviders: 'Sign in with another service',
  ssoFailed: 'Signing in with the other service did not work.',

  // ---- the studio's policy: set-up before anything else
  enrolmentTitle: 'Set up two-factor sign-in',
  enrolmentLead:
    'Your studio requires a second step at sign-in for your account: a code from an ' +
    'authenticator app on your phone. Until you set it up, the rest of the admin stays closed.',
  enrolmentContinue: 'Continue to the admin',

  // ---- the account page's card
  title: 'Two-factor sign-in',
  loading: 'Loading the two-factor sign-in settings',
  on: 'On',
  off: 'Off',
  offLead:
    'After the password, sign-in also asks for a code from an authenticator app on your ' +
    'phone. Someone who learns your password cannot sign in without the phone.',
  onLead: 'Sign-in asks for a code from your authenticator app after the password.',
  requiredNote: 'Your studio requires two-factor sign-in for your account.',
  emailNote: 'Without the phone at hand, sign-in can also send a code to your e-mail.',
  setUp: 'Set up two-factor sign-in',
  settingUp: 'Preparing…',
  scan: '1. Scan this QR code with the authenticator app on your phone.',
  qrAlt: 'QR code that adds Vertex AR to an authenticator app',
  manual: 'Cannot scan it? Enter this key in the app by hand:',
  keyLabel: 'Key for entering by hand',
  enterCode: '2. Enter the 6-digit code the app now shows for Vertex AR.',
  confirm: 'Confirm and turn on',
  confirming: 'Checking…',
  cancel: 'Cancel',
  turnedOn: 'Two-factor sign-in is on.',
  codesTitle: 'Your backup codes',
  codesWarning:
    'Save them now: they are shown only this once. Each code signs you in once without the ' +
    'phone. Keep them somewhere safe, not on the phone itself.',
  codesList: 'Backup codes',
  copyCodes: 'Copy the codes',
  downloadCodes: 'Download as a text file',
  codesSaved: 'I have saved the codes',
  codesFileTitle: 'Vertex AR backup codes',
  codesFileFor: (username: string) => `Account: ${username}`,
  codesFileNote: 'Each code works once. Keep this file somewhere safe.',
  remaining: (n: number) =>
    n === 1 ? '1 backup code left out of 10.' : `${n} backup codes left out of 10.`,
  fewLeft: 'Few backup codes are left: make new ones.',
  regenerateTitle: 'New backup codes',
  regenerateLead: 'The old codes stop working as soon as the new ones are made.',
  regenerate: 'Make new backup codes',
  regenerating: 'Making…',
  appCode: 'Code from the app',
  appOrBackupCode: 'Code from the app or a backup code',
  disableTitle: 'Turn off two-factor sign-in',
  disableLead: 'Sign-in will ask only for the password. Your backup codes stop working.',
  disableRequired: 'Your studio requires it: at the next sign-in you will have to set it up again.',
  password: 'Current password',
  enterPassword: 'Enter your current password.',
  notCurrent: 'This is not your current password.',
  disable: 'Turn off',
  disabling: 'Turning off…',
  turnedOff: 'Two-factor sign-in is off.',

  // ---- the account page's linked services
  linksTitle: 'Sign-in with other services',
  linksLead: 'Link an account of another service to sign in with it instead of the password.',
  loadingLinks: 'Loading the linked services',
  noLinks: 'No service is linked yet.',
  service: 'Service',
  email: 'E-mail',
  linkedAt: 'Linked',
  actions: 'Actions',
  link: 'Link',
  linking: 'Opening…',
  unlink: 'Unlink',
  unlinkTitle: (label: string) => `Unlink ${label}?`,
  unlinkMessage: 'You will no longer be able to sign in with this service.',
  linked: (label: string) => `${label} is linked: you can sign in with it.`,
  unlinked: (label: string) => `${label} is unlinked.`,
  passwordLoginTitle: 'Sign-in with the password',
  passwordLoginOn: 'You can sign in with your username and password.',
  passwordLoginOff: 'Sign-in with the password is off: only a linked service signs you in.',
  turnOffPassword: 'Turn off sign-in with the password',
  turnOnPassword: 'Turn on sign-in with the password',
  turnOffPasswordTitle: 'Turn off sign-in with the password?',
  turnOffPasswordMessage:
    'Only the linked services will sign you in. Your password stays saved and can be turned on again here.',
  passwordTurnedOff: 'Sign-in with the password is off.',
  passwordTurnedOn: 'Sign-in with the password is on.',
};

export type TwoFactorText = typeof EN;

const RU: TwoFactorText = {
  secondStepTitle: 'Подтвердите, что это вы',
  secondStepLead: 'Для этой учётной записи после пароля нужен второй шаг.',
  codeLabel: 'Код из приложения-аутентификатора',
  codeHint: '6 цифр, которые приложение сейчас показывает для Vertex AR.',
  backupLabel: 'Резервный код',
  backupHint:
    'Один из кодов, сохранённых при настройке двухфакторного входа. Каждый действует один раз.',
  emailLabel: 'Код из письма',
  sentTo: (address, until) => `Код отправлен на ${address}. Он действует до ${until}.`,
  useBackup: 'Ввести резервный код',
  useApp: 'Ввести код из приложения',
  useEmail: 'Ввести код из письма',
  sendEmail: 'Прислать код на эл. почту',
  sendAgain: 'Прислать код ещё раз',
  sending: 'Отправка…',
  verify: 'Подтвердить',
  verifying: 'Проверка…',
  startOver: 'Назад к паролю',
  sixDigits: 'Введите 6 цифр.',
  enterBackup: 'Введите один из резервных кодов.',
  wrongCode: 'Код неверный или уже использован. Дождитесь следующего кода в приложении.',
  wrongBackup: 'Резервный код неверный или уже использован.',
  wrongEmailCode: 'Код неверный или устарел. Запросите новый.',
  challengeExpired: 'Время на подтверждение входа вышло, или оно уже использовано. Войдите снова.',

  or: 'или',
  signInWith: 'Войти через',
  ssoProviders: 'Вход через другой сервис',
  ssoFailed: 'Войти через другой сервис не удалось.',

  enrolmentTitle: 'Настройте двухфакторный вход',
  enrolmentLead:
    'В вашей студии для этой учётной записи обязателен второй шаг при входе — код из ' +
    'приложения-аутентификатора на телефоне. Пока вы его не настроите, остальные разделы закрыты.',
  enrolmentContinue: 'Перейти к работе',

  title: 'Двухфакторный вход',
  loading: 'Загрузка настроек двухфакторного входа',
  on: 'Включён',
  off: 'Выключен',
  offLead:
    'После пароля вход будет спрашивать код из приложения-аутентификатора на вашем телефоне. ' +
    'Тот, кто узнает пароль, без телефона не войдёт.',
  onLead: 'После пароля вход спрашивает код из приложения-аутентификатора.',
  requiredNote: 'В вашей студии двухфакторный вход для этой учётной записи обязателен.',
  emailNote: 'Если телефона нет под рукой, при входе можно получить код на эл. почту.',
  setUp: 'Настроить двухфакторный вход',
  settingUp: 'Подготовка…',
  scan: '1. Отсканируйте этот QR-код приложением-аутентификатором на телефоне.',
  qrAlt: 'QR-код, добавляющий Vertex AR в приложение-аутентификатор',
  manual: 'Не получается отсканировать? Введите в приложении этот ключ вручную:',
  keyLabel: 'Ключ для ввода вручную',
  enterCode: '2. Введите 6-значный код, который приложение сейчас показывает для Vertex AR.',
  confirm: 'Подтвердить и включить',
  confirming: 'Проверка…',
  cancel: 'Отмена',
  turnedOn: 'Двухфакторный вход включён.',
  codesTitle: 'Ваши резервные коды',
  codesWarning:
    'Сохраните их сейчас: они показываются только один раз. Каждый код позволяет один раз ' +
    'войти без телефона. Храните их в надёжном месте, но не на самом телефоне.',
  codesList: 'Резервные коды',
  copyCodes: 'Скопировать коды',
  downloadCodes: 'Скачать текстовым файлом',
  codesSaved: 'Я сохранил коды',
  codesFileTitle: 'Резервные коды Vertex AR',
  codesFileFor: (username) => `Учётная запись: ${username}`,
  codesFileNote: 'Каждый код действует один раз. Храните этот файл в надёжном месте.',
  remaining: (n) => `Осталось резервных кодов: ${n} из 10.`,
  fewLeft: 'Резервных кодов осталось мало: создайте новые.',
  regenerateTitle: 'Новые резервные коды',
  regenerateLead: 'Старые коды перестанут действовать, как только будут созданы новые.',
  regenerate: 'Создать новые резервные коды',
  regenerating: 'Создание…',
  appCode: 'Код из приложения',
  appOrBackupCode: 'Код из приложения или резервный код',
  disableTitle: 'Отключить двухфакторный вход',
  disableLead: 'Вход будет спрашивать только пароль. Резервные коды перестанут действовать.',
  disableRequired:
    'В вашей студии он обязателен: при следующем входе его придётся настроить снова.',
  password: 'Текущий пароль',
  enterPassword: 'Введите текущий пароль.',
  notCurrent: 'Это не ваш текущий пароль.',
  disable: 'Отключить',
  disabling: 'Отключение…',
  turnedOff: 'Двухфакторный вход отключён.',

  linksTitle: 'Вход через другие сервисы',
  linksLead: 'Привяжите учётную запись другого сервиса, чтобы входить через него вместо пароля.',
  loadingLinks: 'Загрузка привязанных сервисов',
  noLinks: 'Пока ни один сервис не привязан.',
  service: 'Сервис',
  email: 'Эл. почта',
  linkedAt: 'Привязан',
  actions: 'Действия',
  link: 'Привязать',
  linking: 'Переход…',
  unlink: 'Отвязать',
  unlinkTitle: (label) => `Отвязать ${label}?`,
  unlinkMessage: 'Входить через этот сервис больше не получится.',
  linked: (label) => `${label} привязан: через него можно входить.`,
  unlinked: (label) => `${label} отвязан.`,
  passwordLoginTitle: 'Вход по паролю',
  passwordLoginOn: 'Вы можете входить по имени пользователя и паролю.',
  passwordLoginOff: 'Вход по паролю отключён: войти можно только через привязанный сервис.',
  turnOffPassword: 'Отключить вход по паролю',
  turnOnPassword: 'Включить вход по паролю',
  turnOffPasswordTitle: 'Отключить вход по паролю?',
  turnOffPasswordMessage:
    'Входить можно будет только через привязанные сервисы. Пароль сохранится, и вход по нему можно будет снова включить здесь.',
  passwordTurnedOff: 'Вход по паролю отключён.',
  passwordTurnedOn: 'Вход по паролю включён.',
};

const TEXTS: Readonly<Record<Locale, TwoFactorText>> = { en: EN, ru: RU };

export function useTwoFactorText(): TwoFactorText {
  return TEXTS[useLocale()];
}
