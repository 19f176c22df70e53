import { useEffect, useId, useRef } from 'react';
import { CopyButton } from '../CopyButton';
import { Notice } from '../ErrorNotice';
import { Icon } from '../Icon';
import { useTwoFactorText } from './twoFactorText';

/**
 * New backup codes, shown this once: the list, copy and download (a text file), the warning,
 * and the button that says they are saved (the list then goes for good).
 */
export function BackupCodes({
  codes,
  username,
  onSaved,
  savedLabel,
}: {
  codes: readonly string[];
  username: string;
  onSaved: () => void;
  savedLabel?: string;
}) {
  const text = useTwoFactorText();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const file = [
    text.codesFileTitle,
    text.codesFileFor(username),
    '',
    ...codes,
    '',
    text.codesFileNote,
    '',
  ].join('\n');

  useEffect(() => {
    // The codes replace the form that was just sent: the reader goes straight to them.
    heading.current?.focus();
  }, []);

  const download = () => {
    const url = URL.createObjectURL(new Blob([file], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `vertex-ar-backup-codes-${username}.txt`;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 1000);
  };

  return (
    <section className="backup-codes" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {text.codesTitle}
      </h3>
      <Notice tone="warning">{text.codesWarning}</Notice>
      <ul className="backup-code-list code" aria-label={text.codesList} data-testid="backup-codes">
        {codes.map((code) => (
          <li key={code} translate="no">
            {code}
          </li>
        ))}
      </ul>
      <div className="actions">
        <CopyButton text={codes.join('\n')} label={text.copyCodes} />
        <button type="button" className="button" onClick={download}>
          <Icon name="download" />
          {text.downloadCodes}
        </button>
      </div>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onSaved}>
          {savedLabel ?? text.codesSaved}
        </button>
      </div>
    </section>
  );
}
