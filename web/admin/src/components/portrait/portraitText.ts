import { useLocale, type Locale } from '../../i18n';
import type { QualityAdvice, QualityLevel } from './markerQuality';

/**
 * The words of the portrait page (PortraitPage, PortraitView, PortraitOverview, MarkerCard,
 * QrCard, VideosSection, VideoItem, AddVideoForm). The order page shows the same view.
 */
const EN = {
  // PortraitPage
  pageTitle: (client: string | undefined) =>
    client !== undefined ? `Portrait of ${client}` : 'Portrait',
  loadingPortrait: 'Loading the portrait',

  // PortraitOverview
  overviewHeading: 'Portrait',
  imageAlt: (client: string | undefined) =>
    client !== undefined ? `Portrait of ${client}` : 'The portrait',
  imagePending: 'The picture appears once it is processed.',
  processingNote: 'Preparing the marker and the video. This page updates by itself.',
  readyNote: 'The AR page is live.',
  videoFailed: {
    message: 'The video could not be prepared for phones.',
    next: 'Upload another video below and make it the active one.',
  },
  imagesFailed: {
    message: 'The photo could not be processed.',
    next: 'Replace the photo with another file (JPEG or PNG).',
  },
  details: 'Details',
  technicalReason: 'Technical reason (for support):',
  client: 'Client',
  openClient: 'Open the client',
  created: 'Created',
  image: 'Image',
  pixels: (width: string, height: string) => `${width} × ${height} px`,
  views: 'Views',

  // MarkerCard
  markerHeading: 'AR marker',
  noMarker: 'No marker yet.',
  version: (n: number) => `version ${n}`,
  markerProcessing:
    'The marker is being generated (usually under a minute). This page updates by itself.',
  qualityLabel: 'How well phones recognise the print',
  level: {
    excellent: 'Excellent',
    good: 'Good',
    poor: 'Poor — will be hard to recognise',
  } satisfies Record<QualityLevel, string>,
  levelSummary: {
    excellent: 'Phones find this print quickly and hold the video steadily on it.',
    good: 'Phones find this print; in dim light or at an angle it may take a moment.',
    poor: 'Phones may not find this print, or the video may shake on it.',
  } satisfies Record<QualityLevel, string>,
  adviceHeading: 'What would help',
  advice: {
    more_texture:
      'Choose a photo with more detail and texture (hair, clothing, a textured background): large plain areas give phones nothing to recognise.',
    more_contrast:
      'Add contrast: a photo with clear light and dark areas, or raise the contrast before printing.',
    sharper_photo: 'Use a sharp, in-focus original without heavy smoothing or beauty filters.',
    print_larger: 'Print larger: at least 10×15 cm.',
  } satisfies Record<QualityAdvice, string>,
  qualityDetails: 'Details',
  score: 'Score',
  scoreOf: (score: string) => `${score} / 100`,
  selfTest: 'Check in simulated camera views',
  selfTestNotRun: 'not run yet',
  found: (cornerError: string | null) =>
    cornerError !== null ? `Found, corner error ${cornerError} px` : 'Found',
  notFound: 'Not found in the test frames',
  printSize: 'Marker print size',
  size: (width: string, height: string, dpi: string | null) =>
    `${width} × ${height} mm${dpi !== null ? ` at ${dpi} dpi` : ''}`,
  featurePoints: 'Feature points',
  features: (tracking: string, freak: string | null) =>
    `${tracking} tracking${freak !== null ? `, ${freak} FREAK` : ''}`,
  failureCode: 'code',
  regenerateTitle: 'Regenerate the marker?',
  regenerateMessage:
    'A new marker is made from the portrait. The public link and the QR code stay the same; the AR page uses the new marker once it is ready.',
  regenerateConfirm: 'Regenerate',
  regenerate: 'Regenerate marker',

  // QrCard
  qrHeading: 'QR code',
  qrAlt: (url: string) => `QR code that opens ${url}`,
  printView: 'Print view',
  downloadAs: 'Download the QR code as ',

  // VideosSection
  videosHeading: 'Videos',
  loadingVideos: 'Loading videos',
  videosFailed: 'The video list could not be loaded.',
  noVideos: 'This portrait has no video: the public page says so. Add one below.',
  videoUploaded: 'Video uploaded. It is being processed for phones.',

  // VideoItem
  videoName: (n: number) => `Video ${n}`,
  videoNameLower: (n: number) => `video ${n}`,
  preview: (name: string) => `${name} preview`,
  videoProcessing: 'Processing…',
  noPreview: 'No preview',
  added: (when: string) => `added ${when}`,
  makeActive: 'Make active',
  isActive: (name: string) => `${name} is now active: the public page plays it.`,
  deleteVideoTitle: (name: string) => `Delete ${name}?`,
  deleteVideoMessage: 'The video is removed for good.',
  deleteActiveVideo:
    ' It is the active one: the most recent remaining video becomes active, or the public page says that no video is available.',
  deleteVideoConfirm: 'Delete video',
  deleteVideo: 'Delete',
  videoDeleted: (name: string) => `${name} was deleted.`,

  // AddVideoForm
  chooseVideo: 'Choose a video file.',
  uploadCancelled: 'Upload cancelled.',
  addVideo: 'Add a video',
  addVideoHint: 'It is processed for phones, then you can make it the active one.',
  uploadingVideo: 'Uploading the video',
  uploadVideo: 'Upload video',

  // PortraitView
  analytics: 'Analytics of this portrait',
  deleteZone: 'Delete the portrait',
  deletePortraitTitle: 'Delete this portrait?',
  deletePortraitMessage:
    'The portrait, its videos, marker and files are removed. The public link and the printed QR code stop working.',
  deletePortraitConfirm: 'Delete portrait',
  portraitDeleted: 'The portrait was deleted.',
  deletePortrait: 'Delete portrait',
};

export type PortraitText = typeof EN;

const RU: PortraitText = {
  pageTitle: (client) => (client !== undefined ? `Портрет: ${client}` : 'Портрет'),
  loadingPortrait: 'Загрузка портрета',

  overviewHeading: 'Портрет',
  imageAlt: (client) => (client !== undefined ? `Портрет: ${client}` : 'Портрет'),
  imagePending: 'Изображение появится после обработки.',
  processingNote: 'Готовим AR-метку и видео. Страница обновится сама.',
  readyNote: 'AR-страница работает.',
  videoFailed: {
    message: 'Видео не удалось подготовить для телефонов.',
    next: 'Загрузите другое видео ниже и сделайте его активным.',
  },
  imagesFailed: {
    message: 'Фотографию не удалось обработать.',
    next: 'Замените фотографию другим файлом (JPEG или PNG).',
  },
  details: 'Подробности',
  technicalReason: 'Техническая причина (для поддержки):',
  client: 'Клиент',
  openClient: 'Открыть клиента',
  created: 'Создан',
  image: 'Изображение',
  pixels: (width, height) => `${width} × ${height} пикс.`,
  views: 'Просмотры',

  markerHeading: 'AR-метка',
  noMarker: 'Метки пока нет.',
  version: (n) => `версия ${n}`,
  markerProcessing: 'Метка создаётся (обычно меньше минуты). Страница обновится сама.',
  qualityLabel: 'Насколько хорошо телефоны узнают отпечаток',
  level: {
    excellent: 'Отличное',
    good: 'Хорошее',
    poor: 'Плохое — будет трудно распознать',
  },
  levelSummary: {
    excellent: 'Телефоны быстро находят этот отпечаток и уверенно держат на нём видео.',
    good: 'Телефоны находят этот отпечаток; при слабом свете или под углом — не сразу.',
    poor: 'Телефоны могут не найти этот отпечаток, или видео на нём будет дрожать.',
  },
  adviceHeading: 'Что поможет',
  advice: {
    more_texture:
      'Выберите фотографию с большим количеством деталей и фактуры (волосы, одежда, фон с рисунком): на больших однотонных участках телефону не за что зацепиться.',
    more_contrast:
      'Добавьте контраста: нужна фотография с явными светлыми и тёмными участками, или поднимите контраст перед печатью.',
    sharper_photo: 'Возьмите резкий оригинал, без сильного сглаживания и бьюти-фильтров.',
    print_larger: 'Напечатайте крупнее: не меньше 10×15 см.',
  },
  qualityDetails: 'Подробности',
  score: 'Оценка',
  scoreOf: (score) => `${score} / 100`,
  selfTest: 'Проверка на снимках, как с камеры',
  selfTestNotRun: 'ещё не проводилась',
  found: (cornerError) =>
    cornerError !== null ? `Найдено, ошибка углов ${cornerError} пикс.` : 'Найдено',
  notFound: 'Не найдено на тестовых снимках',
  printSize: 'Размер метки при печати',
  size: (width, height, dpi) =>
    `${width} × ${height} мм${dpi !== null ? `, ${dpi} точек на дюйм` : ''}`,
  featurePoints: 'Особые точки',
  features: (tracking, freak) =>
    `${tracking} для слежения${freak !== null ? `, ${freak} для распознавания` : ''}`,
  failureCode: 'код',
  regenerateTitle: 'Пересоздать метку?',
  regenerateMessage:
    'Из портрета будет сделана новая метка. Публичная ссылка и QR-код не изменятся; AR-страница начнёт использовать новую метку, когда она будет готова.',
  regenerateConfirm: 'Пересоздать',
  regenerate: 'Пересоздать метку',

  qrHeading: 'QR-код',
  qrAlt: (url) => `QR-код, открывающий ${url}`,
  printView: 'Печать',
  downloadAs: 'Скачать QR-код в формате ',

  videosHeading: 'Видео',
  loadingVideos: 'Загрузка видео',
  videosFailed: 'Не удалось загрузить список видео.',
  noVideos: 'У этого портрета нет видео, и публичная страница так и сообщает. Добавьте видео ниже.',
  videoUploaded: 'Видео загружено. Оно готовится для телефонов.',

  videoName: (n) => `Видео ${n}`,
  videoNameLower: (n) => `видео ${n}`,
  preview: (name) => `${name}: просмотр`,
  videoProcessing: 'Обработка…',
  noPreview: 'Нет просмотра',
  added: (when) => `добавлено ${when}`,
  makeActive: 'Сделать активным',
  isActive: (name) => `${name} теперь активно: его показывает публичная страница.`,
  deleteVideoTitle: (name) => `Удалить ${name}?`,
  deleteVideoMessage: 'Видео будет удалено навсегда.',
  deleteActiveVideo:
    ' Это активное видео: активным станет самое новое из оставшихся, а если их нет, публичная страница сообщит, что видео нет.',
  deleteVideoConfirm: 'Удалить видео',
  deleteVideo: 'Удалить',
  videoDeleted: (name) => `${name} удалено.`,

  chooseVideo: 'Выберите видеофайл.',
  uploadCancelled: 'Загрузка отменена.',
  addVideo: 'Добавить видео',
  addVideoHint: 'Его подготовят для телефонов, после этого его можно сделать активным.',
  uploadingVideo: 'Загрузка видео',
  uploadVideo: 'Загрузить видео',

  analytics: 'Статистика этого портрета',
  deleteZone: 'Удаление портрета',
  deletePortraitTitle: 'Удалить этот портрет?',
  deletePortraitMessage:
    'Портрет, его видео, метка и файлы будут удалены. Публичная ссылка и напечатанный QR-код перестанут работать.',
  deletePortraitConfirm: 'Удалить портрет',
  portraitDeleted: 'Портрет удалён.',
  deletePortrait: 'Удалить портрет',
};

export const PORTRAIT_TEXTS: Readonly<Record<Locale, PortraitText>> = { en: EN, ru: RU };

export function usePortraitText(): PortraitText {
  return PORTRAIT_TEXTS[useLocale()];
}
