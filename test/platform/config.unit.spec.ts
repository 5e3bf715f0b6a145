import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSignerKey } from '#event-store';
import { ConfigError, derivedKey, loadConfig, loadReadOnlyConfig, parseByteSize } from '#platform';

describe('configuration', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('has the defaults of API.md', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      dataDir,
      bodyLimit: 65536,
      maxShiftHours: 16,
      apiProcesses: 1,
      kafkaTopicPrefix: 'vc.',
      kafkaPartitions: 6,
      logLevel: 'info',
      // json when not on a terminal (as under Jest), pretty on one
      logFormat: process.stdout.isTTY ? 'pretty' : 'json',
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.eventStoreUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const signerKey = generateSignerKey('province-a.example/log');
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://u:p@db:5432/vc',
      AUTH_JWT_SECRET: 'a-secret-long-enough-for-hs256',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      BODY_LIMIT: '1mb',
      MAX_SHIFT_HOURS: '12',
      API_PROCESSES: '2',
      SNAPSHOT_LIMIT: '3',
      KAFKA_TOPIC_PREFIX: 'province-a.',
      KAFKA_PARTITIONS: '12',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      AUDIT_SIGNING_KEY: signerKey,
      AUDIT_LOG_ORIGIN: 'province-a.example/log',
      AUDIT_CHECKPOINT_INTERVAL: '2m',
    });
    expect(config).toEqual({
      logLevel: 'debug',
      logFormat: 'pretty',
      auditSigningKey: signerKey,
      auditLogOrigin: 'province-a.example/log',
      auditCheckpointIntervalMs: 120_000,
      kafkaTopicPrefix: 'province-a.',
      kafkaPartitions: 12,
      port: 8080,
      dataDir,
      databaseUrl: 'postgres://u:p@db:5432/vc',
      jwtSecret: 'a-secret-long-enough-for-hs256',
      // made once from the secret in force, as earlier releases derived it at every start
      citizenSubjectKey: derivedKey('a-secret-long-enough-for-hs256', 'citizen-subject').toString(
        'base64url',
      ),
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      bodyLimit: 1024 * 1024,
      maxShiftHours: 12,
      apiProcesses: 2,
      snapshotLimit: 3,
      // the connection limits have a test of their own (below)
      liveStreamsMax: 1000,
      liveStreamBuffer: 64 * 1024,
      liveStreamHeartbeatMs: 15_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 60_000,
      maxConnections: undefined,
      readQueriesMax: 4,
    });
  });

  it('names every bad variable at once', () => {
    const bad = () =>
      loadConfig({
        DATA_DIR: dataDir,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        KAFKA_BROKERS: 'no-port',
        BODY_LIMIT: 'huge',
        MAX_SHIFT_HOURS: '-1',
        API_PROCESSES: '0',
        SNAPSHOT_LIMIT: '0',
        AUTH_JWT_SECRET: 'short',
        KAFKA_PARTITIONS: '0',
        KAFKA_TOPIC_PREFIX: 'a b',
        LOG_LEVEL: 'loud',
        LOG_FORMAT: 'xml',
        AUDIT_SIGNING_KEY: 'PRIVATE+KEY+nope',
        AUDIT_LOG_ORIGIN: 'a+b',
        AUDIT_CHECKPOINT_INTERVAL: 'often',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const text = (error as ConfigError).message;
      for (const name of [
        'PORT',
        'DATABASE_URL',
        'KAFKA_BROKERS',
        'BODY_LIMIT',
        'MAX_SHIFT_HOURS',
        'API_PROCESSES',
        'SNAPSHOT_LIMIT',
        'AUTH_JWT_SECRET',
        'KAFKA_PARTITIONS',
        'KAFKA_TOPIC_PREFIX',
        'LOG_LEVEL',
        'LOG_FORMAT',
        'AUDIT_SIGNING_KEY',
        'AUDIT_LOG_ORIGIN',
        'AUDIT_CHECKPOINT_INTERVAL',
      ])
        expect(text).toContain(name);
    }
  });

  // Found by probing the command line: a URL of the right scheme that does not parse (an IPv6 host
  // without its closing bracket) was taken, and the server's start ended in a stack trace
  it('refuses a DATABASE_URL that does not parse as a URL, naming it and not its password', () => {
    const read = () =>
      loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://vc:S3cretPw@[::1/vc' });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(read).not.toThrow(/S3cretPw/);
  });

  it('generates the JWT secret once, keeps it in DATA_DIR with mode 0600, and reuses it', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first.jwtSecret);
  });

  it('generates the audit signing key once into DATA_DIR, named after the origin, and reuses it', () => {
    const first = loadConfig({ DATA_DIR: dataDir, AUDIT_LOG_ORIGIN: 'ward.example/log' });
    const file = join(dataDir, 'audit-signing-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.auditSigningKey).toMatch(/^PRIVATE\+KEY\+ward\.example\/log\+[0-9a-f]{8}\+/);
    expect(first.auditCheckpointIntervalMs).toBe(10_000);
    expect(loadConfig({ DATA_DIR: dataDir }).auditSigningKey).toBe(first.auditSigningKey);
  });

  // Found by probing erasure: the citizens' subject key was derived from the JWT secret at every
  // start, so rotating the secret (README's way to revoke every token) gave every citizen recorded
  // before another subject, and erasing them destroyed nobody's key.
  it('keeps the citizen subject key in DATA_DIR once made, whatever secret comes after', () => {
    // given a first start with one secret
    const first = loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: 'the-first-secret-0123456789' });
    const file = join(dataDir, 'citizen-subject-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.citizenSubjectKey);

    // when the secret is rotated, then the key stays, for the server and the commands that only read
    const rotated = { DATA_DIR: dataDir, AUTH_JWT_SECRET: 'the-rotated-secret-0123456789' };
    expect(loadConfig(rotated).citizenSubjectKey).toBe(first.citizenSubjectKey);
    expect(loadReadOnlyConfig(rotated).citizenSubjectKey).toBe(first.citizenSubjectKey);
  });

  it('takes CITIZEN_SUBJECT_KEY instead of a kept file, and names a malformed one', () => {
    // given a key in the environment (a deployment whose DATA_DIR is not kept)
    const key = derivedKey('any', 'purpose').toString('base64url');
    // then it is the key, and no file is made for it
    expect(loadConfig({ DATA_DIR: dataDir, CITIZEN_SUBJECT_KEY: key }).citizenSubjectKey).toBe(key);
    expect(existsSync(join(dataDir, 'citizen-subject-key'))).toBe(false);
    // and one that is not 32 bytes in base64url is refused, naming the variable
    const read = () => loadConfig({ DATA_DIR: dataDir, CITIZEN_SUBJECT_KEY: 'short' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/CITIZEN_SUBJECT_KEY must be 32 bytes in base64url/);
  });

  // Found by probing the checkpoints: an origin holding a control character was taken, and every
  // checkpoint signed with it (and with the key generated after it) is a note that note.Open, and
  // now our own reader, refuse as malformed: a log nobody could verify.
  it.each([['ward\u0001.example/log'], ['ward.example/log\u001B[2K']])(
    'refuses an AUDIT_LOG_ORIGIN with a control character (%j), naming it',
    (origin) => {
      // when the configuration is read with that origin
      const read = () => loadConfig({ DATA_DIR: dataDir, AUDIT_LOG_ORIGIN: origin });

      // then it is refused, naming the variable and showing the character escaped
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(
        /AUDIT_LOG_ORIGIN must be a name without spaces, "\+" or control characters, got "ward.*\\u00/,
      );
    },
  );

  // Found by probing the command line: a jwt-secret file of five characters was taken by the server
  // and the CLI alike (AUTH_JWT_SECRET of that length is refused), and a garbled audit-signing-key
  // was refused as "AUDIT_SIGNING_KEY: malformed signer key", a variable nobody had set.
  it.each([
    ['jwt-secret', 'short\n', /the JWT secret kept in .*jwt-secret is shorter than 16 characters/],
    [
      'audit-signing-key',
      'garbage\n',
      /the audit signing key kept in .*audit-signing-key is not one \(malformed signer key/,
    ],
    [
      'citizen-subject-key',
      'garbage\n',
      /the citizen subject key kept in .*citizen-subject-key is not 32 bytes in base64url/,
    ],
  ])(
    'given a %s file in DATA_DIR that breaks its rules, refuses it, naming the file',
    (file, text, why) => {
      // given the file kept in DATA_DIR
      writeFileSync(join(dataDir, file), text, { mode: 0o600 });
      // when the server or a command reads the configuration
      for (const read of [
        () => loadConfig({ DATA_DIR: dataDir }),
        () => loadReadOnlyConfig({ DATA_DIR: dataDir }),
      ]) {
        // then it is refused, naming the file and not a variable nobody set
        expect(read).toThrow(ConfigError);
        expect(read).toThrow(why);
        expect(read).not.toThrow(/AUDIT_SIGNING_KEY:|AUTH_JWT_SECRET must/);
      }
    },
  );

  it('for a command that only reads, creates no secret, key or DATA_DIR, and reads those kept', () => {
    // given an empty DATA_DIR, and one that does not exist
    const absent = join(dataDir, 'absent');
    // then nothing is configured and nothing is created
    expect(loadReadOnlyConfig({ DATA_DIR: dataDir })).toMatchObject({
      jwtSecret: undefined,
      auditSigningKey: undefined,
    });
    expect(loadReadOnlyConfig({ DATA_DIR: absent }).jwtSecret).toBeUndefined();
    expect(readdirSync(dataDir)).toEqual([]);
    expect(existsSync(absent)).toBe(false);
    // and once the server generated them, they are the ones read
    const server = loadConfig({ DATA_DIR: dataDir });
    expect(loadReadOnlyConfig({ DATA_DIR: dataDir })).toMatchObject({
      jwtSecret: server.jwtSecret,
      auditSigningKey: server.auditSigningKey,
    });
  });

  it('parses body sizes like body-parser', () => {
    expect(parseByteSize('64kb')).toBe(65536);
    expect(parseByteSize('2MB')).toBe(2 * 1024 * 1024);
    expect(parseByteSize('100')).toBe(100);
    expect(parseByteSize('0')).toBeUndefined();
    expect(parseByteSize('lots')).toBeUndefined();
  });

  it('reads the connection limits, with their defaults, and names bad ones', () => {
    // given no variable, then the defaults of README's table
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({
      liveStreamsMax: 1000,
      liveStreamBuffer: 64 * 1024,
      liveStreamHeartbeatMs: 15_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 60_000,
      maxConnections: undefined,
    });
    // given each variable, then its value
    expect(
      loadConfig({
        DATA_DIR: dataDir,
        LIVE_STREAMS_MAX: '50',
        LIVE_STREAM_BUFFER: '16kb',
        LIVE_STREAM_HEARTBEAT: '30s',
        HTTP_HEADERS_TIMEOUT: '5s',
        HTTP_REQUEST_TIMEOUT: '1m',
        HTTP_IDLE_TIMEOUT: '2m',
        HTTP_MAX_CONNECTIONS: '900',
        READ_QUERIES_MAX: '8',
      }),
    ).toMatchObject({
      liveStreamsMax: 50,
      liveStreamBuffer: 16 * 1024,
      liveStreamHeartbeatMs: 30_000,
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 60_000,
      idleTimeoutMs: 120_000,
      maxConnections: 900,
      readQueriesMax: 8,
    });
    // given bad values, then each is named, and headers may not outlast the whole request
    let error: ConfigError | undefined;
    try {
      loadConfig({
        DATA_DIR: dataDir,
        LIVE_STREAMS_MAX: '0x10',
        LIVE_STREAM_BUFFER: 'big',
        HTTP_HEADERS_TIMEOUT: '2m',
        HTTP_MAX_CONNECTIONS: '-1',
        READ_QUERIES_MAX: '0',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    const named = error?.problems.map((problem) => problem.split(' ')[0]);
    expect(named?.sort()).toEqual([
      'HTTP_HEADERS_TIMEOUT',
      'HTTP_MAX_CONNECTIONS',
      'LIVE_STREAMS_MAX',
      'LIVE_STREAM_BUFFER',
      'READ_QUERIES_MAX',
    ]);
    expect(error?.problems.join('\n')).toMatch(/HTTP_HEADERS_TIMEOUT must not be longer/);
  });
});
