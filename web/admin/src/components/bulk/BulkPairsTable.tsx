import type { UploadProgress } from '../../api';
import { describeError } from '../ErrorNotice';
import { UploadProgressBar } from '../UploadProgressBar';
import { useLocale } from '../../i18n';
import { phoneProblem, type BulkPair } from './bulkPairing';
import { fieldErrors } from '../../fieldErrors';
import { ORDER_PARTS, useBulkText } from './bulkText';

/** Where one pair of the batch is. */
export type ItemState =
  | { status: 'waiting' }
  | { status: 'uploading'; progress: UploadProgress }
  | { status: 'created'; number: string; orderId: string }
  | { status: 'failed'; error: unknown };

/** The pairs with their phone (editable until sent), upload progress and result. */
export function BulkPairsTable({
  pairs,
  phoneOf,
  onPhone,
  stateOf,
  createdNumber,
  disabled,
}: {
  pairs: readonly BulkPair<File>[];
  phoneOf: (pair: BulkPair<File>) => string;
  onPhone: (pair: BulkPair<File>, phone: string) => void;
  stateOf: (pair: BulkPair<File>) => ItemState | undefined;
  /** The order number when an earlier run of this batch already created the pair. */
  createdNumber: (pair: BulkPair<File>) => string | undefined;
  disabled: boolean;
}) {
  const text = useBulkText();
  const locale = useLocale();
  const { columns } = text;

  const statusCell = (pair: BulkPair<File>) => {
    const done = createdNumber(pair);
    const state = stateOf(pair);
    if (state?.status === 'created') {
      return <span className="badge badge-good">{text.status.created(state.number)}</span>;
    }
    if (done !== undefined) {
      return <span className="badge badge-good">{text.status.done(done)}</span>;
    }
    if (state?.status === 'uploading') {
      return <UploadProgressBar label={text.progressLabel(pair.name)} progress={state.progress} />;
    }
    if (state?.status === 'waiting') {
      return <span className="badge badge-busy">{text.status.waiting}</span>;
    }
    if (state?.status === 'failed') {
      const words = describeError(state.error, locale);
      const wrong = ORDER_PARTS.filter(
        (part) => fieldErrors(state.error, ORDER_PARTS, locale)[part] !== undefined,
      );
      return (
        <div role="alert" className="bulk-failed">
          <span className="badge badge-bad">{text.status.failed}</span>{' '}
          <span className="error-message">{words.message}</span>
          {words.next !== null && <span className="error-next"> {words.next}</span>}
          {wrong.length > 0 && (
            <span> {text.checkPart(wrong.map((part) => text.parts[part]).join(', '))}</span>
          )}
        </div>
      );
    }
    return phoneProblem(phoneOf(pair)) === null ? (
      <span className="badge badge-neutral">{text.status.ready}</span>
    ) : (
      <span className="badge badge-bad">{text.status.needsPhone}</span>
    );
  };

  return (
    <div className="table-wrap">
      <table className="table-cards" data-testid="bulk-pairs">
        <caption className="visually-hidden">{text.pairsTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{columns.client}</th>
            <th scope="col">{columns.phone}</th>
            <th scope="col">{columns.portrait}</th>
            <th scope="col">{columns.video}</th>
            <th scope="col">{columns.status}</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((pair) => {
            const state = stateOf(pair);
            const locked =
              disabled || createdNumber(pair) !== undefined || state?.status === 'created';
            return (
              <tr key={pair.key} data-pair={pair.name} data-status={state?.status ?? 'ready'}>
                <td data-label={columns.client}>{pair.name}</td>
                <td data-label={columns.phone}>
                  <input
                    type="tel"
                    value={phoneOf(pair)}
                    aria-label={text.phoneFor(pair.name)}
                    disabled={locked}
                    onChange={(event) => {
                      onPhone(pair, event.currentTarget.value);
                    }}
                  />
                </td>
                <td data-label={columns.portrait} translate="no">
                  {pair.portrait.name}
                </td>
                <td data-label={columns.video} translate="no">
                  {pair.video.name}
                </td>
                <td data-label={columns.status}>{statusCell(pair)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
