import { useMemo } from 'react';
import type { SystemStatus } from '../../api';
import { formatBytes } from '../../format';
import { localeTag, useLocale, type Locale } from '../../i18n';

type Volume = SystemStatus['disk'][number]['volume'];
type Driver = SystemStatus['storage']['driver'];

const EN = {
  title: 'System status',
  lead: 'The health of this installation: the same figures Prometheus reads from /metrics.',
  adminsOnly: 'Only administrators see the system status.',
  loading: 'Loading the system status',
  refresh: 'Refresh',
  refreshing: 'Refreshing…',
  updated: (time: string) => `Updated at ${time}; refreshes itself every 30 seconds.`,
  needsAttention: 'Needs attention',
  healthy: 'Healthy',
  unhealthy: 'Not responding',
  status: 'Status',
  application: 'Application',
  version: 'Version',
  uptime: 'Uptime',
  startedAt: 'Started',
  database: 'Database',
  engine: 'Engine',
  connections: 'Connections in use',
  ofMax: (inUse: number, max: number) => `${inUse} of ${max}`,
  waiting: 'Waiting for a connection',
  storage: 'File storage',
  driver: 'Kind',
  drivers: { local: 'Local disk', s3: 'S3 object storage' } satisfies Record<Driver, string>,
  storedMedia: 'Stored media',
  originals: 'Original photos',
  videos: 'Videos',
  markers: 'Markers',
  disk: 'Disk space',
  volumes: {
    data: 'Data folder (DATA_DIR)',
    storage: 'Storage folder',
  } satisfies Record<Volume, string>,
  free: 'free',
  ofTotal: (percent: string, total: string) => `${percent} of ${total}`,
  freeShare: 'Share of the disk that is free',
  lowSpace: 'Less than 20 % free',
  noVolumes: 'No local folders to report.',
  jobs: 'Job queue',
  jobKind: 'Kind',
  queued: 'Queued',
  running: 'Running',
  failed: 'Failed',
  failedRecent: 'Failed, last 24 h',
  oldestQueued: 'Oldest queued',
  jobKinds: {
    'portrait.images': 'Portrait images',
    'marker.generate': 'Marker generation',
    'video.process': 'Video processing',
    'storage.cleanup': 'Storage cleanup',
    'backup.create': 'Backup',
    'backup.verify': 'Backup check',
  } as Readonly<Record<string, string>>,
  backup: 'Last backup',
  noBackup: 'No backup has succeeded yet.',
  backupStale: 'The last successful backup is more than 26 hours old.',
  when: 'When',
  took: 'Took',
  size: 'Size',
  lastFailure: 'A later attempt failed',
  openBackups: 'Open Backups',
  markerTimings: 'Marker timings',
  sampled: 'Newest ready markers sampled',
  median: 'Median time',
  longest: 'Longest time',
  selfTests: 'Self-tests passed',
  passedOf: (passed: number, of: number) => `${passed} of ${of}`,
  noMarkers: 'No ready markers yet.',
  units: { day: 'd', hour: 'h', minute: 'min', second: 's' },
};

export type SystemText = typeof EN;

const RU: SystemText = {
  title: 'Состояние системы',
  lead: 'Как работает эта установка: те же показатели, что Prometheus читает из /metrics.',
  adminsOnly: 'Состояние системы видят только администраторы.',
  loading: 'Загрузка состояния системы',
  refresh: 'Обновить',
  refreshing: 'Обновление…',
  updated: (time) => `Обновлено в ${time}; обновляется само каждые 30 секунд.`,
  needsAttention: 'Требует внимания',
  healthy: 'Работает',
  unhealthy: 'Не отвечает',
  status: 'Состояние',
  application: 'Приложение',
  version: 'Версия',
  uptime: 'Время работы',
  startedAt: 'Запущено',
  database: 'База данных',
  engine: 'СУБД',
  connections: 'Соединений занято',
  ofMax: (inUse, max) => `${inUse} из ${max}`,
  waiting: 'Ждут соединения',
  storage: 'Хранилище файлов',
  driver: 'Тип',
  drivers: { local: 'Локальный диск', s3: 'Объектное хранилище S3' },
  storedMedia: 'Медиафайлы в хранилище',
  originals: 'Исходные фото',
  videos: 'Видео',
  markers: 'Маркеры',
  disk: 'Место на диске',
  volumes: { data: 'Папка данных (DATA_DIR)', storage: 'Папка хранилища' },
  free: 'свободно',
  ofTotal: (percent, total) => `${percent} из ${total}`,
  freeShare: 'Доля свободного места на диске',
  lowSpace: 'Свободно меньше 20 %',
  noVolumes: 'Нет локальных папок для отчёта.',
  jobs: 'Очередь задач',
  jobKind: 'Вид',
  queued: 'В очереди',
  running: 'Выполняются',
  failed: 'С ошибкой',
  failedRecent: 'Ошибок за 24 ч',
  oldestQueued: 'Дольше всех ждёт',
  jobKinds: {
    'portrait.images': 'Изображения портрета',
    'marker.generate': 'Создание маркера',
    'video.process': 'Обработка видео',
    'storage.cleanup': 'Очистка хранилища',
    'backup.create': 'Резервная копия',
    'backup.verify': 'Проверка резервной копии',
  },
  backup: 'Последняя резервная копия',
  noBackup: 'Ни одной резервной копии ещё не создано.',
  backupStale: 'Последней удачной резервной копии больше 26 часов.',
  when: 'Когда',
  took: 'Длительность',
  size: 'Размер',
  lastFailure: 'Более поздняя попытка не удалась',
  openBackups: 'Открыть резервные копии',
  markerTimings: 'Время создания маркеров',
  sampled: 'Последних готовых маркеров в выборке',
  median: 'Медиана',
  longest: 'Дольше всего',
  selfTests: 'Самопроверок пройдено',
  passedOf: (passed, of) => `${passed} из ${of}`,
  noMarkers: 'Готовых маркеров пока нет.',
  units: { day: 'дн.', hour: 'ч', minute: 'мин', second: 'с' },
};

const TEXTS: Readonly<Record<Locale, SystemText>> = { en: EN, ru: RU };

/** The figures of the page written in the chosen language. */
export interface SystemFormat {
  /** `formatBytes`' rounding and units; in Russian with a decimal comma and Russian units. */
  bytes: (bytes: number) => string;
  /** 0.2 → `20%` / `20 %`. */
  percent: (fraction: number) => string;
  /** The two largest units: `2 d 3 h`, `3 h 12 min`, `4 min 5 s`, `12 s`. */
  duration: (seconds: number) => string;
  /** `12.3 s` / `12,3 с`. */
  seconds: (seconds: number) => string;
  /** Date and time to the second. */
  time: (iso: string) => string;
  /** Time of day only. */
  clock: (ms: number) => string;
  /** `3 hours ago` / `3 часа назад`, counted back from `nowMs`. */
  ago: (iso: string, nowMs: number) => string;
}

function durationIn(units: SystemText['units']) {
  return (total: number): string => {
    const s = Math.max(0, Math.round(total));
    const days = Math.floor(s / 86_400);
    const hours = Math.floor((s % 86_400) / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    const seconds = s % 60;
    if (days > 0) return `${days} ${units.day} ${hours} ${units.hour}`;
    if (hours > 0) return `${hours} ${units.hour} ${minutes} ${units.minute}`;
    if (minutes > 0) return `${minutes} ${units.minute} ${seconds} ${units.second}`;
    return `${seconds} ${units.second}`;
  };
}

function format(locale: Locale, text: SystemText): SystemFormat {
  const tag = localeTag(locale);
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' });
  const timeOfDay = new Intl.DateTimeFormat(tag, { timeStyle: 'medium' });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  return {
    bytes: (bytes) => formatBytes(bytes, locale),
    percent: (fraction) => percent.format(fraction),
    duration: durationIn(text.units),
    seconds: (seconds) => `${oneDecimal.format(seconds)} ${text.units.second}`,
    time: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
    },
    clock: (ms) => timeOfDay.format(new Date(ms)),
    ago: (iso, nowMs) => {
      const at = Date.parse(iso);
      if (Number.isNaN(at)) return iso;
      const seconds = Math.round((at - nowMs) / 1000);
      const size = Math.abs(seconds);
      if (size < 60) return relative.format(seconds, 'second');
      if (size < 3600) return relative.format(Math.round(seconds / 60), 'minute');
      // Hours up to two days: "30 hours ago" says more than "yesterday" about a daily job.
      if (size < 172_800) return relative.format(Math.round(seconds / 3600), 'hour');
      return relative.format(Math.round(seconds / 86_400), 'day');
    },
  };
}

/** The System status page's words and number formats, in the chosen language. */
export function useSystemText(): { locale: Locale; text: SystemText; format: SystemFormat } {
  const locale = useLocale();
  return useMemo(() => {
    const text = TEXTS[locale];
    return { locale, text, format: format(locale, text) };
  }, [locale]);
}
