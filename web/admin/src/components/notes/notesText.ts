import { useLocale, type Locale } from '../../i18n';

/** The longest note the server takes (`NOTES_MAX_LENGTH`). */
export const NOTES_MAX_LENGTH = 2000;

const EN = {
  title: 'Notes',
  orderLabel: 'Note on the order',
  clientLabel: 'Note on the client',
  orderHint: 'Only the studio sees this note (e.g. “pick up on Friday, 13×18 matte”).',
  clientHint: 'Only the studio sees this note (e.g. “prefers WhatsApp”).',
  save: 'Save note',
  saving: 'Saving…',
  saved: 'Saved.',
  cleared: 'Note removed.',
  unsaved: 'Changes not saved yet.',
  empty: 'No note yet.',
  count: (n: number, max: number) => `${n} of ${max} characters`,
  tooLong: (max: number) => `At most ${max} characters: shorten the note.`,
  failed: 'The note was not saved:',
};

export type NotesText = typeof EN;

const RU: NotesText = {
  title: 'Заметки',
  orderLabel: 'Заметка к заказу',
  clientLabel: 'Заметка о клиенте',
  orderHint: 'Заметку видит только студия (например, «заберут в пятницу, 13×18 матовая»).',
  clientHint: 'Заметку видит только студия (например, «удобнее в WhatsApp»).',
  save: 'Сохранить заметку',
  saving: 'Сохранение…',
  saved: 'Сохранено.',
  cleared: 'Заметка удалена.',
  unsaved: 'Изменения ещё не сохранены.',
  empty: 'Заметки пока нет.',
  count: (n, max) => `${n} из ${max} символов`,
  tooLong: (max) => `Не больше ${max} символов: сократите заметку.`,
  failed: 'Заметка не сохранена:',
};

const TEXTS: Readonly<Record<Locale, NotesText>> = { en: EN, ru: RU };

export function useNotesText(): NotesText {
  return TEXTS[useLocale()];
}
