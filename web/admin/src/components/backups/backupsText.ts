import type { BackupItem } from '../../api';
import { useLocale, type Locale } from '../../i18n';
import { enCount, ruCount } from '../commonText';

/** The Backups page: summary, the list, runs in progress and how to restore. */
const EN = {
  title: 'Backups',
  lead: 'Every backup holds the database and every stored file; later backups copy only new files.',
  backingUp: 'Backing up…',
  backUpNow: 'Back up now',
  loading: 'Loading backups',
  notSetUp:
    'Backups are not set up: set BACKUP_PASSPHRASE (or BACKUP_PASSPHRASE_FILE) on the server ' +
    'and restart it. Keep the passphrase somewhere safe: without it no backup can be restored.',
  notOffSite:
    "Backups are kept on this server's disk, which is not off-site: download them or set " +
    'BACKUP_S3_* so a lost server does not take its backups with it.',
  none: 'No backups yet.',
  statuses: {
    complete: 'Complete',
    incomplete: 'Incomplete',
    failed: 'Unreadable',
  } satisfies Record<BackupItem['status'], string>,
  notVerified: 'Not verified',
  verifyingBadge: 'Verifying',
  verified: 'Verified',
  verificationFailed: 'Verification failed',
  lastFailed: 'The last backup failed',
  unknownError: 'unknown error',
  schedule: 'Schedule',
  noSchedule: 'None: set BACKUP_SCHEDULE (cron, e.g. 0 3 * * *)',
  cronNote: '(cron, server time zone)',
  destination: 'Destination',
  s3: 'S3 bucket (off-site)',
  folder: 'Folder on this server',
  encrypted: 'encrypted (age)',
  notEncrypted: 'not encrypted',
  lastSuccess: 'Last successful backup',
  never: 'Never',
  lastFailure: 'Last failure',
  noFailure: 'None',
  created: 'Created',
  size: 'Size',
  files: 'Files',
  status: 'Status',
  verification: 'Verification',
  actions: 'Actions',
  verify: 'Verify',
  download: 'Download',
  copyRestore: 'Copy restore command',
  restoring: 'Restoring',
  restoreLead:
    'A restore brings back the whole installation, so it is done on the server with the ' +
    'command line, into an empty installation',
  dryRun: 'shows what it would do',
  copyCommand: 'Copy command',
  downloaded:
    'A downloaded backup is still encrypted: unpack it into an empty folder and point ' +
    'BACKUP_DIR at it to restore from it',
  see: 'see',
  phases: {
    queued: 'Waiting for the job runner…',
    database: 'Copying the database…',
    manifest: 'Writing the manifest…',
    verify: 'Decrypting and checking every file…',
  } as Readonly<Record<string, string>>,
  copying: (done: number, total: number) => `Copying files: ${done} of ${total}`,
  working: 'Working…',
  backup: 'Backup',
  verificationOf: (id: string) => `Verification of ${id}`,
  scheduled: ' (scheduled)',
  complete: (id: string, size: string, files: number, copied: number) =>
    `Backup ${id} is complete: ${size}, ${enCount(files, 'file')} (${copied} newly copied).`,
  verifiedAll: (id: string) =>
    `Backup ${id} verified: every file decrypts and matches its checksum.`,
  failed: (what: string) => `${what} failed`,
  at: (time: string) => ` at ${time}`,
};

export type BackupsText = typeof EN;

const RU: BackupsText = {
  title: 'Резервные копии',
  lead:
    'Каждая резервная копия содержит базу данных и все сохранённые файлы; следующие копии ' +
    'добавляют только новые файлы.',
  backingUp: 'Создаём копию…',
  backUpNow: 'Создать копию сейчас',
  loading: 'Загрузка резервных копий',
  notSetUp:
    'Резервное копирование не настроено: задайте на сервере BACKUP_PASSPHRASE (или ' +
    'BACKUP_PASSPHRASE_FILE) и перезапустите его. Храните пароль в надёжном месте: без него ' +
    'ни одну копию не восстановить.',
  notOffSite:
    'Копии хранятся на диске этого сервера, то есть в том же месте: скачивайте их или задайте ' +
    'BACKUP_S3_*, чтобы при потере сервера копии остались целы.',
  none: 'Резервных копий пока нет.',
  statuses: { complete: 'Готова', incomplete: 'Не завершена', failed: 'Не читается' },
  notVerified: 'Не проверена',
  verifyingBadge: 'Проверяется',
  verified: 'Проверена',
  verificationFailed: 'Проверка не пройдена',
  lastFailed: 'Последнее копирование не удалось',
  unknownError: 'неизвестная ошибка',
  schedule: 'Расписание',
  noSchedule: 'Нет: задайте BACKUP_SCHEDULE (в формате cron, например 0 3 * * *)',
  cronNote: '(формат cron, часовой пояс сервера)',
  destination: 'Куда',
  s3: 'Хранилище S3 (в другом месте)',
  folder: 'Папка на этом сервере',
  encrypted: 'зашифрованы',
  notEncrypted: 'не зашифрованы',
  lastSuccess: 'Последняя удачная копия',
  never: 'Ни разу',
  lastFailure: 'Последняя ошибка',
  noFailure: 'Нет',
  created: 'Создана',
  size: 'Размер',
  files: 'Файлы',
  status: 'Состояние',
  verification: 'Проверка',
  actions: 'Действия',
  verify: 'Проверить',
  download: 'Скачать',
  copyRestore: 'Скопировать команду восстановления',
  restoring: 'Восстановление',
  restoreLead:
    'Восстановление возвращает всю установку целиком, поэтому выполняется на сервере из ' +
    'командной строки, в пустую установку',
  dryRun: 'покажет, что будет сделано',
  copyCommand: 'Скопировать команду',
  downloaded:
    'Скачанная копия остаётся зашифрованной: распакуйте её в пустую папку и укажите эту папку ' +
    'в BACKUP_DIR, чтобы восстановить из неё',
  see: 'см.',
  phases: {
    queued: 'Ждём очереди задач…',
    database: 'Копируем базу данных…',
    manifest: 'Записываем опись…',
    verify: 'Расшифровываем и проверяем каждый файл…',
  },
  copying: (done, total) => `Копируем файлы: ${done} из ${total}`,
  working: 'Выполняется…',
  backup: 'Резервная копия',
  verificationOf: (id) => `Проверка копии ${id}`,
  scheduled: ' (по расписанию)',
  complete: (id, size, files, copied) =>
    `Резервная копия ${id} готова: ${size}, ${ruCount(files, 'файл', 'файла', 'файлов')} (новых скопировано: ${copied}).`,
  verifiedAll: (id) =>
    `Резервная копия ${id} проверена: каждый файл расшифровывается и совпадает с контрольной суммой.`,
  failed: (what) => `${what}: не удалось`,
  at: (time) => ` (${time})`,
};

const TEXTS: Readonly<Record<Locale, BackupsText>> = { en: EN, ru: RU };

export function useBackupsText(): BackupsText {
  return TEXTS[useLocale()];
}
