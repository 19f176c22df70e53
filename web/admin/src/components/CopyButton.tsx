import { useState } from 'react';
import { useCommonText } from './commonText';
import { Icon } from './Icon';

/** Copies `text`; says whether it worked (in words, announced). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const words = useCommonText();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy">
      <button
        type="button"
        className="button"
        onClick={() => {
          // The Clipboard API needs a secure context (https or localhost); else copy by hand.
          navigator.clipboard.writeText(text).then(
            () => {
              setState('copied');
            },
            () => {
              setState('failed');
            },
          );
        }}
      >
        <Icon name="copy" />
        {label ?? words.copyLink}
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' && (
          <>
            <Icon name="check" size={14} /> {words.copied}
          </>
        )}
        {state === 'failed' && words.copyFailed}
      </span>
    </span>
  );
}
