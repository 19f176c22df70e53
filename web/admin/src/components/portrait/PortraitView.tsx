import { api, type PortraitDetail } from '../../api';
import { navigate } from '../../router';
import { AnalyticsPanel } from '../AnalyticsPanel';
import { ConfirmButton } from '../ConfirmButton';
import { MarkerCard } from './MarkerCard';
import { PortraitOverview } from './PortraitOverview';
import { usePortraitText } from './portraitText';
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
  const text = usePortraitText();
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
        title={text.analytics}
        load={(range, signal) => api.portraitAnalytics(portrait.id, range, signal)}
        csv={{ portraitId: portrait.id }}
      />
      <section className="card danger-zone" aria-label={text.deleteZone}>
        <ConfirmButton
          danger
          icon="trash"
          title={text.deletePortraitTitle}
          message={<p>{text.deletePortraitMessage}</p>}
          confirmLabel={text.deletePortraitConfirm}
          onConfirm={async () => {
            await api.deletePortrait(portrait.id);
            navigate(`/clients/${portrait.clientId}`, {
              state: { flash: text.portraitDeleted },
            });
          }}
        >
          {text.deletePortrait}
        </ConfirmButton>
      </section>
    </div>
  );
}
