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
import { formatDateTime } from '../format';
import { writeDraft } from '../hooks/useDraft';
import { useResource } from '../hooks/useResource';
import { formatPhone } from '../phone';
import { NEW_ORDER_DRAFT } from './NewOrderPage';
import { Link, navigate } from '../router';

/** One client: edit, their portraits, delete (with everything of theirs). */
export function ClientPage({ clientId }: { clientId: string }) {
  const client = useResource((signal) => api.getClient(clientId, signal), [clientId]);
  const data = client.data;
  const portraitsHeading = useId();
  const editHeading = useId();

  return (
    <section>
      <PageHeader
        title={data?.name ?? 'Client'}
        subtitle={data === undefined ? undefined : formatPhone(data.phone)}
      />
      <Flash />
      {client.loading && <Loading what="Loading the client" />}
      <ErrorNotice error={client.error} />
      {data !== undefined && (
        <>
          <div className="grid-2">
            <section className="card" aria-labelledby={portraitsHeading}>
              <h2 id={portraitsHeading}>Portraits</h2>
              {data.portraits.length === 0 ? (
                <p>No portraits.</p>
              ) : (
                <ul className="portrait-list">
                  {data.portraits.map((portrait) => (
                    <li key={portrait.id}>
                      <PortraitThumb
                        portraitId={portrait.id}
                        thumbnailUrl={portrait.thumbnailUrl}
                        alt={`Portrait of ${data.name}`}
                      />
                      <div>
                        <Link to={`/portraits/${portrait.id}`}>
                          Portrait of {formatDateTime(portrait.createdAt)}
                        </Link>
                        <div>
                          <StatusBadge status={portrait.status} />
                        </div>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              <button
                type="button"
                className="button"
                onClick={() => {
                  writeDraft(NEW_ORDER_DRAFT, {
                    clientName: data.name,
                    clientPhone: data.phone,
                    clientEmail: data.email ?? '',
                  });
                  navigate('/orders/new', { state: { prefilledFor: data.name } });
                }}
              >
                <Icon name="upload" />
                New order for this client
              </button>
            </section>
            <section className="card" aria-labelledby={editHeading}>
              <h2 id={editHeading}>Details</h2>
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
          <section className="card danger-zone" aria-label="Delete the client">
            <ConfirmButton
              danger
              icon="trash"
              title={`Delete ${data.name}?`}
              message={
                <p>
                  The client and all of their portraits ({data.portraits.length}), videos and files
                  are removed. Their public links and printed QR codes stop working. This cannot be
                  undone.
                </p>
              }
              confirmLabel="Delete client"
              onConfirm={async () => {
                await api.deleteClient(data.id);
                navigate('/clients', { state: { flash: `${data.name} was deleted.` } });
              }}
            >
              Delete client
            </ConfirmButton>
          </section>
        </>
      )}
    </section>
  );
}
