import { useId } from 'react';
import { safeHttpUrl } from '../../api';
import { CopyButton } from '../CopyButton';
import { Icon } from '../Icon';
import { SendLinkCard } from './SendLinkCard';
import { useSendLinkText } from './sendLinkText';

/**
 * The public AR page's address: read-only field, copy button, open link; with the portrait's
 * ids, also the ways to hand it to the client (`SendLinkCard`).
 */
export function PublicLink({
  url,
  portrait,
}: {
  url: string;
  portrait?: { id: string; clientId: string };
}) {
  const id = useId();
  const text = useSendLinkText();
  const safe = safeHttpUrl(url);
  return (
    <>
      <div className="field public-link">
        <label htmlFor={id}>{text.publicLinkLabel}</label>
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
              {text.open}
              <span className="visually-hidden">{text.newTab}</span>
            </a>
          )}
        </div>
      </div>
      {portrait !== undefined && (
        <SendLinkCard portraitId={portrait.id} clientId={portrait.clientId} url={url} />
      )}
    </>
  );
}
