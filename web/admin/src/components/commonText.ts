import { useLocale, type Locale } from '../i18n';

/** Russian nouns after a number: 1 файл, 2 файла, 5 файлов (the number included). */
export function ruCount(n: number, one: string, few: string, many: string): string {
  const form = new Intl.PluralRules('ru-RU').select(n);
  return `${n} ${form === 'one' ? one : form === 'few' ? few : many}`;
}

/** English nouns after a number: 1 file, 2 files. */
export const enCount = (n: number, one: string, many = `${one}s`): string =>
  `${n} ${new Intl.PluralRules('en-GB').select(n) === 'one' ? one : many}`;

/**
 * The default words of the controls every page uses (loading line, pager, confirm dialog, copy
 * button, upload bar, status badges, file and text fields, the password rule).
 */
const EN = {
  loading: 'Loading',
  pages: 'Pages',
  previous: '← Previous',
  next: 'Next →',
  page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  cancel: 'Cancel',
  working: 'Working…',
  copyLink: 'Copy link',
  copied: 'Copied',
  copyFailed: 'Could not copy: select the link and copy it by hand.',
  sent: (loaded: string, total: string, percent: number) =>
    `${loaded} of ${total} sent (${percent} %)`,
  checkingFiles: ' — the server is checking the files…',
  uploadComplete: 'Upload complete, checking the files.',
  uploaded: (percent: number) => `${percent} % uploaded.`,
  cancelUpload: 'Cancel upload',
  status: {
    processing: 'Being prepared',
    queued: 'Waiting',
    running: 'Being prepared',
    ready: 'Ready',
    done: 'Done',
    failed: 'Needs attention',
  } as Readonly<Record<string, string>>,
  active: 'Active',
  chosen: (name: string, size: string) => `Chosen: ${name} · ${size}`,
  required: '(required)',
  passwordRule: (min: number) =>
    `At least ${min} characters, not a common password, not containing the username.`,
  passwordTooShort: (min: number) => `At least ${min} characters.`,
  passwordTooLong: (max: number) => `At most ${max} bytes.`,
  passwordHasUsername: 'The password must not contain the username.',
  roles: { admin: 'Administrator', operator: 'Operator' },
};

export type CommonText = typeof EN;

const RU: CommonText = {
  loading: 'Загрузка',
  pages: 'Страницы',
  previous: '← Назад',
  next: 'Вперёд →',
  page: (page, pages) => `Страница ${page} из ${pages}`,
  cancel: 'Отмена',
  working: 'Выполняется…',
  copyLink: 'Скопировать ссылку',
  copied: 'Скопировано',
  copyFailed: 'Не удалось скопировать: выделите ссылку и скопируйте её вручную.',
  sent: (loaded, total, percent) => `Отправлено ${loaded} из ${total} (${percent} %)`,
  checkingFiles: ' — сервер проверяет файлы…',
  uploadComplete: 'Загрузка завершена, файлы проверяются.',
  uploaded: (percent) => `Загружено ${percent} %.`,
  cancelUpload: 'Отменить загрузку',
  status: {
    processing: 'Готовится',
    queued: 'Ждёт',
    running: 'Готовится',
    ready: 'Готово',
    done: 'Выполнено',
    failed: 'Требует внимания',
  },
  active: 'Активно',
  chosen: (name, size) => `Выбран: ${name} · ${size}`,
  required: '(обязательно)',
  passwordRule: (min) =>
    `Не короче ${min} символов, не из списка распространённых паролей и без имени пользователя.`,
  passwordTooShort: (min) => `Не короче ${min} символов.`,
  passwordTooLong: (max) => `Не длиннее ${max} байт.`,
  passwordHasUsername: 'Пароль не должен содержать имя пользователя.',
  roles: { admin: 'Администратор', operator: 'Оператор' },
};

export const COMMON_TEXTS: Readonly<Record<Locale, CommonText>> = { en: EN, ru: RU };

/** The shared controls' words in the chosen language. */
export function useCommonText(): CommonText {
  return COMMON_TEXTS[useLocale()];
}
