import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { databaseLabel, holdsCluster } from '#platform';

/**
 * One line on stderr saying which data directory and database a command is about to use, and a
 * warning when it is about to create a new JWT secret or an empty database: run without the server's
 * DATA_DIR, the CLI would otherwise mint tokens the server refuses and read an empty log, silently.
 * A command that only reads (`readOnly`) creates no database, secret or key, and migrates nothing: it
 * refuses, saying so itself. `token` creates no database either, but signs with the secret, which it
 * creates when DATA_DIR holds none (`createsSecret`): that is the case the warning is for.
 */
export function announceSetup(
  env: Readonly<Record<string, string | undefined>>,
  {
    readOnly = false,
    createsSecret = !readOnly,
  }: { readOnly?: boolean; createsSecret?: boolean } = {},
): void {
  const dataDir = resolve(env.DATA_DIR?.trim() || '.data');
  const database = databaseNamed(env);
  process.stderr.write(`using DATA_DIR ${dataDir} and ${database}\n`);
  if (createsSecret && !env.AUTH_JWT_SECRET?.trim() && !existsSync(join(dataDir, 'jwt-secret')))
    process.stderr.write(
      `warning: no JWT secret in ${dataDir}: a new one is created, and a server using another ` +
        "DATA_DIR (or AUTH_JWT_SECRET) will refuse the tokens it signs. Export the server's DATA_DIR.\n",
    );
  if (!readOnly && !env.DATABASE_URL?.trim() && !holdsCluster(dataDir))
    process.stderr.write(
      `warning: no database in ${dataDir} yet: an empty one is created. If a server is running, ` +
        'export its DATA_DIR (or DATABASE_URL) first.\n',
    );
}

/** The database the configuration points at, without its password, as the commands name it. */
export function databaseNamed(env: Readonly<Record<string, string | undefined>>): string {
  return databaseLabel({
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: resolve(env.DATA_DIR?.trim() || '.data'),
  });
}
