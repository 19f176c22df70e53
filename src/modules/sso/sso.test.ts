import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { createSsoCookieSealer, type SsoFlowState } from './sso-cookie.js';
import { roleFromClaim, usernameBase } from './sso.service.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the configuration');
};

describe('single sign-on configuration', () => {
  it('reads providers from OIDC_PROVIDERS, OIDC_<NAME>_* and GITHUB_*', () => {
    const config = loadConfig({
      OIDC_PROVIDERS: JSON.stringify([
        {
          name: 'Keycloak',
          issuer: 'https://id.example/realms/s',
          clientId: 'a',
          clientSecret: 'b',
        },
      ]),
      OIDC_GOOGLE_ISSUER: 'https://accounts.google.com',
      OIDC_GOOGLE_CLIENT_ID: 'g-id',
      OIDC_GOOGLE_CLIENT_SECRET: 'g-secret',
      OIDC_GOOGLE_LABEL: 'Google',
      GITHUB_CLIENT_ID: 'gh-id',
      GITHUB_CLIENT_SECRET: 'gh-secret',
      OIDC_AUTO_CREATE: 'true',
      OIDC_ROLE_CLAIM: 'groups',
    });
    expect(config.sso).toEqual({
      providers: [
        {
          kind: 'oidc',
          id: 'keycloak',
          label: 'Keycloak',
          issuer: 'https://id.example/realms/s',
          clientId: 'a',
          clientSecret: 'b',
        },
        {
          kind: 'oidc',
          id: 'google',
          label: 'Google',
          issuer: 'https://accounts.google.com',
          clientId: 'g-id',
          clientSecret: 'g-secret',
        },
        {
          kind: 'github',
          id: 'github',
          label: 'GitHub',
          clientId: 'gh-id',
          clientSecret: 'gh-secret',
          baseUrl: 'https://github.com',
          apiUrl: 'https://api.github.com',
        },
      ],
      autoCreate: true,
      roleClaim: 'groups',
    });
    // Secrets stay out of the settings a backup keeps.
    expect(Object.keys(config.settings)).not.toContain('OIDC_PROVIDERS');
    expect(Object.keys(config.settings)).not.toContain('OIDC_GOOGLE_CLIENT_SECRET');
    expect(Object.keys(config.settings)).not.toContain('GITHUB_CLIENT_SECRET');
    expect(loadConfig({}).sso).toEqual({ providers: [], autoCreate: false, roleClaim: undefined });
  });

  it('stops start-up naming the variable that is wrong', () => {
    expect(problemsOf({ OIDC_PROVIDERS: '{not json' }).join('\n')).toMatch(/^OIDC_PROVIDERS must/);
    expect(problemsOf({ OIDC_PROVIDERS: '[{"name":"x"}]' }).join('\n')).toMatch(
      /OIDC_PROVIDERS\[0\] needs/,
    );
    expect(
      problemsOf({
        OIDC_CORP_ISSUER: 'http://id.example',
        OIDC_CORP_CLIENT_ID: 'a',
        OIDC_CORP_CLIENT_SECRET: 'b',
      }).join('\n'),
    ).toMatch(/OIDC_CORP_ISSUER must be an https: URL/);
    expect(problemsOf({ OIDC_CORP_ISSUER: 'https://id.example' }).join('\n')).toMatch(
      /OIDC_CORP_CLIENT_ID and OIDC_CORP_CLIENT_SECRET are required/,
    );
    expect(problemsOf({ GITHUB_CLIENT_ID: 'a' }).join('\n')).toMatch(
      /GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET/,
    );
    expect(problemsOf({ OIDC_AUTO_CREATE: 'maybe' }).join('\n')).toMatch(/^OIDC_AUTO_CREATE/);
    expect(problemsOf({ OIDC_ROLE_CLAIM: 'has spaces' }).join('\n')).toMatch(/^OIDC_ROLE_CLAIM/);
    const twice = JSON.stringify([
      { name: 'a', issuer: 'https://a.example', clientId: 'a', clientSecret: 'b' },
      { name: 'a', issuer: 'https://b.example', clientId: 'a', clientSecret: 'b' },
    ]);
    expect(problemsOf({ OIDC_PROVIDERS: twice }).join('\n')).toMatch(/used twice/);
    // A secret is never echoed.
    expect(problemsOf({ OIDC_PROVIDERS: '[{"clientSecret":"s3cr3t"}]' }).join('\n')).not.toContain(
      's3cr3t',
    );
  });
});

describe('single sign-on helpers', () => {
  it('maps the role claim: admin (a string or in a list) is admin, anything else operator', () => {
    expect(roleFromClaim('admin')).toBe('admin');
    expect(roleFromClaim(['staff', 'admin'])).toBe('admin');
    expect(roleFromClaim(['administrators'])).toBe('operator');
    expect(roleFromClaim(undefined)).toBe('operator');
  });

  it('derives a valid username from an e-mail or a login', () => {
    expect(usernameBase('Anna.Petrova@mail.example')).toBe('anna.petrova');
    expect(usernameBase('Octo Cat!')).toBe('octo-cat');
    expect(usernameBase('ab@x.example')).toBe('user-ab');
    expect(usernameBase('__@x.example')).toBe('user');
    expect(usernameBase(null)).toBe('user');
    expect(usernameBase('Иван@mail.example')).toBe('user');
  });

  it('seals the flow cookie: unreadable, tamper-evident, and short-lived', () => {
    const sealer = createSsoCookieSealer('s'.repeat(32));
    const flow: SsoFlowState = {
      provider: 'idp',
      state: 'st',
      nonce: 'no',
      codeVerifier: 'verifier-secret',
      mode: 'login',
      userId: null,
      sessionId: null,
      expiresAt: Date.parse('2030-01-01T00:10:00Z'),
    };
    const sealed = sealer.seal(flow);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('verifier-secret');
    expect(sealer.open(sealed, new Date('2030-01-01T00:00:00Z'))).toEqual(flow);
    expect(sealer.open(sealed, new Date('2030-01-01T00:10:00Z'))).toBeNull();
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(sealer.open(flipped.toString('base64url'), new Date('2030-01-01T00:00:00Z'))).toBeNull();
    expect(createSsoCookieSealer('t'.repeat(32)).open(sealed, new Date('2030-01-01'))).toBeNull();
    expect(sealer.open(undefined, new Date())).toBeNull();
  });
});
