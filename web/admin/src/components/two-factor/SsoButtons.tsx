import { useEffect, useState } from 'react';
import { api, type SsoProvider } from '../../api';
import { useTwoFactorText } from './twoFactorText';

/**
 * The single sign-on providers the server has configured, as links to their start (a redirect
 * to the provider and back). Nothing is shown when none is configured or the list cannot be had.
 */
export function SsoButtons() {
  const text = useTwoFactorText();
  const [providers, setProviders] = useState<SsoProvider[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    api.ssoProviders(controller.signal).then(
      (answer) => {
        setProviders(answer.providers);
      },
      () => {
        // No single sign-on here (or an older server): the password form alone.
      },
    );
    return () => {
      controller.abort();
    };
  }, []);

  if (providers.length === 0) return null;
  return (
    <nav className="sso" aria-label={text.ssoProviders}>
      <p className="sso-or" aria-hidden="true">
        <span>{text.or}</span>
      </p>
      <ul className="sso-list">
        {providers.map((provider) => (
          <li key={provider.id}>
            <a
              className="button sso-button"
              href={api.ssoStartUrl(provider.id)}
              data-provider={provider.id}
            >
              {text.signInWith} <span translate="no">{provider.label}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
