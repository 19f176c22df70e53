import { useEffect, useId, useState } from 'react';
import { api, ApiError, type SsoLink } from '../../api';
import { isCatalogued } from '../../errorMessages';
import { useFormat } from '../../format';
import { useResource } from '../../hooks/useResource';
import { navigate, useLocation } from '../../router';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorNotice, Notice } from '../ErrorNotice';
import { Loading } from '../Loading';
import { useTwoFactorText } from './twoFactorText';

const CODE = /^[a-z0-9_]{1,64}$/;

/** Only an http(s) address is followed (the provider's sign-in page, or this server). */
function safeTarget(url: string): string | null {
  try {
    const target = new URL(url, window.location.origin);
    return target.protocol === 'https:' || target.protocol === 'http:' ? target.href : null;
  } catch {
    return null;
  }
}

/**
 * Single sign-on on the account page: the services linked (unlink), the configured ones not
 * linked yet (link: off to the provider and back to `?linked=`), and sign-in with the password
 * on or off. Hidden when the server has no single sign-on.
 */
export function LinkedProvidersCard() {
  const text = useTwoFactorText();
  const format = useFormat();
  const headingId = useId();
  const { search } = useLocation();
  const data = useResource(async (signal) => {
    const [providers, links] = await Promise.all([api.ssoProviders(signal), api.ssoLinks(signal)]);
    return { providers: providers.providers, ...links };
  }, []);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [linking, setLinking] = useState<string | null>(null);

  // Back from the provider: `?linked=<id>` or `?ssoError=<code>`, said once, then off the URL.
  const linkedParam = search.get('linked');
  const errorParam = search.get('ssoError');
  const [returned, setReturned] = useState<{ linked: string | null; error: string | null }>(() => ({
    linked: linkedParam,
    error: errorParam,
  }));
  /** A new action: what the return from the provider said is old news. */
  const startAction = () => {
    setReturned({ linked: null, error: null });
    setError(null);
    setMessage(null);
  };
  useEffect(() => {
    if (linkedParam !== null || errorParam !== null) navigate('/account', { replace: true });
  }, [linkedParam, errorParam]);

  const labelOf = (provider: string) =>
    data.data?.providers.find((item) => item.id === provider)?.label ?? provider;

  if (
    data.error instanceof ApiError &&
    (data.error.status === 404 || data.error.code === 'route_not_found')
  ) {
    return null; // a server without single sign-on
  }
  const state = data.data;
  if (state !== undefined && state.providers.length === 0 && state.links.length === 0) return null;

  const link = async (provider: string) => {
    setLinking(provider);
    startAction();
    try {
      const { url } = await api.linkSso(provider);
      const target = safeTarget(url);
      if (target === null) throw new Error(text.ssoFailed);
      window.location.assign(target);
    } catch (reason) {
      setError(reason);
      setLinking(null);
    }
  };

  const unlink = async (item: SsoLink) => {
    startAction();
    await api.unlinkSso(item.provider);
    setMessage(text.unlinked(item.label));
    setError(null);
    data.reload();
  };

  const setPasswordLogin = async (enabled: boolean) => {
    startAction();
    await api.setPasswordLogin(enabled);
    setMessage(enabled ? text.passwordTurnedOn : text.passwordTurnedOff);
    setError(null);
    data.reload();
  };

  const returnedError =
    returned.error !== null && CODE.test(returned.error)
      ? new ApiError(400, returned.error, returned.error)
      : null;
  const linkedIds = new Set(state?.links.map((item) => item.provider) ?? []);
  const unlinked = state?.providers.filter((provider) => !linkedIds.has(provider.id)) ?? [];

  return (
    <section className="card sso-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.linksTitle}</h2>
      <p className="muted">{text.linksLead}</p>
      {data.loading && <Loading what={text.loadingLinks} />}
      <ErrorNotice error={data.error} />
      {returned.linked !== null && returnedError === null && (
        <Notice tone="success">{text.linked(labelOf(returned.linked))}</Notice>
      )}
      {returnedError !== null &&
        (isCatalogued(returnedError.code) ? (
          <ErrorNotice error={returnedError} title={text.ssoFailed} />
        ) : (
          <ErrorNotice error={new Error(text.ssoFailed)} />
        ))}
      {message !== null && <Notice tone="success">{message}</Notice>}
      <ErrorNotice error={error} />
      {state !== undefined && (
        <>
          {state.links.length === 0 ? (
            <p>{text.noLinks}</p>
          ) : (
            <div className="table-wrap">
              <table className="table-cards">
                <thead>
                  <tr>
                    <th scope="col">{text.service}</th>
                    <th scope="col">{text.email}</th>
                    <th scope="col">{text.linkedAt}</th>
                    <th scope="col">{text.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.links.map((item) => (
                    <tr key={item.provider} data-sso-link={item.provider}>
                      <td data-label={text.service}>
                        <span className="strong" translate="no">
                          {item.label}
                        </span>
                      </td>
                      <td data-label={text.email}>{item.email ?? '—'}</td>
                      <td data-label={text.linkedAt}>{format.dateTime(item.linkedAt)}</td>
                      <td data-label={text.actions}>
                        <ConfirmButton
                          title={text.unlinkTitle(item.label)}
                          message={text.unlinkMessage}
                          confirmLabel={text.unlink}
                          danger
                          onConfirm={() => unlink(item)}
                        >
                          {text.unlink}
                          <span className="visually-hidden" translate="no">
                            {' '}
                            {item.label}
                          </span>
                        </ConfirmButton>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {unlinked.length > 0 && (
            <div className="actions">
              {unlinked.map((provider) => (
                <button
                  key={provider.id}
                  type="button"
                  className="button"
                  data-provider={provider.id}
                  disabled={linking !== null}
                  onClick={() => {
                    void link(provider.id);
                  }}
                >
                  {linking === provider.id ? text.linking : text.link}{' '}
                  <span translate="no">{provider.label}</span>
                </button>
              ))}
            </div>
          )}
          <h3>{text.passwordLoginTitle}</h3>
          <p data-testid="password-login-state">
            {state.passwordLoginEnabled ? text.passwordLoginOn : text.passwordLoginOff}
          </p>
          <div className="actions">
            {state.passwordLoginEnabled ? (
              <ConfirmButton
                title={text.turnOffPasswordTitle}
                message={text.turnOffPasswordMessage}
                confirmLabel={text.turnOffPassword}
                onConfirm={() => setPasswordLogin(false)}
              >
                {text.turnOffPassword}
              </ConfirmButton>
            ) : (
              <button
                type="button"
                className="button"
                onClick={() => {
                  setPasswordLogin(true).catch(setError);
                }}
              >
                {text.turnOnPassword}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
