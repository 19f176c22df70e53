import type { SystemStatus } from '../../api';
import { Fact, SystemCard } from './SystemCard';
import type { SystemFormat, SystemText } from './systemText';

/** How long the newest ready markers took (generation + self-test) and how many passed. */
export function MarkerCard({
  markers,
  text,
  format,
}: {
  markers: SystemStatus['markers'];
  text: SystemText;
  format: SystemFormat;
}) {
  const seconds = (value: number | null) => (value === null ? '—' : format.seconds(value));
  return (
    <SystemCard title={text.markerTimings} testId="system-markers">
      {markers.sampled === 0 ? (
        <p className="muted">{text.noMarkers}</p>
      ) : (
        <dl className="system-facts">
          <Fact label={text.sampled}>{markers.sampled}</Fact>
          <Fact label={text.median}>{seconds(markers.medianSeconds)}</Fact>
          <Fact label={text.longest}>{seconds(markers.maxSeconds)}</Fact>
          <Fact label={text.selfTests}>
            {text.passedOf(markers.selfTestPassed, markers.sampled)}
          </Fact>
        </dl>
      )}
    </SystemCard>
  );
}
