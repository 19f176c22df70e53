import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { api, type Upload } from '../api';
import { BulkIssues } from '../components/bulk/BulkIssues';
import { BulkPairsTable, type ItemState } from '../components/bulk/BulkPairsTable';
import { parseCsv, type ParsedCsv } from '../components/bulk/bulkCsv';
import {
  extensionOf,
  idempotencyKey,
  pairByCsv,
  pairByName,
  phoneProblem,
  type BulkPair,
} from '../components/bulk/bulkPairing';
import { loadBatch, newBatch, saveBatch, type SavedBatch } from '../components/bulk/bulkStore';
import { useBulkText } from '../components/bulk/bulkText';
import { describeError } from '../components/ErrorNotice';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { useLocale } from '../i18n';
import { Link } from '../router';

/** Two uploads at a time: fast on a studio line, and one slow file does not stall the rest. */
const CONCURRENCY = 2;

/**
 * Bulk orders for a photo day: drop the portraits and videos (and a CSV), check the pairing,
 * then upload two at a time with a progress bar per item. What was created is kept in this
 * browser, and every item carries an `Idempotency-Key`, so a retry after a network drop or a
 * reload never creates an order twice.
 */
export function BulkOrdersPage() {
  const text = useBulkText();
  const locale = useLocale();
  const [files, setFiles] = useState<File[]>([]);
  const [csv, setCsv] = useState<{ name: string; parsed: ParsedCsv } | null>(null);
  const [phones, setPhones] = useState<Record<string, string>>({});
  const [states, setStates] = useState<Record<string, ItemState>>({});
  const [batch, setBatch] = useState<SavedBatch>(loadBatch);
  const batchRef = useRef(batch);
  const [running, setRunning] = useState(false);
  const [finished, setFinished] = useState(false);
  const uploads = useRef(new Set<Upload<unknown>>());

  useEffect(() => {
    const running = uploads.current;
    return () => {
      for (const upload of running) upload.abort();
    };
  }, []);

  const pairing = useMemo(
    () =>
      csv === null || csv.parsed.problem !== null
        ? pairByName(files)
        : pairByCsv(files, csv.parsed.rows),
    [files, csv],
  );
  const createdBefore = useMemo(
    () => new Map(batch.created.map((item) => [item.key, item.number])),
    [batch],
  );
  const phoneOf = (pair: BulkPair<File>) => phones[pair.key] ?? pair.phone;
  const createdNumber = (pair: BulkPair<File>) => createdBefore.get(pair.key);
  const isDone = (pair: BulkPair<File>) =>
    createdBefore.has(pair.key) || states[pair.key]?.status === 'created';
  const sendable = pairing.pairs.filter(
    (pair) => !isDone(pair) && phoneProblem(phoneOf(pair)) === null,
  );
  const failed = pairing.pairs.filter((pair) => states[pair.key]?.status === 'failed');
  const fresh = sendable.filter((pair) => states[pair.key]?.status !== 'failed');
  const badPhones = pairing.pairs.filter(
    (pair) => !isDone(pair) && phoneProblem(phoneOf(pair)) !== null,
  ).length;

  const choose = async (list: FileList | null) => {
    if (list === null || running) return;
    const all = Array.from(list);
    const csvFile = all.find((file) => extensionOf(file.name) === 'csv');
    setCsv(
      csvFile === undefined ? null : { name: csvFile.name, parsed: parseCsv(await csvFile.text()) },
    );
    setFiles(all.filter((file) => file !== csvFile));
    setPhones({});
    setStates({});
    setFinished(false);
  };

  const setState = (key: string, state: ItemState) => {
    setStates((previous) => ({ ...previous, [key]: state }));
  };

  const remember = (pair: BulkPair<File>, orderId: string, number: string) => {
    const next: SavedBatch = {
      ...batchRef.current,
      created: [
        ...batchRef.current.created.filter((item) => item.key !== pair.key),
        { key: pair.key, name: pair.name, orderId, number },
      ],
    };
    batchRef.current = next;
    saveBatch(next);
    setBatch(next);
  };

  const sendOne = async (pair: BulkPair<File>) => {
    const started = api.createOrder(
      {
        clientName: pair.name.trim(),
        clientPhone: phoneOf(pair).trim(),
        clientEmail: pair.email,
        portrait: pair.portrait,
        video: pair.video,
      },
      (progress) => {
        setState(pair.key, { status: 'uploading', progress });
      },
      idempotencyKey(batchRef.current.batchId, pair.key),
    );
    uploads.current.add(started);
    setState(pair.key, {
      status: 'uploading',
      progress: { loaded: 0, total: pair.portrait.size + pair.video.size },
    });
    try {
      const accepted = await started.done;
      remember(pair, accepted.order.id, accepted.order.number);
      setState(pair.key, {
        status: 'created',
        number: accepted.order.number,
        orderId: accepted.order.id,
      });
    } catch (error) {
      setState(pair.key, { status: 'failed', error });
    } finally {
      uploads.current.delete(started);
    }
  };

  const run = async (targets: BulkPair<File>[]) => {
    if (targets.length === 0) return;
    setRunning(true);
    setFinished(false);
    setStates((previous) => ({
      ...previous,
      ...Object.fromEntries(targets.map((pair) => [pair.key, { status: 'waiting' } as const])),
    }));
    const queue = [...targets];
    const worker = async () => {
      for (let pair = queue.shift(); pair !== undefined; pair = queue.shift()) await sendOne(pair);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    setRunning(false);
    setFinished(true);
  };

  const startNewBatch = () => {
    const next = newBatch();
    batchRef.current = next;
    setBatch(next);
    setStates({});
    setFinished(false);
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    void choose(event.dataTransfer.files);
  };

  const createdNow = pairing.pairs.filter((pair) => states[pair.key]?.status === 'created');
  return (
    <section>
      <PageHeader title={text.title} subtitle={text.subtitle} />

      <div
        className="card bulk-drop"
        onDragOver={(event) => {
          event.preventDefault();
        }}
        onDrop={drop}
      >
        <label htmlFor="bulk-files" className="strong">
          <Icon name="upload" /> {text.chooseLabel}
        </label>
        <input
          id="bulk-files"
          type="file"
          multiple
          disabled={running}
          accept="image/*,video/*,.mp4,.mov,.webm,.csv,text/csv"
          aria-describedby="bulk-files-hint"
          onChange={(event) => {
            void choose(event.currentTarget.files);
          }}
        />
        <p className="hint" id="bulk-files-hint">
          {text.chooseHint}
        </p>
        {csv !== null &&
          (csv.parsed.problem === null ? (
            <p>{text.csvUsed(csv.name, csv.parsed.rows.length)}</p>
          ) : (
            <p role="alert" className="notice notice-error">
              {csv.parsed.problem.kind === 'empty'
                ? text.csvProblem.empty
                : text.csvProblem.missingColumns(csv.parsed.problem.columns)}
            </p>
          ))}
      </div>

      {(files.length > 0 || csv !== null) && (
        <div className="card">
          <h2>{text.previewTitle}</h2>
          <p data-testid="bulk-counts" aria-live="polite">
            {text.counts(
              pairing.pairs.length,
              pairing.unpaired.length,
              pairing.rowsWithoutFiles.length,
              badPhones,
            )}
          </p>
          <BulkPairsTable
            pairs={pairing.pairs}
            phoneOf={phoneOf}
            onPhone={(pair, phone) => {
              setPhones((previous) => ({ ...previous, [pair.key]: phone }));
            }}
            stateOf={(pair) => states[pair.key]}
            createdNumber={createdNumber}
            disabled={running}
          />
          <BulkIssues pairing={pairing} phoneOf={phoneOf} />
          <div className="actions">
            {fresh.length > 0 && (
              <button
                type="button"
                className="button button-primary"
                disabled={running}
                onClick={() => {
                  void run(fresh);
                }}
              >
                <Icon name="upload" />
                {running ? text.uploadingAll : text.create(fresh.length)}
              </button>
            )}
            {!running && failed.length > 0 && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  void run(failed.filter((pair) => phoneProblem(phoneOf(pair)) === null));
                }}
              >
                {text.retry(failed.length)}
              </button>
            )}
            {!running && sendable.length === 0 && failed.length === 0 && !finished && (
              <p className="hint">{text.nothingToSend}</p>
            )}
          </div>
        </div>
      )}

      {finished && !running && (
        <div className="card" data-testid="bulk-summary" role="status">
          <h2>{text.summaryTitle}</h2>
          <p className="strong">{text.summary(createdNow.length, failed.length)}</p>
          {failed.length > 0 && (
            <>
              <h3>{text.failedTitle}</h3>
              <ul>
                {failed.map((pair) => {
                  const state = states[pair.key];
                  const words =
                    state?.status === 'failed' ? describeError(state.error, locale) : null;
                  return (
                    <li key={pair.key}>
                      {pair.name} — {words?.message} {words?.next}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </div>
      )}

      {batch.created.length > 0 && (
        <div className="card" data-testid="bulk-created">
          <h2>
            {text.createdTitle} ({batch.created.length})
          </h2>
          <p className="hint">{text.savedHint}</p>
          <ul>
            {batch.created.map((item) => (
              <li key={item.key}>
                <Link to={`/orders/${item.orderId}`}>{text.openOrder(item.number)}</Link> —{' '}
                {item.name}
              </li>
            ))}
          </ul>
          <button type="button" className="button" disabled={running} onClick={startNewBatch}>
            {text.newBatch}
          </button>
        </div>
      )}
    </section>
  );
}
