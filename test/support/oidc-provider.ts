import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** What the provider says about the person who signs in next. */
export interface TestIdentity {
  sub: string;
  email?: string;
  email_verified?: boolean;
  roles?: string[];
  /** How they signed in at the provider (RFC 8176), e.g. ['pwd', 'otp']. */
  amr?: string[];
}

/**
 * A real OpenID Connect provider (oidc-provider) on a free loopback port, with one client. Its
 * login and consent prompts are answered at once for `signInAs`'s identity, so a browser that
 * follows redirects (`browse`) ends at the client's callback with a code.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The identity the next sign-in (in a browser without a provider session) gets. */
  signInAs(identity: TestIdentity): void;
  close(): Promise<void>;
}

export async function startOidcProvider(redirectUris: string[]): Promise<TestOidcProvider> {
  const clientId = 'vertex-test';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const accounts = new Map<string, TestIdentity>();
  let next: TestIdentity = { sub: 'nobody' };
  const server: Server = createServer((req, res) => {
    const idp = provider;
    if (req.url?.startsWith('/interaction/') === true) {
      void (async () => {
        try {
          const details = await idp.interactionDetails(req, res);
          if (details.prompt.name === 'login') {
            accounts.set(next.sub, next);
            await idp.interactionFinished(req, res, {
              login: { accountId: next.sub, amr: next.amr ?? ['pwd'] },
            });
            return;
          }
          const accountId = details.session?.accountId ?? next.sub;
          const grant = new idp.Grant({ accountId, clientId });
          grant.addOIDCScope(
            typeof details.params.scope === 'string' ? details.params.scope : 'openid',
          );
          const missing = details.prompt.details.missingOIDCClaims;
          if (Array.isArray(missing)) grant.addOIDCClaims(missing.map(String));
          await idp.interactionFinished(
            req,
            res,
            { consent: { grantId: await grant.save() } },
            { mergeWithLastSubmission: true },
          );
        } catch (error) {
          res.statusCode = 500;
          res.end(String(error));
        }
      })();
      return;
    }
    idp.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: {
      // amr: how the person signed in (the login result's), in the ID token.
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['roles'],
    },
    findAccount: (_ctx: unknown, id: string) => {
      const identity = accounts.get(id);
      if (identity === undefined) return undefined;
      const { amr: _amr, ...claims } = identity;
      return { accountId: id, claims: () => Promise.resolve(claims) };
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-cookie-key-for-oidc-provider'] },
    pkce: { required: () => true },
    // Set, so the provider does not print a notice for each default.
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(identity) {
      next = identity;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
      }),
  };
}

/**
 * A browser without JavaScript: follows redirects from `url`, keeping cookies per host, until
 * one leads to `stopAt` (the app's origin); answers that URL (the callback with its query).
 */
export async function browse(url: URL, stopAt: string): Promise<URL> {
  const jar = new Map<string, string>();
  let current = url;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(current, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (location === null) {
      throw new Error(
        `the provider answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
    }
    current = new URL(location, current);
    if (current.origin === stopAt) return current;
  }
  throw new Error('too many redirects');
}
