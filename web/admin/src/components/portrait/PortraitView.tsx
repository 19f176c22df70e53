import { api, type PortraitDetail } from '../../api';
import { navigate } from '../../router';
import { AnalyticsPanel } from '../AnalyticsPanel';
import { ConfirmButton } from '../ConfirmButton';
import { MarkerCard } from './MarkerCard';
import { PortraitOverview } from './PortraitOverview';
import { QrCard } from './QrCard';
import { ReplacePhotoCard } from './ReplacePhotoCard';
import { VideosSection } from './VideosSection';

/** Everything about one portrait: status, marker, QR, link, videos, analytics, delete. */
export function PortraitView({
  portrait,
  clientName,
  reload,
}: {
  portrait: PortraitDetail;
  clientName?: string | undefined;
  reload: () => void;
}) {
  return (
    <div className="portrait-view">
      <PortraitOverview portrait={portrait} clientName={clientName} />
      {/* Prominent for a failed photo (its way out), a quiet "reprint" for a ready one. */}
      <ReplacePhotoCard portrait={portrait} onReplaced={reload} />
      <div className="grid-2">
        <MarkerCard portrait={portrait} onChanged={reload} />
        <QrCard portrait={portrait} />
      </div>
      <VideosSection portrait={portrait} onChanged={reload} />
      <AnalyticsPanel
        title="Analytics of this portrait"
        load={(days, signal) => api.portraitAnalytics(portrait.id, days, signal)}
      />
      <section className="card danger-zone" aria-label="Delete the portrait">
        <ConfirmButton
          danger
          icon="trash"
          title="Delete this portrait?"
          message={
            <p>
              The portrait, its videos, marker and files are removed. The public link and the
              printed QR code stop working.
            </p>
          }
          confirmLabel="Delete portrait"
          onConfirm={async () => {
            await api.deletePortrait(portrait.id);
            navigate(`/clients/${portrait.clientId}`, {
              state: { flash: 'The portrait was deleted.' },
            });
          }}
        >
          Delete portrait
        </ConfirmButton>
      </section>
    </div>
  );
}
