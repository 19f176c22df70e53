import { useLocale, type Locale } from '../../i18n';

/** The new-order form: client, photo and video in one upload. */
const EN = {
  title: 'New order',
  subtitle: 'The client (found by phone, or created), the portrait photo and the video.',
  prefilled: (name: string) => `The client’s details are filled in for ${name}.`,
  restored: 'Your typed details were restored. Choose the photo and the video again.',
  client: 'Client',
  clientName: 'Client name',
  phone: 'Phone',
  phoneHint: 'An existing client with this phone gets the new order.',
  email: 'E-mail',
  files: 'Files',
  portrait: 'Portrait photo',
  portraitHint: 'JPEG, PNG, WebP or HEIC; the sharper and more detailed, the better it tracks.',
  preview: 'Preview of the chosen portrait',
  video: 'Video',
  videoHint: 'MP4, MOV or WebM. It plays on the printed portrait.',
  uploadLabel: 'Uploading',
  checkFields: 'Please check the highlighted fields.',
  uploading: 'Uploading…',
  create: 'Create order',
  cancelled: 'Upload cancelled. Nothing was saved.',
  errors: {
    name: 'Enter the client’s name.',
    phone: 'Enter a phone number (at least 6 digits).',
    email: 'This is not an e-mail address.',
    noPortrait: 'Choose the portrait photo.',
    notPhoto: 'This file is not a photo (JPEG, PNG, WebP or HEIC).',
    noVideo: 'Choose the video.',
    notVideo: 'This file is not a video (MP4, MOV or WebM).',
  },
};

export type NewOrderText = typeof EN;

const RU: NewOrderText = {
  title: 'Новый заказ',
  subtitle: 'Клиент (найдётся по телефону или будет создан), фото для портрета и видео.',
  prefilled: (name) => `Данные клиента «${name}» уже заполнены.`,
  restored: 'Введённые данные восстановлены. Выберите фото и видео ещё раз.',
  client: 'Клиент',
  clientName: 'Имя клиента',
  phone: 'Телефон',
  phoneHint: 'Если клиент с этим телефоном уже есть, заказ добавится ему.',
  email: 'Эл. почта',
  files: 'Файлы',
  portrait: 'Фото для портрета',
  portraitHint:
    'JPEG, PNG, WebP или HEIC; чем резче и детальнее фото, тем надёжнее его узнаёт телефон.',
  preview: 'Выбранное фото для портрета',
  video: 'Видео',
  videoHint: 'MP4, MOV или WebM. Оно оживает на напечатанном портрете.',
  uploadLabel: 'Загрузка',
  checkFields: 'Проверьте отмеченные поля.',
  uploading: 'Загрузка…',
  create: 'Создать заказ',
  cancelled: 'Загрузка отменена. Ничего не сохранено.',
  errors: {
    name: 'Введите имя клиента.',
    phone: 'Введите номер телефона (не меньше 6 цифр).',
    email: 'Это не адрес электронной почты.',
    noPortrait: 'Выберите фото для портрета.',
    notPhoto: 'Этот файл не фото (JPEG, PNG, WebP или HEIC).',
    noVideo: 'Выберите видео.',
    notVideo: 'Этот файл не видео (MP4, MOV или WebM).',
  },
};

const TEXTS: Readonly<Record<Locale, NewOrderText>> = { en: EN, ru: RU };

/** The new-order form's words in the chosen language. */
export function useNewOrderText(): NewOrderText {
  return TEXTS[useLocale()];
}
