import { isAbsolute, join, resolve } from 'node:path';
import { parseByteSize } from './byte-size.js';
import { logLevels, type LogFormat, type LogLevel } from '../logging/logger.js';
import { parseSignerKey } from '#event-store';
import {
  AUDIT_SIGNING_KEY_FILE,
  loadOrCreateAuditSigningKey,
  parseDuration,
} from './audit-signing-key.js';
import {
  CITIZEN_SUBJECT_KEY_FILE,
  isCitizenSubjectKey,
  loadOrCreateCitizenSubjectKey,
} from './citizen-subject-key.js';
import { JWT_SECRET_FILE, loadOrCreateJwtSecret, readKeptFile } from './jwt-secret.js';
import {
  loadConnectionLimits,
  readWholeNumber,
  type ConnectionLimits,
} from './connection-limits.js';

/** The configuration of API.md ("Configuration"), validated once at startup. */
export type AppConfig = Readonly<{
  port: number;
  /** Unset: an embedded PostgreSQL whose data lives in `<dataDir>/postgres`. */
  databaseUrl?: string;
  /** Absolute. */
  dataDir: string;
  jwtSecret: string;
  /** The key of citizens' subject ids, base64url; kept in DATA_DIR, not rotated with jwtSecret. */
  citizenSubjectKey: string;
  /** Unset (undefined): no Kafka relay. */
  kafkaBrokers?: readonly string[];
  /** Prefix of the relay's topics (`vc.` gives `vc.shift`, …). */
  kafkaTopicPrefix: string;
  /** Partitions of the topics the relay creates. */
  kafkaPartitions: number;
  /** Unset: events in PostgreSQL; set: EventStoreDB. */
  eventStoreUrl?: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  maxShiftHours: number;
  /** HTTP processes sharing the port (`npm start`); the first of them runs the worker. */
  apiProcesses: number;
  /**
   * Snapshots kept at once (building or ready). Each is a full copy of the read models: without a
   * cap, a script asking for one a minute fills the disk, and PostgreSQL stops for every user.
   */
  snapshotLimit: number;
  logLevel: LogLevel;
  /** `json` when not on a terminal, else `pretty`. */
  logFormat: LogFormat;
  /** The verifiable log's note signer key (`PRIVATE+KEY+<name>+<hash>+<key>`). */
  auditSigningKey: string;
  /** The checkpoints' origin line. */
  auditLogOrigin: string;
  /** Least time between two signed checkpoints, in milliseconds. */
  auditCheckpointIntervalMs: number;
}> &
  ConnectionLimits;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;
const MIN_SECRET_LENGTH = 16;
const DEFAULT_ORIGIN = 'volunteer-campaigns.local/log';

/**
 * The configuration of a command that only reads (`verify`, `status`, `export audit`): the JWT secret
 * and the signing key as configured or kept in DATA_DIR, undefined where there is none, since such a
 * command creates nothing.
 */
export type ReadOnlyConfig = Omit<
  AppConfig,
  'jwtSecret' | 'auditSigningKey' | 'citizenSubjectKey'
> &
  Readonly<{ jwtSecret?: string; auditSigningKey?: string; citizenSubjectKey?: string }>;

/**
 * Reads the environment (and explicit overrides, which win) into an AppConfig, generating the JWT
 * secret and the signing key into DATA_DIR when they are neither set nor kept there. Every problem is
 * collected so that one start tells the operator everything that is wrong.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  return readConfig(env, overrides, true) as AppConfig;
}

/** loadConfig for a command that only reads: it creates nothing in DATA_DIR (nor DATA_DIR itself). */
export function loadReadOnlyConfig(env: Env = process.env): ReadOnlyConfig {
  return readConfig(env, {}, false);
}

function readConfig(env: Env, overrides: Partial<AppConfig>, create: boolean): ReadOnlyConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };

  const dataDir = resolve(overrides.dataDir ?? value('DATA_DIR') ?? '.data');

  let port = overrides.port ?? 3000;
  const rawPort = value('PORT');
  if (overrides.port === undefined && rawPort !== undefined) {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65535)
      problems.push(`PORT must be a port number (0-65535), got "${rawPort}"`);
  }

  const databaseUrl = overrides.databaseUrl ?? value('DATABASE_URL');
  // and one that parses: `postgres://u:pw@[::1` (no closing bracket) passed, and the server's start
  // ended in pg's "TypeError: Invalid URL" and its stack, the CLI's in "error: Invalid URL"
  if (
    databaseUrl !== undefined &&
    (!/^postgres(ql)?:\/\//.test(databaseUrl) || !URL.canParse(databaseUrl))
  ) {
    problems.push(
      'DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded PostgreSQL)',
    );
  }

  const eventStoreUrl = overrides.eventStoreUrl ?? value('EVENTSTORE_URL');
  if (
    eventStoreUrl !== undefined &&
    !/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent):\/\//.test(eventStoreUrl)
  ) {
    problems.push(
      `EVENTSTORE_URL must be an esdb:// (or kurrentdb://) connection string, got "${eventStoreUrl}"`,
    );
  }

  let kafkaBrokers = overrides.kafkaBrokers;
  const rawBrokers = value('KAFKA_BROKERS');
  if (kafkaBrokers === undefined && rawBrokers !== undefined) {
    kafkaBrokers = rawBrokers
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    const bad = kafkaBrokers.filter((b) => !/^[^\s:/]+:\d{1,5}$/.test(b));
    if (bad.length || !kafkaBrokers.length)
      problems.push(
        `KAFKA_BROKERS must be a comma-separated list of host:port, got "${rawBrokers}"`,
      );
  }

  const kafkaTopicPrefix = overrides.kafkaTopicPrefix ?? value('KAFKA_TOPIC_PREFIX') ?? 'vc.';
  if (!/^[A-Za-z0-9._-]{0,200}$/.test(kafkaTopicPrefix)) {
    problems.push(
      `KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-", got "${kafkaTopicPrefix}"`,
    );
  }
  const kafkaPartitions =
    readWholeNumber(value, problems, 'KAFKA_PARTITIONS', 1, 1000, overrides.kafkaPartitions) ?? 6;

  let bodyLimit = overrides.bodyLimit ?? 64 * 1024;
  const rawLimit = value('BODY_LIMIT');
  if (overrides.bodyLimit === undefined && rawLimit !== undefined) {
    const parsed = parseByteSize(rawLimit);
    if (parsed === undefined)
      problems.push(`BODY_LIMIT must be a size such as 64kb or 1mb, got "${rawLimit}"`);
    else bodyLimit = parsed;
  }

  let maxShiftHours = overrides.maxShiftHours ?? 16;
  const rawHours = value('MAX_SHIFT_HOURS');
  if (overrides.maxShiftHours === undefined && rawHours !== undefined) {
    maxShiftHours = Number(rawHours);
    if (!Number.isFinite(maxShiftHours) || maxShiftHours <= 0 || maxShiftHours > 168) {
      problems.push(
        `MAX_SHIFT_HOURS must be a number of hours between 0 and 168, got "${rawHours}"`,
      );
    }
  }

  const apiProcesses =
    readWholeNumber(value, problems, 'API_PROCESSES', 1, 64, overrides.apiProcesses) ?? 1;
  const snapshotLimit =
    readWholeNumber(value, problems, 'SNAPSHOT_LIMIT', 1, 1000, overrides.snapshotLimit) ?? 10;

  const logLevel = (overrides.logLevel ?? value('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  const logFormat = (overrides.logFormat ??
    value('LOG_FORMAT') ??
    (process.stdout.isTTY ? 'pretty' : 'json')) as LogFormat;
  if (logFormat !== 'json' && logFormat !== 'pretty')
    problems.push(`LOG_FORMAT must be json or pretty, got "${logFormat}"`);

  let jwtSecret = overrides.jwtSecret ?? value('AUTH_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `AUTH_JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters (unset it to use a generated one)`,
    );
  }
  const auditLogOrigin = overrides.auditLogOrigin ?? value('AUDIT_LOG_ORIGIN') ?? DEFAULT_ORIGIN;
  // a control character makes every checkpoint a note that note.Open refuses as malformed
  if (!/^[^\s+\p{Cc}]{1,200}$/u.test(auditLogOrigin))
    problems.push(
      `AUDIT_LOG_ORIGIN must be a name without spaces, "+" or control characters, got ${JSON.stringify(auditLogOrigin)}`,
    );
  let auditCheckpointIntervalMs = overrides.auditCheckpointIntervalMs ?? 10_000;
  const rawInterval = value('AUDIT_CHECKPOINT_INTERVAL');
  if (overrides.auditCheckpointIntervalMs === undefined && rawInterval !== undefined) {
    const parsed = parseDuration(rawInterval);
    if (parsed === undefined || parsed < 10)
      problems.push(
        `AUDIT_CHECKPOINT_INTERVAL must be a duration such as 10s, got "${rawInterval}"`,
      );
    else auditCheckpointIntervalMs = parsed;
  }
  let auditSigningKey = overrides.auditSigningKey ?? value('AUDIT_SIGNING_KEY');
  if (auditSigningKey !== undefined) {
    try {
      parseSignerKey(auditSigningKey);
    } catch (error) {
      problems.push(`AUDIT_SIGNING_KEY: ${(error as Error).message}`);
    }
  }
  const rawCitizenKey = value('CITIZEN_SUBJECT_KEY');
  if (
    overrides.citizenSubjectKey === undefined &&
    rawCitizenKey !== undefined &&
    !isCitizenSubjectKey(rawCitizenKey)
  )
    problems.push(
      'CITIZEN_SUBJECT_KEY must be 32 bytes in base64url (43 characters), as DATA_DIR/citizen-subject-key holds it',
    );
  const connectionLimits = loadConnectionLimits(value, overrides, problems);
  if (problems.length) throw new ConfigError(problems);
  const keptSecret = jwtSecret === undefined;
  const keptKey = auditSigningKey === undefined;
  if (!create) {
    auditSigningKey ??= kept(dataDir, AUDIT_SIGNING_KEY_FILE, 'audit signing key');
    jwtSecret ??= kept(dataDir, JWT_SECRET_FILE, 'JWT secret');
  }
  if (auditSigningKey === undefined && create) {
    try {
      auditSigningKey = loadOrCreateAuditSigningKey(dataDir, auditLogOrigin);
    } catch (error) {
      throw new ConfigError([
        `cannot read or create the audit signing key in DATA_DIR (${dataDir}): ${(error as Error).message}`,
      ]);
    }
  }
  if (jwtSecret === undefined && create) {
    try {
      jwtSecret = loadOrCreateJwtSecret(dataDir);
    } catch (error) {
      throw new ConfigError([
        `cannot read or create the JWT secret in DATA_DIR (${dataDir}): ${(error as Error).message}`,
      ]);
    }
  }

  let citizenSubjectKey = overrides.citizenSubjectKey ?? value('CITIZEN_SUBJECT_KEY');
  const keptCitizenKey = citizenSubjectKey === undefined;
  if (citizenSubjectKey === undefined && !create)
    citizenSubjectKey = kept(dataDir, CITIZEN_SUBJECT_KEY_FILE, 'citizen subject key');
  if (citizenSubjectKey === undefined && create && jwtSecret !== undefined) {
    try {
      citizenSubjectKey = loadOrCreateCitizenSubjectKey(dataDir, jwtSecret);
    } catch (error) {
      throw new ConfigError([
        `cannot read or create the citizen subject key in DATA_DIR (${dataDir}): ${(error as Error).message}`,
      ]);
    }
  }

  requireKeptValues(dataDir, {
    jwtSecret: keptSecret ? jwtSecret : undefined,
    auditSigningKey: keptKey ? auditSigningKey : undefined,
    citizenSubjectKey: keptCitizenKey ? citizenSubjectKey : undefined,
  });

  return Object.freeze({
    port,
    databaseUrl,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(dataDir),
    jwtSecret,
    citizenSubjectKey,
    kafkaBrokers: kafkaBrokers?.length ? Object.freeze([...kafkaBrokers]) : undefined,
    kafkaTopicPrefix,
    kafkaPartitions,
    eventStoreUrl,
    bodyLimit,
    maxShiftHours,
    apiProcesses,
    snapshotLimit,
    logLevel,
    logFormat,
    auditSigningKey,
    auditLogOrigin,
    auditCheckpointIntervalMs,
    ...connectionLimits,
  });
}

/** A secret or key kept in DATA_DIR, or undefined (none, or an empty file): nothing is created. */
function kept(dataDir: string, file: string, what: string): string | undefined {
  try {
    return readKeptFile(join(dataDir, file)) || undefined;
  } catch (error) {
    throw new ConfigError([
      `cannot read the ${what} in DATA_DIR (${dataDir}): ${(error as Error).message}`,
    ]);
  }
}

/**
 * The secret and the key kept in DATA_DIR, held to the rules of the variables they stand for, and
 * named as the files they are. A jwt-secret file of five characters (copied over, or written by hand)
 * signed every token with a secret that anyone holding one token could find by trying; a garbled
 * audit-signing-key was refused as "AUDIT_SIGNING_KEY: malformed signer key", a variable nobody set.
 */
function requireKeptValues(
  dataDir: string,
  kept: Readonly<{ jwtSecret?: string; auditSigningKey?: string; citizenSubjectKey?: string }>,
): void {
  const problems: string[] = [];
  if (kept.jwtSecret !== undefined && kept.jwtSecret.length < MIN_SECRET_LENGTH)
    problems.push(
      `the JWT secret kept in ${join(dataDir, JWT_SECRET_FILE)} is shorter than ${MIN_SECRET_LENGTH} ` +
        'characters: delete the file to have a new one generated (tokens signed with it are then ' +
        'refused), or set AUTH_JWT_SECRET',
    );
  if (kept.auditSigningKey !== undefined) {
    try {
      parseSignerKey(kept.auditSigningKey);
    } catch (error) {
      problems.push(
        `the audit signing key kept in ${join(dataDir, AUDIT_SIGNING_KEY_FILE)} is not one ` +
          `(${(error as Error).message}): restore the file from a backup, or set AUDIT_SIGNING_KEY`,
      );
    }
  }
  if (kept.citizenSubjectKey !== undefined && !isCitizenSubjectKey(kept.citizenSubjectKey))
    problems.push(
      `the citizen subject key kept in ${join(dataDir, CITIZEN_SUBJECT_KEY_FILE)} is not 32 bytes in ` +
        'base64url: restore the file from a backup (a new one names every citizen recorded before ' +
        'anew, and erasing them then leaves their references readable)',
    );
  if (problems.length) throw new ConfigError(problems);
}
