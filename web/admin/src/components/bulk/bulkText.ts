import { useLocale, type Locale } from '../../i18n';
import type { CsvColumn } from './bulkCsv';
import type { PhoneProblem, RowReason, UnpairedReason } from './bulkPairing';

/** The parts of an order the server can refuse, as `validation_failed` and media errors name them. */
export const ORDER_PARTS = [
  'clientName',
  'clientPhone',
  'clientEmail',
  'portrait',
  'video',
] as const;
export type OrderPart = (typeof ORDER_PARTS)[number];

const EN = {
  title: 'Bulk orders',
  subtitle:
    'A photo day: drop all portraits and videos at once. They are paired by file name (ivanova.jpg + ivanova.mp4) or by a CSV with the columns name, phone, portrait, video.',
  chooseLabel: 'Portraits, videos and an optional CSV',
  chooseHint:
    'Drop the files here or choose them. A phone can end the file name (petrov +79161234567.jpg) or come from the CSV (; or , separated, UTF-8).',
  csvUsed: (name: string, rows: number) => `CSV ${name}: ${rows} rows.`,
  csvProblem: {
    empty: 'The CSV has no rows.',
    missingColumns: (columns: CsvColumn[]) =>
      `The CSV lacks the columns: ${columns.join(', ')}. The first line must name them.`,
  },
  previewTitle: 'Check the pairing',
  counts: (pairs: number, unpaired: number, rows: number, phones: number) =>
    `${pairs} pairs · ${unpaired} unpaired files · ${rows} CSV rows without files · ${phones} invalid phones`,
  pairsTitle: 'Pairs',
  columns: {
    client: 'Client',
    phone: 'Phone',
    portrait: 'Portrait',
    video: 'Video',
    status: 'Status',
  },
  phoneFor: (name: string) => `Phone for ${name}`,
  unpairedTitle: 'Unpaired files',
  rowsTitle: 'CSV rows without files',
  phonesTitle: 'Invalid phones',
  lineLabel: (line: number) => `line ${line}`,
  unpaired: {
    noVideo: 'no video with the same name',
    noPortrait: 'no portrait with the same name',
    notMedia: 'not a photo or a video',
    duplicateName: 'several files of one kind with this name',
    notInCsv: 'no CSV row names this file',
  } satisfies Record<UnpairedReason, string>,
  rows: {
    noFiles: 'neither file was dropped',
    noPortraitFile: 'the portrait file was not dropped',
    noVideoFile: 'the video file was not dropped',
    noName: 'no client name',
    fileTwice: 'a file already used by an earlier row',
  } satisfies Record<RowReason, string>,
  phones: {
    missing: 'no phone number',
    notPhone: 'letters in the phone number',
    tooShort: 'too few digits',
    tooLong: 'too many digits',
    invalid: 'not a valid number for its country',
  } satisfies Record<PhoneProblem, string>,
  status: {
    ready: 'Ready',
    needsPhone: 'Needs a phone',
    waiting: 'Waiting',
    uploading: 'Uploading',
    created: (number: string) => `Created ${number}`,
    failed: 'Failed',
    done: (number: string) => `Already created ${number}`,
  },
  progressLabel: (name: string) => `Upload of ${name}`,
  checkPart: (parts: string) => `Check: ${parts}.`,
  parts: {
    clientName: 'the name',
    clientPhone: 'the phone',
    clientEmail: 'the e-mail',
    portrait: 'the portrait file',
    video: 'the video file',
  } satisfies Record<OrderPart, string>,
  create: (n: number) => `Create ${n} orders`,
  retry: (n: number) => `Retry ${n} failed`,
  uploadingAll: 'Uploading…',
  nothingToSend: 'Nothing to send: fix the phones or drop more files.',
  summaryTitle: 'Summary',
  summary: (created: number, failed: number) => `${created} orders created, ${failed} failed.`,
  failedTitle: 'Not created',
  createdTitle: 'Created in this batch',
  openOrder: (number: string) => `Order ${number}`,
  savedHint:
    'This list stays after a reload. Drop the same files again to finish the rest: the orders already created are not sent again.',
  newBatch: 'Start a new batch',
};

export type BulkText = typeof EN;

const RU: BulkText = {
  title: 'Массовые заказы',
  subtitle:
    'Фотодень: перетащите все портреты и видео сразу. Пары составляются по имени файла (ivanova.jpg + ivanova.mp4) или по CSV со столбцами имя, телефон, портрет, видео.',
  chooseLabel: 'Портреты, видео и, если есть, CSV',
  chooseHint:
    'Перетащите файлы сюда или выберите их. Телефон можно дописать в конец имени файла (petrov +79161234567.jpg) или дать в CSV (разделитель ; или , в UTF-8).',
  csvUsed: (name, rows) => `CSV ${name}: строк — ${rows}.`,
  csvProblem: {
    empty: 'В CSV нет строк.',
    missingColumns: (columns) =>
      `В CSV нет столбцов: ${columns.join(', ')}. Их названия должны быть в первой строке.`,
  },
  previewTitle: 'Проверьте пары',
  counts: (pairs, unpaired, rows, phones) =>
    `Пар: ${pairs} · файлов без пары: ${unpaired} · строк CSV без файлов: ${rows} · неверных телефонов: ${phones}`,
  pairsTitle: 'Пары',
  columns: {
    client: 'Клиент',
    phone: 'Телефон',
    portrait: 'Портрет',
    video: 'Видео',
    status: 'Состояние',
  },
  phoneFor: (name) => `Телефон: ${name}`,
  unpairedTitle: 'Файлы без пары',
  rowsTitle: 'Строки CSV без файлов',
  phonesTitle: 'Неверные телефоны',
  lineLabel: (line) => `строка ${line}`,
  unpaired: {
    noVideo: 'нет видео с таким же именем',
    noPortrait: 'нет портрета с таким же именем',
    notMedia: 'это не фото и не видео',
    duplicateName: 'несколько файлов одного вида с таким именем',
    notInCsv: 'этот файл не указан ни в одной строке CSV',
  },
  rows: {
    noFiles: 'оба файла не добавлены',
    noPortraitFile: 'файл портрета не добавлен',
    noVideoFile: 'файл видео не добавлен',
    noName: 'нет имени клиента',
    fileTwice: 'файл уже указан в строке выше',
  },
  phones: {
    missing: 'нет номера телефона',
    notPhone: 'в номере есть буквы',
    tooShort: 'слишком мало цифр',
    tooLong: 'слишком много цифр',
    invalid: 'такого номера в этой стране нет',
  },
  status: {
    ready: 'Готов к отправке',
    needsPhone: 'Нужен телефон',
    waiting: 'В очереди',
    uploading: 'Загрузка',
    created: (number) => `Создан ${number}`,
    failed: 'Не создан',
    done: (number) => `Уже создан ${number}`,
  },
  progressLabel: (name) => `Загрузка: ${name}`,
  checkPart: (parts) => `Проверьте: ${parts}.`,
  parts: {
    clientName: 'имя',
    clientPhone: 'телефон',
    clientEmail: 'e-mail',
    portrait: 'файл портрета',
    video: 'файл видео',
  },
  create: (n) => `Создать заказы: ${n}`,
  retry: (n) => `Повторить неудачные: ${n}`,
  uploadingAll: 'Загрузка…',
  nothingToSend: 'Отправлять нечего: исправьте телефоны или добавьте файлы.',
  summaryTitle: 'Итог',
  summary: (created, failed) => `Создано заказов: ${created}, не создано: ${failed}.`,
  failedTitle: 'Не создано',
  createdTitle: 'Создано в этой партии',
  openOrder: (number) => `Заказ ${number}`,
  savedHint:
    'Список сохранится после перезагрузки. Чтобы доделать остальное, перетащите те же файлы ещё раз: уже созданные заказы повторно не отправятся.',
  newBatch: 'Начать новую партию',
};

const TEXTS: Readonly<Record<Locale, BulkText>> = { en: EN, ru: RU };

export function useBulkText(): BulkText {
  return TEXTS[useLocale()];
}
