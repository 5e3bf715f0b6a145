import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/** Where the process's data lives: DATABASE_URL, or an embedded PostgreSQL under DATA_DIR. */
export type DatabaseHandle = Readonly<{ url: string; embedded: boolean; stop(): Promise<void> }>;

export async function openDatabase(
  config: AppConfig,
  log: (line: string) => void = () => {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
