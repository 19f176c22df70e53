import { useLocale, type Locale } from '../../i18n';

/** The Studio page: the logo the public AR page shows. */
const EN = {
  title: 'Studio',
  adminsOnly: 'Only administrators change the studio settings.',
  lead: 'What the public AR page shows about the studio',
  logo: 'Logo',
  loading: 'Loading the logo',
  logoAlt: 'The studio logo',
  logoFacts: (width: number, height: number, size: string, updated: string) =>
    `${width}×${height} px · ${size} · updated ${updated}`,
  noLogo: 'No logo uploaded: the public page shows none.',
  logoImage: 'Logo image',
  newLogoImage: 'New logo image',
  hint: 'PNG, JPEG or WebP up to 5 MB. Stored as a PNG of at most 512 px, transparency kept, metadata removed.',
  previewAlt: 'Preview of the chosen logo',
  chooseFirst: 'Choose an image first.',
  saved: 'The logo was saved.',
  uploading: 'Uploading…',
  upload: 'Upload logo',
  replace: 'Replace logo',
  removeTitle: 'Remove the logo?',
  removeMessage: 'The public page will show no logo until a new one is uploaded.',
  remove: 'Remove logo',
  removed: 'The logo was removed.',
};

export type StudioText = typeof EN;

const RU: StudioText = {
  title: 'Студия',
  adminsOnly: 'Настройки студии меняют только администраторы.',
  lead: 'Что публичная AR-страница показывает о студии',
  logo: 'Логотип',
  loading: 'Загрузка логотипа',
  logoAlt: 'Логотип студии',
  logoFacts: (width, height, size, updated) =>
    `${width}×${height} пикс. · ${size} · обновлён ${updated}`,
  noLogo: 'Логотип не загружен: публичная страница его не показывает.',
  logoImage: 'Изображение логотипа',
  newLogoImage: 'Новое изображение логотипа',
  hint: 'PNG, JPEG или WebP до 5 МБ. Хранится как PNG не больше 512 пикс., прозрачность сохраняется, метаданные удаляются.',
  previewAlt: 'Предпросмотр выбранного логотипа',
  chooseFirst: 'Сначала выберите изображение.',
  saved: 'Логотип сохранён.',
  uploading: 'Загрузка…',
  upload: 'Загрузить логотип',
  replace: 'Заменить логотип',
  removeTitle: 'Удалить логотип?',
  removeMessage: 'Публичная страница не будет показывать логотип, пока не загружен новый.',
  remove: 'Удалить логотип',
  removed: 'Логотип удалён.',
};

const TEXTS: Readonly<Record<Locale, StudioText>> = { en: EN, ru: RU };

export function useStudioText(): StudioText {
  return TEXTS[useLocale()];
}
