import { join } from 'node:path';
import { isConnectionFailure, isOutOfResources } from '#event-store';
import type { AppConfig } from '../config/app-config.js';
import { databaseLabel } from './database.js';
import { StartFailure } from './start-failure.js';

/**
 * What a process that the database failed says about it, in one line, or undefined when `error` is
 * no database failure. `database` names it without its password (databaseLabel); `check` is what to
 * look at when it is not reached, and `again` what to do once a resource is freed. A database that
 * did not answer was "error: connect ECONNREFUSED 127.0.0.1:5432" from the CLI, naming neither the
 * configuration nor what to check, and a stack trace from the server's start.
 */
export function databaseFailureText(
  error: unknown,
  database: string,
  { check, again }: Readonly<{ check: string; again: string }>,
): string | undefined {
  if (!isConnectionFailure(error)) return undefined;
  const message = (error as Error).message;
  // It was reached: "cannot reach … is DATABASE_URL (or DATA_DIR) the server's?" sent an operator
  // whose disk had filled to check a configuration that was right.
  if (isOutOfResources(error))
    return (
      `${database} is out of a resource: ${message}. ` +
      `Free it (disk space, memory, connections), then ${again}.`
    );
  return `cannot reach ${database}: ${message}. ${check}`;
}

/**
 * `error` as a StartFailure when the database caused it (not reached, or out of a resource), else
 * itself: a bug keeps its stack. The server's start on a DATABASE_URL that did not answer wrote
 * "failed to start: Error: connect ECONNREFUSED" and a dozen lines of Nest's injector.
 */
export function startFailureOf(
  error: unknown,
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
): unknown {
  const text = databaseFailureText(error, databaseLabel(config), {
    check: config.databaseUrl
      ? 'Is it running, and does DATABASE_URL name it?'
      : `Its log is ${join(config.dataDir, 'postgres.log')}.`,
    again: 'start again',
  });
  return text === undefined ? error : new StartFailure(text);
}
