import { useState } from 'react';
import { api, type ApiKey, type CreatedApiKey } from '../api';
import { CreateApiKeyForm } from '../components/api-keys/CreateApiKeyForm';
import { NewKeyNotice } from '../components/api-keys/NewKeyNotice';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { formatDate, formatDateTime } from '../format';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session';

function keyStatus(key: ApiKey, now: number) {
  if (key.revokedAt !== null) return <StatusBadge status="failed" label="Revoked" />;
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) {
    return <StatusBadge status="failed" label="Expired" />;
  }
  return <StatusBadge status="ready" label="Active" />;
}

/**
 * API keys for integrations (n8n, scripts): create (the key is shown once), list without the
 * secret, revoke. Admins see every key; operators their own.
 */
export function ApiKeysPage() {
  const { user: me } = useSession();
  const keys = useResource((signal) => api.listApiKeys(signal), []);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const admin = me?.role === 'admin';
  const now = Date.now();

  return (
    <section>
      <PageHeader
        title="API keys"
        subtitle={
          admin
            ? 'Keys let integrations use the API without a password. You see every key.'
            : 'Keys let integrations use the API without a password. You see the keys you made.'
        }
      />
      {created !== null && (
        <NewKeyNotice
          created={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      )}
      {keys.loading && <Loading what="Loading API keys" />}
      <ErrorNotice error={keys.error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {keys.data !== undefined && keys.data.items.length === 0 && (
        <Notice tone="info">No API keys yet.</Notice>
      )}
      {keys.data !== undefined && keys.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                {admin && <th scope="col">Created by</th>}
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id} data-api-key-id={key.id}>
                  <td data-label="Name">
                    <span className="strong">{key.name}</span>
                  </td>
                  <td data-label="Key">
                    <span className="code">{key.prefix}…</span>
                  </td>
                  <td data-label="Role">{key.role === 'admin' ? 'Administrator' : 'Operator'}</td>
                  {admin && <td data-label="Created by">{key.createdBy.username}</td>}
                  <td data-label="Created">{formatDate(key.createdAt)}</td>
                  <td data-label="Expires">
                    {key.expiresAt === null ? 'Never' : formatDate(key.expiresAt)}
                  </td>
                  <td data-label="Last used">
                    {key.lastUsedAt === null ? (
                      'Never'
                    ) : (
                      <>
                        {formatDateTime(key.lastUsedAt)}
                        {key.lastUsedIp !== null && (
                          <span className="muted"> from {key.lastUsedIp}</span>
                        )}
                      </>
                    )}
                  </td>
                  <td data-label="Status">{keyStatus(key, now)}</td>
                  <td data-label="Actions">
                    {key.revokedAt === null && (
                      <ConfirmButton
                        danger
                        title={`Revoke the key “${key.name}”?`}
                        message="Integrations using it stop working at once. This cannot be undone."
                        confirmLabel="Revoke key"
                        onConfirm={async () => {
                          await api.revokeApiKey(key.id);
                          setMessage(`The key “${key.name}” was revoked.`);
                          keys.reload();
                        }}
                      >
                        Revoke<span className="visually-hidden"> {key.name}</span>
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {me !== null && (
        <CreateApiKeyForm
          myRole={me.role}
          onCreated={(key) => {
            setMessage(null);
            setCreated(key);
            keys.reload();
          }}
        />
      )}
    </section>
  );
}
