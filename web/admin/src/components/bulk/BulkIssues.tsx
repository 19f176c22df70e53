import { phoneProblem, type BulkPair, type Pairing } from './bulkPairing';
import { useBulkText } from './bulkText';

/** What the preview could not pair, and the pairs whose phone must be fixed, with reasons. */
export function BulkIssues({
  pairing,
  phoneOf,
}: {
  pairing: Pairing<File>;
  phoneOf: (pair: BulkPair<File>) => string;
}) {
  const text = useBulkText();
  const badPhones = pairing.pairs.flatMap((pair) => {
    const problem = phoneProblem(phoneOf(pair));
    return problem === null ? [] : [{ pair, problem }];
  });
  return (
    <>
      {pairing.unpaired.length > 0 && (
        <section aria-labelledby="bulk-unpaired" data-testid="bulk-unpaired">
          <h3 id="bulk-unpaired">{text.unpairedTitle}</h3>
          <ul>
            {pairing.unpaired.map(({ file, reason }) => (
              <li key={`${file.name}:${file.size}`}>
                <span translate="no">{file.name}</span> — {text.unpaired[reason]}
              </li>
            ))}
          </ul>
        </section>
      )}
      {pairing.rowsWithoutFiles.length > 0 && (
        <section aria-labelledby="bulk-rows" data-testid="bulk-rows">
          <h3 id="bulk-rows">{text.rowsTitle}</h3>
          <ul>
            {pairing.rowsWithoutFiles.map(({ row, reason }) => (
              <li key={row.line}>
                {text.lineLabel(row.line)}: {row.name === '' ? '—' : row.name} — {text.rows[reason]}
              </li>
            ))}
          </ul>
        </section>
      )}
      {badPhones.length > 0 && (
        <section aria-labelledby="bulk-phones" data-testid="bulk-phones">
          <h3 id="bulk-phones">{text.phonesTitle}</h3>
          <ul>
            {badPhones.map(({ pair, problem }) => (
              <li key={pair.key}>
                {pair.name}
                {phoneOf(pair) === '' ? '' : ` (${phoneOf(pair)})`} — {text.phones[problem]}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
