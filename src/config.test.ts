import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from './config.js';
import { versionInfo } from './version.js';

type Env = Record<string, string | undefined>;

/** Runs `loadConfig` expecting it to stop, and returns the `ConfigError`. */
function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const LONG_SECRET = 'x'.repeat(32);

let secretsDir: string;

/** Writes a secret file (as Docker/Kubernetes would mount it) and returns its path. */
function secretFile(name: string, content: string): string {
  const file = path.join(secretsDir, name);
  writeFileSync(file, content);
  return file;
}

beforeAll(() => {
  secretsDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-config-'));
});

afterAll(() => {
  rmSync(secretsDir, { recursive: true, force: true });
});

describe('loadConfig defaults', () => {
  it('starts with no variables set, using the documented defaults', () => {
    const config = loadConfig({});
    const dataDir = path.resolve('./data');

    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.nodeEnv).toBe('production');
    expect(config.dataDir).toBe(dataDir);
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.database).toEqual({
      kind: 'sqlite',
      file: path.join(dataDir, 'vertex-ar.sqlite'),
    });
    expect(config.storage).toEqual({ driver: 'local', root: path.join(dataDir, 'storage') });
    expect(config.sessionSecret).toBeUndefined();
    expect(config.sessionTimeoutMinutes).toBe(30);
    expect(config.sessionMaxHours).toBe(12);
    expect(config.bcryptCost).toBe(12);
    expect(config.logLevel).toBe('info');
    expect(config.publicBaseUrl).toBe('http://localhost:8080');
    expect(config.trustProxy).toBe(false);
    expect(config.corsOrigins).toEqual([]);
    expect(config.admin).toEqual({ username: undefined, password: undefined });
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '  ', DATA_DIR: '' });
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('info');
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('puts the SQLite file and local storage inside DATA_DIR, resolved to an absolute path', () => {
    const config = loadConfig({ DATA_DIR: 'var/vertex' });
    const dataDir = path.resolve('var/vertex');
    expect(config.dataDir).toBe(dataDir);
    expect(config.database).toEqual({
      kind: 'sqlite',
      file: path.join(dataDir, 'vertex-ar.sqlite'),
    });
    expect(config.storage).toEqual({ driver: 'local', root: path.join(dataDir, 'storage') });
  });

  it('derives the default PUBLIC_BASE_URL from PORT', () => {
    expect(loadConfig({ PORT: '3000' }).publicBaseUrl).toBe('http://localhost:3000');
  });

  it('removes trailing slashes from PUBLIC_BASE_URL', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://ar.example.com/' }).publicBaseUrl).toBe(
      'https://ar.example.com',
    );
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://ar.example.com/vertex//' }).publicBaseUrl).toBe(
      'https://ar.example.com/vertex',
    );
  });

  it('reads explicit values', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      NODE_ENV: 'development',
      LOG_LEVEL: 'debug',
      SESSION_TIMEOUT_MINUTES: '45',
      BCRYPT_COST: '10',
      SESSION_SECRET: LONG_SECRET,
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'correct horse battery staple',
      TRUST_PROXY: 'true',
    });
    expect(config.port).toBe(9000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.nodeEnv).toBe('development');
    expect(config.logLevel).toBe('debug');
    expect(config.sessionTimeoutMinutes).toBe(45);
    expect(config.bcryptCost).toBe(10);
    expect(config.sessionSecret).toBe(LONG_SECRET);
    expect(config.admin).toEqual({ username: 'admin', password: 'correct horse battery staple' });
    expect(config.trustProxy).toBe(true);
  });
});

describe('loadConfig rejects invalid values, naming the variable', () => {
  it.each<[string, Env, RegExp]>([
    ['PORT=abc', { PORT: 'abc' }, /PORT must be an integer.*"abc"/],
    ['PORT=70000', { PORT: '70000' }, /PORT must be an integer from 0 to 65535.*"70000"/],
    ['PORT=-1', { PORT: '-1' }, /PORT must be an integer/],
    ['PORT=80.5', { PORT: '80.5' }, /PORT must be an integer/],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of .*info.*"loud"/],
    ['NODE_ENV=staging', { NODE_ENV: 'staging' }, /NODE_ENV must be one of/],
    ['STORAGE_DRIVER=ftp', { STORAGE_DRIVER: 'ftp' }, /STORAGE_DRIVER must be one of local, s3/],
    [
      'REQUIRE_2FA=everyone',
      { REQUIRE_2FA: 'everyone' },
      /REQUIRE_2FA must be one of admins, all, none/,
    ],
    ['STORAGE_DRIVER=s3 without S3_BUCKET', { STORAGE_DRIVER: 's3' }, /S3_BUCKET is required/],
    [
      'S3_ENDPOINT that is not a URL',
      { STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' },
      /S3_ENDPOINT must be a http: or https: URL/,
    ],
    [
      'S3_FORCE_PATH_STYLE=maybe',
      { STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'maybe' },
      /S3_FORCE_PATH_STYLE must be true or false/,
    ],
    [
      'SESSION_SECRET too short',
      { SESSION_SECRET: 'x'.repeat(31) },
      /SESSION_SECRET must be at least 32 characters/,
    ],
    [
      'ADMIN_USERNAME without ADMIN_PASSWORD',
      { ADMIN_USERNAME: 'admin' },
      /ADMIN_USERNAME and ADMIN_PASSWORD must be set together/,
    ],
    [
      'ADMIN_PASSWORD without ADMIN_USERNAME',
      { ADMIN_PASSWORD: 'secret' },
      /ADMIN_USERNAME and ADMIN_PASSWORD must be set together/,
    ],
    [
      'a CORS origin with a path',
      { CORS_ORIGINS: 'https://studio.example/app' },
      /CORS_ORIGINS entries must be origins.*"https:\/\/studio.example\/app"/,
    ],
    ['a CORS origin without scheme', { CORS_ORIGINS: 'studio.example' }, /CORS_ORIGINS/],
    [
      'DATABASE_URL=mysql://…',
      { DATABASE_URL: 'mysql://db.example/app' },
      /DATABASE_URL must be a postgres: or postgresql: URL/,
    ],
    [
      'DATABASE_SCHEMA with a quote',
      { DATABASE_URL: 'postgres://db.example/app', DATABASE_SCHEMA: 'vertex"; drop' },
      /DATABASE_SCHEMA must match/,
    ],
    [
      'DATABASE_SCHEMA with upper case',
      { DATABASE_URL: 'postgres://db.example/app', DATABASE_SCHEMA: 'Vertex' },
      /DATABASE_SCHEMA must match/,
    ],
    ['PUBLIC_BASE_URL=ftp://…', { PUBLIC_BASE_URL: 'ftp://ar.example' }, /PUBLIC_BASE_URL/],
    ['BCRYPT_COST=3', { BCRYPT_COST: '3' }, /BCRYPT_COST must be an integer from 4 to 16/],
    [
      'SESSION_TIMEOUT_MINUTES=0',
      { SESSION_TIMEOUT_MINUTES: '0' },
      /SESSION_TIMEOUT_MINUTES must be an integer/,
    ],
  ])('%s', (_label, env, message) => {
    const error = configError(env);
    expect(error.message).toMatch(message);
    expect(error.problems).toHaveLength(1);
  });

  it('reports several problems together, one line per problem', () => {
    const error = configError({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      STORAGE_DRIVER: 'ftp',
      SESSION_SECRET: 'short',
      ADMIN_USERNAME: 'admin',
    });
    expect(error.problems).toHaveLength(5);
    for (const name of ['PORT', 'LOG_LEVEL', 'STORAGE_DRIVER', 'SESSION_SECRET', 'ADMIN_']) {
      expect(error.problems.some((problem) => problem.includes(name))).toBe(true);
      expect(error.message).toContain(name);
    }
    expect(error.message.split('\n')).toHaveLength(1 + 5);
  });
});

describe('redactUrl and DATABASE_URL errors', () => {
  it.each([
    ['mysql://vertex:s3cr3t-Passw0rd@db.example/app', 's3cr3t-Passw0rd'],
    ['mysql://vertex:p@ss@db.example/app', 'p@ss'],
    ['mysql://:s3cr3t-Passw0rd@db.example/app', 's3cr3t-Passw0rd'],
    ['mysql://vertex@db.example/app?password=s3cr3t-Passw0rd', 's3cr3t-Passw0rd'],
    ['postgresql+asyncpg://vertex:s3cr3t-Passw0rd@db.example/app', 's3cr3t-Passw0rd'],
    ['postgres://vertex:s3cr3t-Passw0rd@db.example:notaport/app', 's3cr3t-Passw0rd'],
  ])('never echoes the password of %s', (url, password) => {
    const error = configError({ DATABASE_URL: url });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain(password);
    // Not even a piece of it.
    for (const piece of password.split('@')) {
      if (piece.length >= 2) expect(error.message).not.toContain(piece);
    }
    expect(redactUrl(url)).not.toContain(password);
  });

  it('keeps the rest of the URL readable', () => {
    expect(redactUrl('mysql://vertex:secret@db.example:3306/app')).toBe(
      'mysql://vertex:***@db.example:3306/app',
    );
    expect(redactUrl('postgres://db.example/app')).toBe('postgres://db.example/app');
    const error = configError({ DATABASE_URL: 'mysql://vertex:secret@db.example/app' });
    expect(error.message).toContain('mysql://vertex:***@db.example/app');
  });
});

describe('secrets from <NAME>_FILE', () => {
  it('reads SESSION_SECRET_FILE, stripping the trailing newline', () => {
    const file = secretFile('session-secret', `${LONG_SECRET}\n`);
    expect(loadConfig({ SESSION_SECRET_FILE: file }).sessionSecret).toBe(LONG_SECRET);
  });

  it('strips a Windows line ending too, but keeps inner whitespace', () => {
    const file = secretFile('admin-password-crlf', 'pass word\r\n');
    const config = loadConfig({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD_FILE: file });
    expect(config.admin.password).toBe('pass word');
  });

  it('reads ADMIN_PASSWORD_FILE', () => {
    const file = secretFile('admin-password', 'correct horse battery staple\n');
    const config = loadConfig({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD_FILE: file });
    expect(config.admin).toEqual({ username: 'admin', password: 'correct horse battery staple' });
  });

  it('reads DATABASE_URL_FILE', () => {
    const url = 'postgres://vertex:secret@db.example:5432/app';
    const file = secretFile('database-url', `${url}\n`);
    expect(loadConfig({ DATABASE_URL_FILE: file }).database).toEqual({
      kind: 'postgres',
      url,
      schema: 'public',
      poolMax: 10,
    });
  });

  it('reads S3_SECRET_ACCESS_KEY_FILE', () => {
    const file = secretFile('s3-secret', 'wJalrXUtnFEMI/K7MDENG\n');
    const config = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'vertex',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY_FILE: file,
    });
    expect(config.storage).toMatchObject({
      driver: 's3',
      bucket: 'vertex',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
    });
  });

  it.each(['SESSION_SECRET', 'ADMIN_PASSWORD', 'DATABASE_URL', 'S3_SECRET_ACCESS_KEY'])(
    'a missing %s_FILE stops start-up naming the variable',
    (name) => {
      const missing = path.join(secretsDir, 'does-not-exist');
      const env: Env = { [`${name}_FILE`]: missing };
      if (name === 'ADMIN_PASSWORD') env.ADMIN_USERNAME = 'admin';
      if (name === 'S3_SECRET_ACCESS_KEY')
        Object.assign(env, { STORAGE_DRIVER: 's3', S3_BUCKET: 'b' });
      const error = configError(env);
      const fileProblems = error.problems.filter((problem) => problem.includes('cannot read'));
      expect(fileProblems).toHaveLength(1);
      expect(fileProblems[0]).toMatch(new RegExp(`^${name}_FILE: cannot read `));
      expect(error.message).toContain(missing);
    },
  );

  it.each(['SESSION_SECRET', 'ADMIN_PASSWORD', 'DATABASE_URL', 'S3_SECRET_ACCESS_KEY'])(
    'setting both %s and its _FILE variable is an error, reported once',
    (name) => {
      const values: Record<string, string> = {
        SESSION_SECRET: LONG_SECRET,
        ADMIN_PASSWORD: 'secret',
        DATABASE_URL: 'postgres://db.example/app',
        S3_SECRET_ACCESS_KEY: 'secret',
      };
      const value = values[name] ?? '';
      const env: Env = { [name]: value, [`${name}_FILE`]: secretFile(`both-${name}`, value) };
      if (name === 'ADMIN_PASSWORD') env.ADMIN_USERNAME = 'admin';
      if (name === 'S3_SECRET_ACCESS_KEY')
        Object.assign(env, { STORAGE_DRIVER: 's3', S3_BUCKET: 'b' });
      const error = configError(env);
      expect(error.problems).toEqual([`${name} and ${name}_FILE are both set: use one`]);
    },
  );

  it('does not honour _FILE for non-secret variables such as PORT_FILE', () => {
    const file = secretFile('port', '9999\n');
    const config = loadConfig({ PORT_FILE: file, LOG_LEVEL_FILE: file, DATA_DIR_FILE: file });
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('info');
    expect(config.dataDir).toBe(path.resolve('./data'));
  });
});

describe('DATABASE_URL', () => {
  it('sqlite:/path selects SQLite at that file', () => {
    const file = path.join(secretsDir, 'custom.sqlite');
    expect(loadConfig({ DATABASE_URL: `sqlite:${file}` }).database).toEqual({
      kind: 'sqlite',
      file,
    });
  });

  it('sqlite: with a relative path is resolved to an absolute path', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:db/vertex.sqlite' }).database).toEqual({
      kind: 'sqlite',
      file: path.resolve('db/vertex.sqlite'),
    });
  });

  it.each(['postgres://vertex@db.example/app', 'postgresql://vertex@db.example:5433/app'])(
    '%s selects PostgreSQL with schema public by default',
    (url) => {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({
        kind: 'postgres',
        url,
        schema: 'public',
        poolMax: 10,
      });
    },
  );

  it('takes DATABASE_SCHEMA and DATABASE_POOL_MAX for PostgreSQL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://vertex@db.example/app',
      DATABASE_SCHEMA: 'vertex_ar',
      DATABASE_POOL_MAX: '25',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://vertex@db.example/app',
      schema: 'vertex_ar',
      poolMax: 25,
    });
  });
});

describe('CORS_ORIGINS', () => {
  it('parses a comma list, trimming spaces and trailing slashes and skipping empty entries', () => {
    const config = loadConfig({
      CORS_ORIGINS: ' https://studio.example/, http://localhost:5173 ,,https://a.example:8443//',
    });
    expect(config.corsOrigins).toEqual([
      'https://studio.example',
      'http://localhost:5173',
      'https://a.example:8443',
    ]);
  });

  it('is empty when unset', () => {
    expect(loadConfig({ CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
  });
});

describe('DEFAULT_PHONE_REGION', () => {
  it('defaults to RU and takes a region libphonenumber knows, in any case', () => {
    expect(loadConfig({}).phoneRegion).toBe('RU');
    expect(loadConfig({ DEFAULT_PHONE_REGION: 'kz' }).phoneRegion).toBe('KZ');
  });

  it.each(['XX', 'RUS', 'Russia', '7'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ DEFAULT_PHONE_REGION: value })).toThrow(/DEFAULT_PHONE_REGION/);
  });
});

describe('the public page: DEFAULT_LOCALE and STUDIO_*', () => {
  it('defaults to Russian and names Vertex AR, with no logo and no contact link', () => {
    expect(loadConfig({}).viewer).toEqual({
      defaultLocale: 'ru',
      studio: { name: 'Vertex AR' },
    });
  });

  it('reads the language and the studio', () => {
    const config = loadConfig({
      DEFAULT_LOCALE: 'en',
      STUDIO_NAME: ' Фотостудия «Вертекс» ',
      STUDIO_LOGO_URL: '/media/studio/logo.png?v=1',
      STUDIO_CONTACT_URL: 'tel:+79001234567',
    });
    expect(config.viewer).toEqual({
      defaultLocale: 'en',
      studio: {
        name: 'Фотостудия «Вертекс»',
        logoUrl: '/media/studio/logo.png?v=1',
        contactUrl: 'tel:+79001234567',
      },
    });
  });

  it.each([
    ['https://cdn.studio.example/logo.png', 'https://studio.example/contact'],
    ['/media/logo.png', 'mailto:hello@studio.example'],
  ])('accepts the logo %s and the contact %s', (logo, contact) => {
    const { studio } = loadConfig({ STUDIO_LOGO_URL: logo, STUDIO_CONTACT_URL: contact }).viewer;
    expect(studio.logoUrl).toBe(logo);
    expect(studio.contactUrl).toBe(contact);
  });

  it.each<[string, Env, RegExp]>([
    [
      'DEFAULT_LOCALE=de',
      { DEFAULT_LOCALE: 'de' },
      /DEFAULT_LOCALE must be one of ru, en, got "de"/,
    ],
    ['STUDIO_NAME too long', { STUDIO_NAME: 'x'.repeat(101) }, /STUDIO_NAME must be at most 100/],
    [
      'STUDIO_LOGO_URL=http:',
      { STUDIO_LOGO_URL: 'http://cdn.example/logo.png' },
      /STUDIO_LOGO_URL must be a same-origin path .* or an https: URL, got "http:\/\/cdn/,
    ],
    [
      'STUDIO_LOGO_URL=javascript:',
      { STUDIO_LOGO_URL: 'javascript:alert(1)' },
      /STUDIO_LOGO_URL must be/,
    ],
    ['STUDIO_LOGO_URL relative', { STUDIO_LOGO_URL: 'logo.png' }, /STUDIO_LOGO_URL must be/],
    [
      'STUDIO_LOGO_URL protocol-relative',
      { STUDIO_LOGO_URL: '//cdn.example/logo.png' },
      /STUDIO_LOGO_URL must be/,
    ],
    [
      'STUDIO_CONTACT_URL=javascript:',
      { STUDIO_CONTACT_URL: 'javascript:alert(1)' },
      /STUDIO_CONTACT_URL must be an https:, tel: or mailto: URL, got "javascript:alert\(1\)"/,
    ],
    [
      'STUDIO_CONTACT_URL=http:',
      { STUDIO_CONTACT_URL: 'http://studio.example' },
      /STUDIO_CONTACT_URL must be/,
    ],
    ['STUDIO_CONTACT_URL=tel:', { STUDIO_CONTACT_URL: 'tel:' }, /STUDIO_CONTACT_URL must be/],
  ])('rejects %s, naming the variable', (_label, env, message) => {
    const error = configError(env);
    expect(error.message).toMatch(message);
    expect(error.problems).toHaveLength(1);
  });

  it('never prints a password put into a logo URL', () => {
    const error = configError({ STUDIO_LOGO_URL: 'https://me:s3cret@cdn.example/logo.png' });
    expect(error.message).toContain('STUDIO_LOGO_URL');
    expect(error.message).not.toContain('s3cret');
  });
});

describe('login lockout and password hashing bounds', () => {
  it('defaults to 5 attempts, 15 minutes, 50 failures an hour, 2 concurrent hashes', () => {
    const config = loadConfig({});
    expect(config.lockout).toEqual({
      maxAttempts: 5,
      lockoutMinutes: 15,
      accountMaxFailuresPerHour: 50,
    });
    expect(config.passwordHashing).toEqual({ concurrency: 2, queueLimit: 16 });
  });

  it('reads AUTH_* and PASSWORD_HASH_* values', () => {
    const config = loadConfig({
      AUTH_MAX_ATTEMPTS: '3',
      AUTH_LOCKOUT_MINUTES: '60',
      AUTH_ACCOUNT_MAX_FAILURES_PER_HOUR: '200',
      PASSWORD_HASH_CONCURRENCY: '4',
      PASSWORD_HASH_QUEUE: '0',
    });
    expect(config.lockout).toEqual({
      maxAttempts: 3,
      lockoutMinutes: 60,
      accountMaxFailuresPerHour: 200,
    });
    expect(config.passwordHashing).toEqual({ concurrency: 4, queueLimit: 0 });
  });

  it.each([
    ['AUTH_MAX_ATTEMPTS', '0'],
    ['AUTH_LOCKOUT_MINUTES', 'soon'],
    ['AUTH_ACCOUNT_MAX_FAILURES_PER_HOUR', '-5'],
    ['PASSWORD_HASH_CONCURRENCY', '0'],
    ['PASSWORD_HASH_QUEUE', '1.5'],
  ])('rejects %s=%s, naming the variable', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.message).toMatch(new RegExp(`${name} must be an integer`));
    expect(error.problems).toHaveLength(1);
  });
});

describe('rate limits and REDIS_URL', () => {
  const MINUTE = 60_000;

  it('defaults to 5 logins, 10 uploads, 100 API and 600 public requests a minute, in memory', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({
      enabled: true,
      auth: { max: 5, windowMs: MINUTE },
      upload: { max: 10, windowMs: MINUTE },
      global: { max: 100, windowMs: MINUTE },
      public: { max: 600, windowMs: MINUTE },
    });
    expect(config.redis).toEqual({ url: undefined, keyPrefix: 'vertex-ar:' });
  });

  it('reads N/period budgets with second, minute or hour (and N/10s), and the switch', () => {
    const config = loadConfig({
      RATE_LIMIT_ENABLED: 'false',
      AUTH_RATE_LIMIT: '3/second',
      UPLOAD_RATE_LIMIT: '20/hour',
      GLOBAL_RATE_LIMIT: '30/10s',
      PUBLIC_RATE_LIMIT: '1000 / minutes',
    });
    expect(config.rateLimit).toEqual({
      enabled: false,
      auth: { max: 3, windowMs: 1000 },
      upload: { max: 20, windowMs: 3_600_000 },
      global: { max: 30, windowMs: 10_000 },
      public: { max: 1000, windowMs: MINUTE },
    });
  });

  it.each([
    ['AUTH_RATE_LIMIT', '5'],
    ['UPLOAD_RATE_LIMIT', '10/fortnight'],
    ['GLOBAL_RATE_LIMIT', '0/minute'],
    ['PUBLIC_RATE_LIMIT', '-1/minute'],
    ['AUTH_RATE_LIMIT', '5/ms'],
  ])('rejects %s=%s, naming the variable', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.problems).toEqual([
      expect.stringMatching(new RegExp(`^${name} must be N/period .*got "${value}"`)),
    ]);
  });

  it('takes a redis: URL and a key prefix, and REDIS_URL_FILE as a secret', () => {
    expect(
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2', REDIS_KEY_PREFIX: 'a:' }).redis,
    ).toEqual({ url: 'redis://127.0.0.1:6379/2', keyPrefix: 'a:' });
    const file = secretFile('redis-url', 'rediss://:s3cret@redis.internal:6380\n');
    expect(loadConfig({ REDIS_URL_FILE: file }).redis.url).toBe(
      'rediss://:s3cret@redis.internal:6380',
    );
  });

  it('rejects a REDIS_URL that is not redis: or rediss:, without printing its password', () => {
    const error = configError({ REDIS_URL: 'http://user:s3cret@redis.internal' });
    expect(error.message).toMatch(/REDIS_URL must be a redis: or rediss: URL/);
    expect(error.message).not.toContain('s3cret');
  });
});

describe('slow-client limits: REQUEST_TIMEOUT_SECONDS, BODY_MIN_BYTES_PER_SECOND, BODY_RATE_WINDOW_SECONDS', () => {
  it('defaults to 15 minutes per request and at least 1 KiB/s over 10 s', () => {
    expect(loadConfig({}).requestLimits).toEqual({
      requestTimeoutSeconds: 900,
      bodyMinBytesPerSecond: 1024,
      bodyRateWindowSeconds: 10,
    });
  });

  it('reads them, 0 turning the rate check off', () => {
    expect(
      loadConfig({
        REQUEST_TIMEOUT_SECONDS: '120',
        BODY_MIN_BYTES_PER_SECOND: '0',
        BODY_RATE_WINDOW_SECONDS: '30',
      }).requestLimits,
    ).toEqual({ requestTimeoutSeconds: 120, bodyMinBytesPerSecond: 0, bodyRateWindowSeconds: 30 });
  });

  it.each([
    ['REQUEST_TIMEOUT_SECONDS', '0'],
    ['BODY_MIN_BYTES_PER_SECOND', '-1'],
    ['BODY_RATE_WINDOW_SECONDS', '0'],
  ])('rejects %s=%s, naming the variable', (name, value) => {
    expect(configError({ [name]: value }).problems).toEqual([
      expect.stringMatching(new RegExp(`^${name} must be an integer`)),
    ]);
  });
});

describe('backup settings', () => {
  it('default to DATA_DIR/backups, age encryption and no passphrase', () => {
    const config = loadConfig({ DATA_DIR: '/srv/vertex' });
    expect(config.backup).toEqual({
      dir: '/srv/vertex/backups',
      encryption: 'age',
      passphrase: undefined,
      recipients: [],
      s3: undefined,
      keep: {
        last: undefined,
        days: undefined,
        daily: undefined,
        weekly: undefined,
        monthly: undefined,
      },
      schedule: undefined,
    });
  });

  it('read BACKUP_DIR, BACKUP_ENCRYPTION=none and BACKUP_PASSPHRASE_FILE', () => {
    const file = secretFile('backup-passphrase', 'correct horse battery\n');
    const config = loadConfig({
      BACKUP_DIR: '/mnt/backups',
      BACKUP_ENCRYPTION: 'none',
      BACKUP_PASSPHRASE_FILE: file,
    });
    expect(config.backup).toEqual({
      dir: '/mnt/backups',
      encryption: 'none',
      passphrase: 'correct horse battery',
      recipients: [],
      s3: undefined,
      keep: {
        last: undefined,
        days: undefined,
        daily: undefined,
        weekly: undefined,
        monthly: undefined,
      },
      schedule: undefined,
    });
  });

  it('read BACKUP_RECIPIENTS and refuse what is not an age public key', () => {
    const key = `age1${'q'.repeat(58)}`;
    expect(loadConfig({ BACKUP_RECIPIENTS: `${key}, ${key}` }).backup.recipients).toEqual([
      key,
      key,
    ]);
    expect(configError({ BACKUP_RECIPIENTS: 'ssh-ed25519 AAAA' }).problems).toEqual([
      expect.stringMatching(/^BACKUP_RECIPIENTS must be age X25519 public keys/),
      expect.stringMatching(/^BACKUP_RECIPIENTS must be age X25519 public keys/),
    ]);
  });

  it('read BACKUP_KEEP_*, BACKUP_SCHEDULE and BACKUP_S3_BUCKET/ENDPOINT/PREFIX', () => {
    const config = loadConfig({
      BACKUP_KEEP_LAST: '7',
      BACKUP_KEEP_DAYS: '30',
      BACKUP_KEEP_DAILY: '14',
      BACKUP_KEEP_WEEKLY: '8',
      BACKUP_KEEP_MONTHLY: '12',
      BACKUP_SCHEDULE: ' 0 3 * * * ',
      BACKUP_S3_BUCKET: 'vertex-backups',
      BACKUP_S3_ENDPOINT: 'http://127.0.0.1:9000',
      BACKUP_S3_PREFIX: '/studio/nightly/',
    });
    expect(config.backup.keep).toEqual({ last: 7, days: 30, daily: 14, weekly: 8, monthly: 12 });
    expect(config.backup.schedule).toBe('0 3 * * *');
    expect(config.backup.s3).toMatchObject({
      bucket: 'vertex-backups',
      endpoint: 'http://127.0.0.1:9000',
      prefix: 'studio/nightly',
      forcePathStyle: true,
    });
  });

  it('refuse backing up into the media bucket', () => {
    const media = {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'media',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
    };
    expect(
      configError({ ...media, BACKUP_S3_BUCKET: 'media', BACKUP_S3_ENDPOINT: media.S3_ENDPOINT })
        .problems,
    ).toEqual(['BACKUP_S3_BUCKET must be another bucket than S3_BUCKET (the media bucket)']);
    const elsewhere = { BACKUP_S3_BUCKET: 'media', BACKUP_S3_ENDPOINT: 'https://s3.example.net' };
    expect(loadConfig({ ...media, ...elsewhere }).backup.s3?.bucket).toBe('media');
  });

  it.each(['0', 'abc'])('refuse BACKUP_KEEP_LAST=%s, naming the variable', (value) => {
    expect(configError({ BACKUP_KEEP_LAST: value }).problems).toEqual([
      `BACKUP_KEEP_LAST must be an integer from 1 to 100000, got "${value}"`,
    ]);
  });

  it('refuse an unknown BACKUP_ENCRYPTION', () => {
    expect(configError({ BACKUP_ENCRYPTION: 'zip' }).problems).toEqual([
      expect.stringMatching(/^BACKUP_ENCRYPTION must be one of age, none/),
    ]);
  });
});

describe('logs: LOG_FILE, LOG_ERROR_FILE, LOG_MAX_SIZE, LOG_RETENTION, LOG_MASK_IP', () => {
  it('default to stdout only, 10m files, 7 rotated files kept and masked client addresses', () => {
    expect(loadConfig({}).logging).toEqual({
      file: undefined,
      errorFile: undefined,
      maxSizeBytes: 10 * 1024 * 1024,
      retention: 7,
      maskIp: true,
    });
  });

  it('read the files (resolved to absolute paths), the size in k, m or g and the switch', () => {
    const config = loadConfig({
      LOG_FILE: 'logs/vertex-ar.log',
      LOG_ERROR_FILE: '/var/log/vertex-ar/errors.log',
      LOG_MAX_SIZE: '512K',
      LOG_RETENTION: '30',
      LOG_MASK_IP: 'false',
    });
    expect(config.logging).toEqual({
      file: path.resolve('logs/vertex-ar.log'),
      errorFile: '/var/log/vertex-ar/errors.log',
      maxSizeBytes: 512 * 1024,
      retention: 30,
      maskIp: false,
    });
    expect(loadConfig({ LOG_MAX_SIZE: '1k' }).logging.maxSizeBytes).toBe(1024);
    expect(loadConfig({ LOG_MAX_SIZE: '2g' }).logging.maxSizeBytes).toBe(2 * 1024 ** 3);
  });

  it.each(['10', '10mb', '0k', '1.5m', '101g', 'big'])('refuse LOG_MAX_SIZE=%s', (value) => {
    expect(configError({ LOG_MAX_SIZE: value }).problems).toEqual([
      `LOG_MAX_SIZE must be a whole number with k, m or g from 1k to 100g (e.g. 10m), got "${value}"`,
    ]);
  });

  it.each([
    ['LOG_RETENTION=0', { LOG_RETENTION: '0' }, /^LOG_RETENTION must be an integer from 1 to 1000/],
    ['LOG_MASK_IP=maybe', { LOG_MASK_IP: 'maybe' }, /^LOG_MASK_IP must be true or false/],
    ['LOG_FILE with a *', { LOG_FILE: '/var/log/*.log' }, /^LOG_FILE must be a file path/],
    ['LOG_FILE naming a folder', { LOG_FILE: '/var/log/' }, /^LOG_FILE must be a file path/],
    ['LOG_ERROR_FILE with a :', { LOG_ERROR_FILE: 'a:b.log' }, /^LOG_ERROR_FILE must be a file/],
    [
      'LOG_ERROR_FILE equal to LOG_FILE',
      { LOG_FILE: '/var/log/app.log', LOG_ERROR_FILE: '/var/log/../log/app.log' },
      /^LOG_ERROR_FILE must be another file than LOG_FILE$/,
    ],
  ])('refuse %s, naming the variable', (_label, env, message) => {
    const { problems } = configError(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('Sentry settings', () => {
  const DSN = 'https://0123abcd@o1.ingest.sentry.io/42';

  it('leaves Sentry off (no settings at all) while SENTRY_DSN is unset', () => {
    expect(loadConfig({}).sentry).toBeUndefined();
    expect(loadConfig({ SENTRY_SAMPLE_RATE: '0.5' }).sentry).toBeUndefined();
  });

  it('defaults the environment to NODE_ENV, the release to vertex-ar@<version>', () => {
    expect(loadConfig({ SENTRY_DSN: DSN, NODE_ENV: 'development' }).sentry).toEqual({
      dsn: DSN,
      environment: 'development',
      release: `vertex-ar@${versionInfo.version}`,
      sampleRate: 1,
      tracesSampleRate: 0,
    });
  });

  it('takes every setting, and the DSN from SENTRY_DSN_FILE as a secret', () => {
    const env = {
      SENTRY_DSN_FILE: secretFile('sentry-dsn', `${DSN}\n`),
      SENTRY_ENVIRONMENT: 'staging',
      SENTRY_RELEASE: 'vertex-ar@1.2.3+abc',
      SENTRY_SAMPLE_RATE: '0.25',
      SENTRY_TRACES_SAMPLE_RATE: '.05',
    };
    const config = loadConfig(env);
    expect(config.sentry).toEqual({
      dsn: DSN,
      environment: 'staging',
      release: 'vertex-ar@1.2.3+abc',
      sampleRate: 0.25,
      tracesSampleRate: 0.05,
    });
    expect(config.settings).not.toHaveProperty('SENTRY_DSN');
    expect(loadConfig({ SENTRY_DSN: DSN }).settings).not.toHaveProperty('SENTRY_DSN');
  });

  it.each([
    ['a DSN without a key', { SENTRY_DSN: 'https://sentry.example/42' }, /^SENTRY_DSN must be/],
    ['a DSN without a project', { SENTRY_DSN: 'https://k@sentry.example/' }, /^SENTRY_DSN must/],
    ['a DSN that is no URL', { SENTRY_DSN: 'secret-ish' }, /^SENTRY_DSN must be a DSN like/],
    ['SENTRY_SAMPLE_RATE=1.5', { SENTRY_SAMPLE_RATE: '1.5' }, /^SENTRY_SAMPLE_RATE must be a nu/],
    ['SENTRY_TRACES_SAMPLE_RATE=-1', { SENTRY_TRACES_SAMPLE_RATE: '-1' }, /from 0 to 1, got "-1"/],
    ['SENTRY_SAMPLE_RATE=half', { SENTRY_SAMPLE_RATE: 'half' }, /^SENTRY_SAMPLE_RATE must be/],
    ['SENTRY_ENVIRONMENT with /', { SENTRY_ENVIRONMENT: 'eu/prod' }, /^SENTRY_ENVIRONMENT must/],
    ['SENTRY_RELEASE with a space', { SENTRY_RELEASE: 'v 1' }, /^SENTRY_RELEASE must be/],
  ])('refuse %s, naming the variable', (_label, env, message) => {
    const { problems } = configError(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('never repeats the DSN (it holds the project key) in a problem', () => {
    const { problems } = configError({ SENTRY_DSN: 'https://verysecretkey@/' });
    expect(problems.join('\n')).not.toContain('verysecretkey');
  });
});
