/**
 * Every word the buyer can read on the public page, in each language the page speaks, and the
 * choice of language per request. Pure: no Fastify, no environment.
 */

export const VIEWER_LOCALES = ['ru', 'en'] as const;
export type ViewerLocale = (typeof VIEWER_LOCALES)[number];

const EN = {
  lang: 'en',
  /** The language's own name, shown in the language switch. */
  languageName: 'English',
  /** Accessible name of the language switch. */
  languageSwitch: 'Language',
  productName: 'Living portrait',
  lead: 'Point your phone’s camera at the printed portrait to bring it to life.',
  start: 'Start',
  retry: 'Try again',
  loadingEngine: 'Loading the AR viewer…',
  readyToStart: 'Tap Start and allow the camera.',
  startingCamera: 'Starting the camera…',
  loadingMarker: 'Loading the portrait…',
  preparingTracker: 'Preparing the tracker…',
  slowLoading: 'This is taking longer than usual. Keep the page open…',
  aim: 'Aim your camera at the printed portrait',
  tapForSound: 'Tap for sound',
  playVideo: 'Play the video',
  cameraFallback: 'Or watch the video without the camera',
  close: 'Close',
  contactStudio: 'Contact the studio',
  cameraDenied:
    'Camera access was denied. Allow the camera for this site in your browser settings, then try again.',
  noCamera: 'No camera was found on this device. Open this page on a phone with a camera.',
  cameraBusy: 'The camera is being used by another app. Close that app and try again.',
  cameraError: 'The camera could not be started. Try again, or use another browser.',
  unsupported:
    'This browser cannot show the living portrait. Open this page in an up-to-date Safari (iPhone) or Chrome (Android).',
  insecure: 'The camera needs a secure connection: open this page over HTTPS.',
  loadError: 'The viewer could not be loaded. Check your connection and try again.',
  noScript: 'This page needs JavaScript to show the living portrait.',
  processingTitle: 'Almost ready',
  processing: 'This portrait is still being prepared. The page will refresh by itself in a moment.',
  failedTitle: 'Not available yet',
  failed:
    'This living portrait cannot be shown at the moment. Please contact the studio that printed it.',
  noVideoTitle: 'No video right now',
  noVideo:
    'This portrait has no video right now. The studio can add one: the same QR code will keep working.',
  serverErrorTitle: 'Something went wrong',
  serverError: 'The living portrait could not be loaded. Please try again in a moment.',
  notFoundTitle: 'Page not found',
  notFound:
    'There is no living portrait at this address. Check the link or scan the QR code again.',
};

/** The dictionary's shape: the same keys in every language (the compiler checks each one). */
export type ViewerText = Readonly<Record<keyof typeof EN, string>>;

const RU: ViewerText = {
  lang: 'ru',
  languageName: 'Русский',
  languageSwitch: 'Язык',
  productName: 'Живой портрет',
  lead: 'Наведите камеру телефона на напечатанный портрет — и он оживёт.',
  start: 'Начать',
  retry: 'Попробовать ещё раз',
  loadingEngine: 'Загружаем AR-просмотр…',
  readyToStart: 'Нажмите «Начать» и разрешите доступ к камере.',
  startingCamera: 'Включаем камеру…',
  loadingMarker: 'Загружаем портрет…',
  preparingTracker: 'Готовим распознавание портрета…',
  slowLoading: 'Загрузка идёт дольше обычного. Не закрывайте страницу…',
  aim: 'Наведите камеру на напечатанный портрет',
  tapForSound: 'Включить звук',
  playVideo: 'Смотреть видео',
  cameraFallback: 'Или посмотрите видео без камеры',
  close: 'Закрыть',
  contactStudio: 'Связаться со студией',
  cameraDenied:
    'Доступ к камере запрещён. Разрешите этому сайту пользоваться камерой в настройках браузера и попробуйте ещё раз.',
  noCamera: 'На этом устройстве не нашлось камеры. Откройте страницу на телефоне с камерой.',
  cameraBusy: 'Камера занята другим приложением. Закройте его и попробуйте ещё раз.',
  cameraError:
    'Не удалось включить камеру. Попробуйте ещё раз или откройте страницу в другом браузере.',
  unsupported:
    'Этот браузер не умеет показывать живой портрет. Откройте страницу в свежей версии Safari (iPhone) или Chrome (Android).',
  insecure: 'Камере нужно защищённое соединение: откройте страницу по HTTPS.',
  loadError:
    'Не удалось загрузить просмотр. Проверьте подключение к интернету и попробуйте ещё раз.',
  noScript: 'Чтобы увидеть живой портрет, включите в браузере JavaScript.',
  processingTitle: 'Почти готово',
  processing: 'Портрет ещё готовится. Страница обновится сама через несколько секунд.',
  failedTitle: 'Пока недоступно',
  failed:
    'Сейчас этот живой портрет показать не получается. Пожалуйста, свяжитесь со студией, где его напечатали.',
  noVideoTitle: 'Видео пока нет',
  noVideo:
    'У этого портрета сейчас нет видео. Студия может его добавить — тот же QR-код продолжит работать.',
  serverErrorTitle: 'Что-то пошло не так',
  serverError: 'Не удалось загрузить живой портрет. Попробуйте ещё раз чуть позже.',
  notFoundTitle: 'Страница не найдена',
  notFound:
    'По этому адресу живого портрета нет. Проверьте ссылку или отсканируйте QR-код ещё раз.',
};

const DICTIONARIES: Readonly<Record<ViewerLocale, ViewerText>> = {
  ru: Object.freeze(RU),
  en: Object.freeze(EN),
};

/** The complete dictionary of one language (frozen: shared by every request). */
export function viewerText(locale: ViewerLocale): ViewerText {
  return DICTIONARIES[locale];
}

export function isViewerLocale(value: unknown): value is ViewerLocale {
  return typeof value === 'string' && (VIEWER_LOCALES as readonly string[]).includes(value);
}

/** RFC 4647 language range: `*` or `en`, `en-US`, `zh-Hant-TW`… */
const LANGUAGE_RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;
/** RFC 9110 qvalue: 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
/** Bounds the work a hostile header can cause; real browsers send a handful of entries. */
const MAX_HEADER_CHARS = 1024;
const MAX_ENTRIES = 32;

/** A supported locale from a language tag (`en-GB` → en), or `undefined`. */
function localeOfTag(tag: string): ViewerLocale | undefined {
  const primary = tag.trim().toLowerCase();
  if (!LANGUAGE_RANGE.test(primary)) return undefined;
  const candidate = primary.split('-')[0];
  return isViewerLocale(candidate) ? candidate : undefined;
}

interface Candidate {
  q: number;
  /** Position in the header: breaks ties between equal q-values (first listed wins). */
  order: number;
}

/**
 * The page's language: a valid `override` (the `?lang=` parameter) wins; otherwise the supported
 * language the browser's `Accept-Language` ranks highest (`q=0` means "not this one", `*` means
 * any language not named, the fallback first); otherwise `fallback`. Malformed entries are skipped.
 */
export function negotiateLocale(
  acceptLanguage: string | undefined,
  fallback: ViewerLocale,
  override?: string,
): ViewerLocale {
  const chosen = override === undefined ? undefined : localeOfTag(override);
  if (chosen !== undefined) return chosen;
  if (acceptLanguage === undefined) return fallback;

  const best = new Map<ViewerLocale, Candidate>();
  const named = new Set<ViewerLocale>();
  let wildcard: Candidate | undefined;
  const entries = acceptLanguage.slice(0, MAX_HEADER_CHARS).split(',').slice(0, MAX_ENTRIES);
  entries.forEach((entry, order) => {
    const [rawTag = '', ...params] = entry.split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!LANGUAGE_RANGE.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=').map((part) => part.trim());
      if (key.toLowerCase() !== 'q') continue;
      if (!QVALUE.test(value)) return; // a broken weight: the whole entry is garbage
      q = Number(value);
    }
    if (tag === '*') {
      if (wildcard === undefined || q > wildcard.q) wildcard = { q, order };
      return;
    }
    const locale = localeOfTag(tag);
    if (locale === undefined) return;
    named.add(locale);
    const current = best.get(locale);
    if (current === undefined || q > current.q) best.set(locale, { q, order });
  });
  if (wildcard !== undefined) {
    for (const locale of [fallback, ...VIEWER_LOCALES]) {
      if (!named.has(locale) && !best.has(locale)) best.set(locale, wildcard);
    }
  }

  let winner: ViewerLocale | undefined;
  let top: Candidate = { q: 0, order: Number.POSITIVE_INFINITY };
  // Map order puts the fallback first among wildcard matches, so it wins their ties.
  for (const [locale, candidate] of best) {
    if (
      candidate.q > top.q ||
      (candidate.q === top.q && candidate.q > 0 && candidate.order < top.order)
    ) {
      winner = locale;
      top = candidate;
    }
  }
  return winner ?? fallback;
}
