import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, requireConnection, settingsSchema } from '../src/config.js';
import { SettingsError } from '../src/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'inplanning-config-test-'));
let files = 0;

function configFile(content: unknown): string {
  files += 1;
  const file = path.join(dir, `config-${files}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Runs `fn` and returns the SettingsError it throws (fails the test when it throws none). */
function settingsErrorOf(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return error as SettingsError;
  }
  throw new Error('expected a SettingsError, but nothing was thrown');
}

const connection = {
  BaseUrl: 'https://tenant.test.rooster.nl/InPlanningService/rest',
  ClientId: 'helloid',
  ClientSecret: 'context-secret',
};

describe('defaults', () => {
  it('fills every optional setting', () => {
    const settings = loadSettings({ env: {} });
    expect(settings).toMatchObject({
      AuthMethod: 'body',
      TimeZone: 'Europe/Amsterdam',
      HistoricalDays: 1,
      FutureDays: 14,
      AccessLeadMinutes: 60,
      AccessLagMinutes: 30,
      PersonSource: 'users',
      RosterMode: 'group',
      IncludePersonsWithoutShifts: false,
      RoleEndDateFromContract: false,
      Concurrency: 8,
      RequestTimeoutSeconds: 10,
      MaxRetries: 4,
      DeadlineSeconds: 25,
    });
    expect(settings.BaseUrl).toBeUndefined();
    expect(settings.ClientSecret).toBeUndefined();
    expect(settings.StateDir.startsWith(os.tmpdir())).toBe(true);
  });

  it('match what configuration.example.json documents', () => {
    const example = JSON.parse(readFileSync('configuration.example.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const defaults = loadSettings({ env: {} }) as Record<string, unknown>;
    const documented = Object.keys(settingsSchema.shape).filter(
      (key) => !['BaseUrl', 'ClientId', 'ClientSecret', 'StateDir'].includes(key),
    );
    for (const key of documented) {
      expect(example, `configuration.example.json lacks ${key}`).toHaveProperty(key);
      if (defaults[key] !== undefined) expect([key, example[key]]).toEqual([key, defaults[key]]);
    }
    expect(() => loadSettings({ configFile: 'configuration.example.json', env: {} })).not.toThrow();
  });

  it('treats an empty value as not set', () => {
    const settings = loadSettings({ fromContext: { Concurrency: '', TimeZone: '' }, env: {} });
    expect(settings.Concurrency).toBe(8);
    expect(settings.TimeZone).toBe('Europe/Amsterdam');
  });
});

describe('precedence', () => {
  it('takes Configuration, then the --config file, then INPLANNING_* variables', () => {
    const fromContext = { ...connection, Concurrency: 2, MaxRetries: 1, FutureDays: 3 };
    const file = configFile({ Concurrency: 3, MaxRetries: 2 });
    const settings = loadSettings({
      fromContext,
      configFile: file,
      env: { INPLANNING_CONCURRENCY: '4', PATH: '/usr/bin' },
    });
    expect(settings.Concurrency).toBe(4);
    expect(settings.MaxRetries).toBe(2);
    expect(settings.FutureDays).toBe(3);
    expect(settings.ClientSecret).toBe('context-secret');
  });

  it('lets the environment override a secret from the file', () => {
    const file = configFile({ ...connection, ClientSecret: 'file-secret' });
    const fromFile = loadSettings({ configFile: file, env: {} });
    const fromEnv = loadSettings({
      configFile: file,
      env: { INPLANNING_CLIENT_SECRET: 'env-secret' },
    });
    expect(fromFile.ClientSecret).toBe('file-secret');
    expect(fromEnv.ClientSecret).toBe('env-secret');
  });

  it('reads the base URL from INPLANNING_BASE_URL and ignores unrelated variables', () => {
    const settings = loadSettings({
      env: { INPLANNING_BASE_URL: 'https://x.rooster.nl/rest', INPLANNING_LOG_LEVEL: 'debug' },
    });
    expect(settings.BaseUrl).toBe('https://x.rooster.nl/rest');
    expect(settings).not.toHaveProperty('LogLevel');
  });
});

describe('key matching', () => {
  it('matches keys case-insensitively in every source', () => {
    const settings = loadSettings({
      fromContext: { baseurl: connection.BaseUrl, clientId: 'lower-id' },
      configFile: configFile({ CLIENTSECRET: 'upper-secret', authmethod: 'basic' }),
      env: { INPLANNING_MAX_RETRIES: '0', inplanning_concurrency: '9' },
    });
    expect(settings.BaseUrl).toBe(connection.BaseUrl);
    expect(settings.ClientId).toBe('lower-id');
    expect(settings.ClientSecret).toBe('upper-secret');
    expect(settings.AuthMethod).toBe('basic');
    expect(settings.MaxRetries).toBe(0);
    // Only the INPLANNING_ prefix in upper case marks a variable as a setting.
    expect(settings.Concurrency).toBe(8);
  });

  it('accepts Username and Password as the names of the Basic-auth credentials', () => {
    const settings = loadSettings({
      fromContext: { username: 'basic-user', PASSWORD: 'basic-password' },
      env: {},
    });
    expect(settings.ClientId).toBe('basic-user');
    expect(settings.ClientSecret).toBe('basic-password');
    const fromEnv = loadSettings({ env: { INPLANNING_PASSWORD: 'env-password' } });
    expect(fromEnv.ClientSecret).toBe('env-password');
  });

  it('prefers the canonical key when a source holds both it and its alias', () => {
    const both = { Username: 'alias-user', ClientId: 'canonical-id' };
    const reversed = { ClientId: 'canonical-id', Username: 'alias-user' };
    expect(loadSettings({ fromContext: both, env: {} }).ClientId).toBe('canonical-id');
    expect(loadSettings({ fromContext: reversed, env: {} }).ClientId).toBe('canonical-id');
  });

  it('drops unknown keys', () => {
    const settings = loadSettings({ fromContext: { Colour: 'blue' }, env: {} });
    expect(settings).not.toHaveProperty('Colour');
  });
});

describe('BaseUrl', () => {
  it.each([
    'http://127.0.0.1:1234',
    'http://127.0.0.2/rest',
    'http://localhost',
    'http://LOCALHOST:8080/api',
    'http://[::1]',
    'http://[::1]:9000/rest',
    'https://example.com/InPlanningService/rest',
  ])('accepts %s', (url) => {
    expect(loadSettings({ fromContext: { BaseUrl: url }, env: {} }).BaseUrl).toBeDefined();
  });

  it.each([
    'http://example.com',
    'http://example.com/InPlanningService/rest',
    'http://localhost.example.com',
    'http://127.0.0.1.example.com',
    'http://10.0.0.1',
    'ftp://127.0.0.1',
    'not a url',
  ])('refuses %s naming the key', (url) => {
    const error = settingsErrorOf(() => loadSettings({ fromContext: { BaseUrl: url }, env: {} }));
    expect(error.key).toBe('BaseUrl');
    expect(error.message).toContain('BaseUrl');
    expect(error.code).toBe('SETTINGS');
  });

  it('says that https is required for a public host', () => {
    const error = settingsErrorOf(() =>
      loadSettings({ env: { INPLANNING_BASE_URL: 'http://example.com/rest' } }),
    );
    expect(error.message).toMatch(/https/);
  });

  it('drops trailing slashes', () => {
    const settings = loadSettings({ fromContext: { BaseUrl: 'https://x.nl/rest//' }, env: {} });
    expect(settings.BaseUrl).toBe('https://x.nl/rest');
  });
});

describe('numbers and choices', () => {
  it('refuses a non-numeric Concurrency naming the key and the value', () => {
    const error = settingsErrorOf(() => loadSettings({ env: { INPLANNING_CONCURRENCY: 'many' } }));
    expect(error.key).toBe('Concurrency');
    expect(error.message).toContain('Concurrency');
    expect(error.message).toContain('"many"');
  });

  it.each([
    ['Concurrency', '0'],
    ['Concurrency', '2.5'],
    ['MaxRetries', '-1'],
    ['RequestTimeoutSeconds', 'ten'],
    ['AuthMethod', 'oauth'],
    ['RosterMode', 'everyone'],
    ['TimeZone', 'Mars/Olympus'],
    ['IncludePersonsWithoutShifts', 'maybe'],
  ])('refuses %s = %s', (key, value) => {
    const error = settingsErrorOf(() => loadSettings({ fromContext: { [key]: value }, env: {} }));
    expect(error.key).toBe(key);
    expect(error.message).toContain(key);
  });

  it('reads numbers and booleans given as text', () => {
    const settings = loadSettings({
      fromContext: { Concurrency: '16', IncludePersonsWithoutShifts: 'True' },
      env: { INPLANNING_ROLE_END_DATE_FROM_CONTRACT: 'yes' },
    });
    expect(settings.Concurrency).toBe(16);
    expect(settings.IncludePersonsWithoutShifts).toBe(true);
    expect(settings.RoleEndDateFromContract).toBe(true);
  });

  it('never repeats the client secret in an error', () => {
    const error = settingsErrorOf(() =>
      loadSettings({ fromContext: { ClientSecret: 987654321 }, env: {} }),
    );
    expect(error.key).toBe('ClientSecret');
    expect(error.explanation).not.toContain('987654321');
  });
});

describe('the --config file', () => {
  it('refuses a file that cannot be read', () => {
    const error = settingsErrorOf(() =>
      loadSettings({ configFile: path.join(dir, 'missing.json'), env: {} }),
    );
    expect(error.key).toBe('--config');
    expect(error.message).toContain('missing.json');
  });

  it('refuses a file that is not JSON, without quoting its content', () => {
    const file = configFile('{ "ClientSecret": do-not-echo-me }');
    const error = settingsErrorOf(() => loadSettings({ configFile: file, env: {} }));
    expect(error.key).toBe('--config');
    expect(error.message).toContain('not valid JSON');
    expect(JSON.stringify({ m: error.message, c: String(error.cause) })).not.toContain(
      'do-not-ech',
    );
  });

  it('refuses JSON that is not one object', () => {
    const error = settingsErrorOf(() => loadSettings({ configFile: configFile('[1]'), env: {} }));
    expect(error.message).toContain('one JSON object');
  });

  it('accepts a byte order mark', () => {
    const file = configFile(`\uFEFF${JSON.stringify({ Concurrency: 5 })}`);
    expect(loadSettings({ configFile: file, env: {} }).Concurrency).toBe(5);
  });
});

describe('requireConnection', () => {
  it.each(['BaseUrl', 'ClientId', 'ClientSecret'])('requires %s', (key) => {
    const settings = loadSettings({ fromContext: { ...connection, [key]: undefined }, env: {} });
    const error = settingsErrorOf(() => requireConnection(settings));
    expect(error.key).toBe(key);
    expect(error.message).toContain(key);
  });

  it('names the environment variable that would set a missing key', () => {
    const settings = loadSettings({ fromContext: { ...connection, BaseUrl: undefined }, env: {} });
    const error = settingsErrorOf(() => requireConnection(settings));
    expect(error.explanation).toContain('INPLANNING_BASE_URL');
  });

  it('passes complete settings through', () => {
    const settings = loadSettings({ fromContext: connection, env: {} });
    expect(requireConnection(settings).ClientId).toBe('helloid');
  });
});
