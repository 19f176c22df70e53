import { useId } from 'react';
import type { CreatedApiKey } from '../../api';
import { CopyButton } from '../CopyButton';
import { useApiKeysText } from './apiKeysText';

/** The new key, shown this once: the server keeps only its hash. */
export function NewKeyNotice({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const headingId = useId();
  const text = useApiKeysText();
  return (
    <section className="card new-key" aria-labelledby={headingId} data-new-key>
      <h2 id={headingId}>{text.copyNow(created.name)}</h2>
      <p>
        {text.onlyOnce} <span className="code">Authorization: Bearer …</span>.
      </p>
      <p>
        <code className="secret" data-api-key>
          {created.key}
        </code>
      </p>
      <div className="actions">
        <CopyButton text={created.key} label={text.copyKey} />
        <button type="button" className="button" onClick={onDone}>
          {text.copiedIt}
        </button>
      </div>
    </section>
  );
}
