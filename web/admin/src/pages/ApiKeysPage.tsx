import { useState } from 'react';
import { api, type ApiKey, type CreatedApiKey } from '../api';
import { CreateApiKeyForm } from '../components/api-keys/CreateApiKeyForm';
import { NewKeyNotice } from '../components/api-keys/NewKeyNotice';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { useApiKeysText, type ApiKeysText } from '../components/api-keys/apiKeysText';
import { useCommonText } from '../components/commonText';
import { useFormat } from '../format';
import { useResource } from '../hooks/useResource';
import { useSession } from '../session';

function keyStatus(text: ApiKeysText, key: ApiKey, now: number) {
  if (key.revokedAt !== null) return <StatusBadge status="failed" label={text.revoked} />;
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) {
    return <StatusBadge status="failed" label={text.expired} />;
  }
  return <StatusBadge status="ready" label={text.active} />;
}

/**
 * API keys for integrations (n8n, scripts): create (the key is shown once), list without the
 * secret, revoke. Admins see every key; operators their own.
 */
export function ApiKeysPage() {
  const { user: me } = useSession();
  const text = useApiKeysText();
  const common = useCommonText();
  const format = useFormat();
  const keys = useResource((signal) => api.listApiKeys(signal), []);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const admin = me?.role === 'admin';
  const now = Date.now();

  return (
    <section>
      <PageHeader title={text.title} subtitle={admin ? text.leadAdmin : text.leadOperator} />
      {created !== null && (
        <NewKeyNotice
          created={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      )}
      {keys.loading && <Loading what={text.loading} />}
      <ErrorNotice error={keys.error} />
      {message !== null && <Notice tone="success">{message}</Notice>}
      {keys.data !== undefined && keys.data.items.length === 0 && (
        <Notice tone="info">{text.none}</Notice>
      )}
      {keys.data !== undefined && keys.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">{text.name}</th>
                <th scope="col">{text.key}</th>
                <th scope="col">{text.role}</th>
                {admin && <th scope="col">{text.createdBy}</th>}
                <th scope="col">{text.created}</th>
                <th scope="col">{text.expires}</th>
                <th scope="col">{text.lastUsed}</th>
                <th scope="col">{text.status}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id} data-api-key-id={key.id}>
                  <td data-label={text.name}>
                    <span className="strong">{key.name}</span>
                  </td>
                  <td data-label={text.key}>
                    <span className="code">{key.prefix}…</span>
                  </td>
                  <td data-label={text.role}>{common.roles[key.role]}</td>
                  {admin && <td data-label={text.createdBy}>{key.createdBy.username}</td>}
                  <td data-label={text.created}>{format.date(key.createdAt)}</td>
                  <td data-label={text.expires}>
                    {key.expiresAt === null ? text.never : format.date(key.expiresAt)}
                  </td>
                  <td data-label={text.lastUsed}>
                    {key.lastUsedAt === null ? (
                      text.never
                    ) : (
                      <>
                        {format.dateTime(key.lastUsedAt)}
                        {key.lastUsedIp !== null && (
                          <span className="muted">{text.from(key.lastUsedIp)}</span>
                        )}
                      </>
                    )}
                  </td>
                  <td data-label={text.status}>{keyStatus(text, key, now)}</td>
                  <td data-label={text.actions}>
                    {key.revokedAt === null && (
                      <ConfirmButton
                        danger
                        title={text.revokeTitle(key.name)}
                        message={text.revokeMessage}
                        confirmLabel={text.revokeConfirm}
                        onConfirm={async () => {
                          await api.revokeApiKey(key.id);
                          setMessage(text.revokedNow(key.name));
                          keys.reload();
                        }}
                      >
                        {text.revoke}
                        <span className="visually-hidden"> {key.name}</span>
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
