import type { SystemStatus } from '../../api';
import { formatNumber } from '../../format';
import { WarningBadge } from './SystemBadges';
import type { SystemFormat, SystemText } from './systemText';

/** A job waiting longer than this means the workers are stuck or too few. */
export const OLDEST_QUEUED_WARN_SECONDS = 15 * 60;

type JobKindStats = SystemStatus['jobs'][number];

export const jobNeedsAttention = (job: JobKindStats): boolean =>
  job.failedRecent > 0 || job.oldestQueuedAgeSeconds > OLDEST_QUEUED_WARN_SECONDS;

/** The queue per job kind (a table; labelled cards on a phone). */
export function JobQueueTable({
  jobs,
  captionId,
  text,
  format,
}: {
  jobs: readonly JobKindStats[];
  captionId: string;
  text: SystemText;
  format: SystemFormat;
}) {
  return (
    <div className="table-wrap">
      <table className="table-cards system-jobs" aria-labelledby={captionId}>
        <thead>
          <tr>
            <th scope="col">{text.jobKind}</th>
            <th scope="col">{text.queued}</th>
            <th scope="col">{text.running}</th>
            <th scope="col">{text.failed}</th>
            <th scope="col">{text.failedRecent}</th>
            <th scope="col">{text.oldestQueued}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => {
            const warn = jobNeedsAttention(job);
            const name = text.jobKinds[job.kind];
            return (
              <tr
                key={job.kind}
                className={warn ? 'system-warning' : undefined}
                data-job-kind={job.kind}
                data-warning={warn}
              >
                <td data-label={text.jobKind}>
                  <div>
                    {name ?? <span className="code">{job.kind}</span>}
                    {name !== undefined && <div className="muted code">{job.kind}</div>}
                    {warn && <WarningBadge label={text.needsAttention} />}
                  </div>
                </td>
                <td data-label={text.queued}>{formatNumber(job.queued)}</td>
                <td data-label={text.running}>{formatNumber(job.running)}</td>
                <td data-label={text.failed}>{formatNumber(job.failed)}</td>
                <td
                  data-label={text.failedRecent}
                  className={job.failedRecent > 0 ? 'strong' : undefined}
                >
                  {formatNumber(job.failedRecent)}
                </td>
                <td data-label={text.oldestQueued}>
                  {job.queued === 0 ? '—' : format.duration(job.oldestQueuedAgeSeconds)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
