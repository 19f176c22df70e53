import { useState } from 'react';
import { api, type AuditVerifyResult } from '../../api';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { Icon } from '../Icon';
import type { AuditText } from './auditText';

function Result({
  result,
  text,
  time,
}: {
  result: AuditVerifyResult;
  text: AuditText;
  time: (iso: string) => string;
}) {
  if (result.ok) {
    return (
      <div data-testid="audit-verify-result" data-ok="true">
        <Notice tone="success">
          <strong>{text.verifyOk(result.checked)}</strong>
          {result.lastHash !== null && (
            <p className="hint">
              {text.lastHash} <span className="code audit-id">{result.lastHash}</span>
            </p>
          )}
        </Notice>
      </div>
    );
  }
  return (
    <div
      className="notice notice-error"
      role="alert"
      data-testid="audit-verify-result"
      data-ok="false"
      data-broken-seq={result.firstBrokenSeq}
    >
      <Icon name="alert" />
      <div>
        <strong>{text.verifyBroken(result.firstBrokenSeq, time(result.at))}</strong>{' '}
        {result.reason === 'edited' ? text.edited : text.unlinked}{' '}
        {text.intactBefore(result.checked)}
        <div className="code audit-id">{result.firstBrokenId}</div>
      </div>
    </div>
  );
}

/** "Verify chain": the server walks the whole log; the answer stays until the next check. */
export function VerifyChain({ text, time }: { text: AuditText; time: (iso: string) => string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const verify = () => {
    setBusy(true);
    setError(null);
    setResult(null);
    api
      .verifyAudit()
      .then(setResult, setError)
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <div className="audit-verify">
      <button type="button" className="button" disabled={busy} onClick={verify}>
        <Icon name="check" />
        {busy ? text.verifying : text.verify}
      </button>
      <div aria-live="polite">
        {result !== null && <Result result={result} text={text} time={time} />}
      </div>
      <ErrorNotice error={error} />
    </div>
  );
}
