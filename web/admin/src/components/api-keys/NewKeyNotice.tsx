import { useId } from 'react';
import type { CreatedApiKey } from '../../api';
import { CopyButton } from '../CopyButton';

/** The new key, shown this once: the server keeps only its hash. */
export function NewKeyNotice({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const headingId = useId();
  return (
    <section className="card new-key" aria-labelledby={headingId} data-new-key>
      <h2 id={headingId}>Copy the key “{created.name}” now</h2>
      <p>
        This is the only time it is shown: it cannot be shown again after you leave this page. Keep
        it in your integration&apos;s secret settings and send it as{' '}
        <span className="code">Authorization: Bearer …</span>.
      </p>
      <p>
        <code className="secret" data-api-key>
          {created.key}
        </code>
      </p>
      <div className="actions">
        <CopyButton text={created.key} label="Copy key" />
        <button type="button" className="button" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </section>
  );
}
