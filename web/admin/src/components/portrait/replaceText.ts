import { useLocale, type Locale } from '../../i18n';

/** The words of "Replace photo" on the portrait page (ReplacePhotoCard). */
const EN = {
  failedTitle: 'Replace the photo',
  failedLead:
    'This photo could not be turned into a marker. Upload another photo of the same print ' +
    'size: the public link and the QR code stay the same.',
  reprintTitle: 'Reprint with a new photo',
  reprintLead:
    'Printing again with a different photo? Upload it here: the public link and the QR code ' +
    'stay the same, so the QR code on the new print works as before.',
  fileLabel: 'New photo',
  fileHint: 'JPEG, PNG, WebP or HEIC, at least as large as for a new order.',
  chooseFirst: 'Choose a photo first.',
  button: 'Replace photo',
  confirmTitle: 'Replace the photo?',
  confirmMessage:
    'The public link and the QR code stay the same. A new marker is made from the new photo. Until it is ready the public page says the ' +
    'portrait is being prepared, and the old print is no longer recognised once it is. The ' +
    'old photo and marker are deleted when the new marker is ready.',
  confirmLabel: 'Replace photo',
  uploading: 'Uploading the photo',
  cancelled: 'Upload cancelled.',
  accepted:
    'The new photo was uploaded. The marker is being prepared; this page updates by itself.',
};

export type ReplaceText = typeof EN;

const RU: ReplaceText = {
  failedTitle: 'Заменить фотографию',
  failedLead:
    'Из этой фотографии не удалось сделать маркер. Загрузите другую фотографию того же размера ' +
    'печати: публичная ссылка и QR-код останутся прежними.',
  reprintTitle: 'Перепечатать с новой фотографией',
  reprintLead:
    'Печатаете заново с другой фотографией? Загрузите её здесь: публичная ссылка и QR-код ' +
    'не изменятся, и QR-код на новом отпечатке будет работать как раньше.',
  fileLabel: 'Новая фотография',
  fileHint: 'JPEG, PNG, WebP или HEIC, не меньше, чем для нового заказа.',
  chooseFirst: 'Сначала выберите фотографию.',
  button: 'Заменить фотографию',
  confirmTitle: 'Заменить фотографию?',
  confirmMessage:
    'Публичная ссылка и QR-код останутся прежними. Из новой фотографии будет сделан новый маркер. Пока он готовится, публичная страница ' +
    'сообщает, что портрет готовится, а после этого старый отпечаток больше не распознаётся. ' +
    'Старая фотография и маркер удаляются, когда новый маркер готов.',
  confirmLabel: 'Заменить фотографию',
  uploading: 'Загрузка фотографии',
  cancelled: 'Загрузка отменена.',
  accepted: 'Новая фотография загружена. Маркер готовится; страница обновится сама.',
};

export const REPLACE_TEXTS: Readonly<Record<Locale, ReplaceText>> = { en: EN, ru: RU };

export function useReplaceText(): ReplaceText {
  return REPLACE_TEXTS[useLocale()];
}
