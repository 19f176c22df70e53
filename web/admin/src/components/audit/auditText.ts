import { useMemo } from 'react';
import { localeTag, useLocale, type Locale } from '../../i18n';

/** Russian nouns after a number: 1 запись, 2 записи, 5 записей. */
function ruCount(n: number, one: string, few: string, many: string): string {
  const form = new Intl.PluralRules('ru-RU').select(n);
  return `${n} ${form === 'one' ? one : form === 'few' ? few : many}`;
}

const EN = {
  title: 'Audit log',
  lead:
    'Who did what, when and from where. Entries are hash-chained: an entry edited or removed ' +
    'in the database breaks the chain.',
  adminsOnly: 'Only administrators see the audit log.',
  loading: 'Loading the audit log',
  filters: 'Filter the audit log',
  actor: 'User',
  actorHint: 'Username or user id',
  action: 'Action',
  allActions: 'All actions',
  allOfArea: (area: string) => `${area}: all`,
  entityType: 'Entity',
  anyEntity: 'Any',
  entityId: 'Entity id',
  from: 'From',
  to: 'To',
  clear: 'Clear filters',
  count: (n: number) => (n === 0 ? 'No entries match.' : `${n} ${n === 1 ? 'entry' : 'entries'}`),
  time: 'Time',
  who: 'Who',
  entity: 'Entity',
  where: 'From where',
  details: 'Details',
  system: 'System',
  anonymous: 'Not signed in',
  unknownUser: 'Unknown user',
  viaKey: (name: string) => `via API key “${name}”`,
  verify: 'Verify chain',
  verifying: 'Verifying…',
  verifyOk: (n: number) => `Chain intact: ${n} ${n === 1 ? 'entry' : 'entries'} checked.`,
  verifyBroken: (seq: number, at: string) => `Chain broken at entry #${seq} (${at}).`,
  edited: 'Its content was changed after it was written.',
  unlinked: 'It does not follow the entry before it: an entry was removed or inserted.',
  intactBefore: (n: number) => `The ${n} ${n === 1 ? 'entry' : 'entries'} before it are intact.`,
  lastHash: 'Hash of the newest entry (keep a copy: it reveals removed newest entries):',
  previous: '← Previous',
  next: 'Next →',
  page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  pages: 'Pages',
};

export type AuditText = typeof EN;

const RU: AuditText = {
  title: 'Журнал аудита',
  lead:
    'Кто, что, когда и откуда сделал. Записи связаны цепочкой хешей: запись, изменённая или ' +
    'удалённая в базе данных, нарушает цепочку.',
  adminsOnly: 'Журнал аудита видят только администраторы.',
  loading: 'Загрузка журнала аудита',
  filters: 'Фильтры журнала аудита',
  actor: 'Пользователь',
  actorHint: 'Имя пользователя или id',
  action: 'Действие',
  allActions: 'Все действия',
  allOfArea: (area) => `${area}: все`,
  entityType: 'Объект',
  anyEntity: 'Любой',
  entityId: 'Id объекта',
  from: 'С',
  to: 'По',
  clear: 'Сбросить фильтры',
  count: (n) => (n === 0 ? 'Нет подходящих записей.' : ruCount(n, 'запись', 'записи', 'записей')),
  time: 'Время',
  who: 'Кто',
  entity: 'Объект',
  where: 'Откуда',
  details: 'Подробности',
  system: 'Система',
  anonymous: 'Без входа',
  unknownUser: 'Неизвестный пользователь',
  viaKey: (name) => `через API-ключ «${name}»`,
  verify: 'Проверить цепочку',
  verifying: 'Проверка…',
  verifyOk: (n) => `Цепочка цела: проверено ${ruCount(n, 'запись', 'записи', 'записей')}.`,
  verifyBroken: (seq, at) => `Цепочка нарушена на записи №${seq} (${at}).`,
  edited: 'Её содержимое изменено после записи.',
  unlinked: 'Она не продолжает предыдущую запись: запись удалена или вставлена.',
  intactBefore: (n) => `Записей до неё без нарушений: ${n}.`,
  lastHash: 'Хеш последней записи (сохраните копию: она покажет удаление последних записей):',
  previous: '← Назад',
  next: 'Вперёд →',
  page: (page, pages) => `Страница ${page} из ${pages}`,
  pages: 'Страницы',
};

const TEXTS: Readonly<Record<Locale, AuditText>> = { en: EN, ru: RU };

/** The audit page's words and its date format, in the chosen language. */
export function useAuditText(): { locale: Locale; text: AuditText; time: (iso: string) => string } {
  const locale = useLocale();
  return useMemo(() => {
    // Seconds matter in an audit trail.
    const format = new Intl.DateTimeFormat(localeTag(locale), {
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    return {
      locale,
      text: TEXTS[locale],
      time: (iso: string) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : format.format(date);
      },
    };
  }, [locale]);
}
