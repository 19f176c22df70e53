import { useId } from 'react';
import { safeHttpUrl } from '../../api';
import { CopyButton } from '../CopyButton';
import { Icon } from '../Icon';

/** The public AR page's address: read-only field, copy button, open link. */
export function PublicLink({ url }: { url: string }) {
  const id = useId();
  const safe = safeHttpUrl(url);
  return (
    <div className="field public-link">
      <label htmlFor={id}>Public link (the QR code opens it)</label>
      <div className="inline">
        <input
          id={id}
          readOnly
          value={url}
          onFocus={(event) => {
            event.target.select();
          }}
          data-testid="public-url"
        />
        <CopyButton text={url} />
        {safe !== null && (
          <a className="button" href={safe} target="_blank" rel="noopener noreferrer">
            <Icon name="play" />
            Open
            <span className="visually-hidden"> (new tab)</span>
          </a>
        )}
      </div>
    </div>
  );
}
