import { useId, useState } from 'react';
import { ErrorNotice } from '../ErrorNotice';
import { NOTES_MAX_LENGTH, useNotesText } from './notesText';

type SavedState = 'idle' | 'saving' | 'saved' | 'failed';

/** Characters as the server counts them (code points: an emoji is one, not two). */
const codePoints = (text: string): number =>
  text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);

/**
 * The studio's note on an order or a client: a text area, Save, and what happened, announced
 * (saved, removed, not saved yet). `save` sends the text (null clears it) and answers the note
 * as stored, which then shows.
 */
export function NotesCard({
  kind,
  notes,
  save,
}: {
  kind: 'order' | 'client';
  notes: string | null;
  save: (notes: string | null) => Promise<{ notes: string | null }>;
}) {
  const text = useNotesText();
  const headingId = useId();
  const fieldId = useId();
  const hintId = useId();
  const [stored, setStored] = useState(notes ?? '');
  const [draft, setDraft] = useState(notes ?? '');
  const [state, setState] = useState<SavedState>('idle');
  const [error, setError] = useState<unknown>(null);
  const length = codePoints(draft);
  const tooLong = length > NOTES_MAX_LENGTH;
  const dirty = draft !== stored;

  async function submit() {
    setState('saving');
    setError(null);
    try {
      const result = await save(draft.trim() === '' ? null : draft);
      setStored(result.notes ?? '');
      setDraft(result.notes ?? '');
      setState('saved');
    } catch (reason) {
      setError(reason);
      setState('failed');
    }
  }

  const status = tooLong
    ? text.tooLong(NOTES_MAX_LENGTH)
    : state === 'saving'
      ? text.saving
      : dirty
        ? text.unsaved
        : state === 'saved'
          ? stored === ''
            ? text.cleared
            : text.saved
          : stored === ''
            ? text.empty
            : '';

  return (
    <section className="card notes-card" aria-labelledby={headingId} data-notes={kind}>
      <h2 id={headingId}>{text.title}</h2>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!tooLong && dirty) void submit();
        }}
      >
        <div className={`field${tooLong ? ' field-invalid' : ''}`}>
          <label htmlFor={fieldId}>{kind === 'order' ? text.orderLabel : text.clientLabel}</label>
          <textarea
            id={fieldId}
            name="notes"
            rows={4}
            value={draft}
            aria-describedby={hintId}
            aria-invalid={tooLong}
            onChange={(event) => {
              setDraft(event.target.value);
              if (state === 'saved' || state === 'failed') setState('idle');
            }}
          />
          <p className="hint" id={hintId}>
            {kind === 'order' ? text.orderHint : text.clientHint}{' '}
            {text.count(length, NOTES_MAX_LENGTH)}
          </p>
        </div>
        <div className="notes-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={!dirty || tooLong || state === 'saving'}
          >
            {state === 'saving' ? text.saving : text.save}
          </button>
          <p className="muted notes-status" role="status" aria-live="polite">
            {status}
          </p>
        </div>
      </form>
      {state === 'failed' && <ErrorNotice error={error} title={text.failed} />}
    </section>
  );
}
