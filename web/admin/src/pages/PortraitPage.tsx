import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { usePortraitText } from '../components/portrait/portraitText';
import { PortraitView } from '../components/portrait/PortraitView';
import { usePortrait } from '../hooks/usePortrait';
import { useResource } from '../hooks/useResource';

export function PortraitPage({ portraitId }: { portraitId: string }) {
  const text = usePortraitText();
  const portrait = usePortrait(portraitId);
  const clientId = portrait.data?.clientId;
  const client = useResource(
    (signal) =>
      clientId === undefined ? Promise.resolve(undefined) : api.getClient(clientId, signal),
    [clientId],
  );
  const clientName = client.data?.name;
  return (
    <section>
      <PageHeader title={text.pageTitle(clientName)} />
      {portrait.loading && <Loading what={text.loadingPortrait} />}
      <ErrorNotice error={portrait.error} />
      {portrait.data !== undefined && (
        <PortraitView portrait={portrait.data} clientName={clientName} reload={portrait.reload} />
      )}
    </section>
  );
}
