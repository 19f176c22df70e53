import { useId } from 'react';
import { api } from '../api';
import { ClientForm } from '../components/ClientForm';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNotice } from '../components/ErrorNotice';
import { Flash } from '../components/Flash';
import { Icon } from '../components/Icon';
import { Loading } from '../components/Loading';
import { NotesCard } from '../components/notes/NotesCard';
import { PageHeader } from '../components/PageHeader';
import { PortraitThumb } from '../components/PortraitThumb';
import { StatusBadge } from '../components/StatusBadge';
import { useClientsText } from '../components/clients/clientsText';
import { writeDraft } from '../hooks/useDraft';
import { useResource } from '../hooks/useResource';
import { formatPhone } from '../phone';
import { usePortraitName } from '../portraitName';
import { NEW_ORDER_DRAFT } from './NewOrderPage';
import { Link, navigate } from '../router';

/** One client: edit, their portraits, delete (with everything of theirs). */
export function ClientPage({ clientId }: { clientId: string }) {
  const client = useResource((signal) => api.getClient(clientId, signal), [clientId]);
  const data = client.data;
  const portraitsHeading = useId();
  const editHeading = useId();
  const text = useClientsText();
  const portraitName = usePortraitName();

  return (
    <section>
      <PageHeader
        title={data?.name ?? text.client}
        subtitle={data === undefined ? undefined : formatPhone(data.phone)}
      />
      <Flash />
      {client.loading && <Loading what={text.loadingClient} />}
      <ErrorNotice error={client.error} />
      {data !== undefined && (
        <>
          <div className="grid-2">
            <section className="card" aria-labelledby={portraitsHeading}>
              <h2 id={portraitsHeading}>{text.portraits}</h2>
              {data.portraits.length === 0 ? (
                <p>{text.noPortraits}</p>
              ) : (
                <ul className="portrait-list">
                  {data.portraits.map((portrait) => {
                    const name = portraitName(data.name, portrait.createdAt);
                    return (
                      <li key={portrait.id}>
                        <PortraitThumb
                          portraitId={portrait.id}
                          thumbnailUrl={portrait.thumbnailUrl}
                          alt={name}
                        />
                        <div>
                          <Link to={`/portraits/${portrait.id}`}>{name}</Link>
                          <div>
                            <StatusBadge status={portrait.status} />
                          </div>
                        </div>
                      </li>
                    );
                  })}
                </ul>
              )}
              <button
                type="button"
                className="button"
                onClick={() => {
                  writeDraft(NEW_ORDER_DRAFT, {
                    clientName: data.name,
                    clientPhone: formatPhone(data.phone),
                    clientEmail: data.email ?? '',
                  });
                  navigate('/orders/new', { state: { prefilledFor: data.name } });
                }}
              >
                <Icon name="upload" />
                {text.newOrder}
              </button>
            </section>
            <section className="card" aria-labelledby={editHeading}>
              <h2 id={editHeading}>{text.details}</h2>
              <ClientForm
                key={data.id}
                client={data}
                onSaved={(saved) => {
                  client.set({ ...data, ...saved });
                }}
              />
            </section>
          </div>
          <NotesCard
            key={data.id}
            kind="client"
            notes={data.notes}
            save={(notes) => api.setClientNotes(clientId, notes)}
          />
          <section className="card danger-zone" aria-label={text.deleteLabel}>
            <ConfirmButton
              danger
              icon="trash"
              title={text.deleteTitle(data.name)}
              message={<p>{text.deleteMessage(data.portraits.length)}</p>}
              confirmLabel={text.deleteClient}
              onConfirm={async () => {
                await api.deleteClient(data.id);
                navigate('/clients', { state: { flash: text.deleted(data.name) } });
              }}
            >
              {text.deleteClient}
            </ConfirmButton>
          </section>
        </>
      )}
    </section>
  );
}
