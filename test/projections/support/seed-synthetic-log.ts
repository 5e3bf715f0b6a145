import pg from 'pg';
import { run as seed } from '../../../apps/cli/src/commands/seed.command.js';
import { runCliInProcess } from '../../harness/cli-in-process.js';

/** What the `seed synthetic` suites share: running the command and reading the log it wrote. */
export const SECRET = 'synthetic-resume-secret-0123456789abcdef';
export type Summary = {
  events: number;
  position: number;
  memberIds: string[];
  campaignIds: string[];
};

/** Runs `npm run cli -- seed …` in-process against the database at `url`, capturing its output. */
export const seedCli = (url: string, dataDir: string, args: string[]) =>
  runCliInProcess(seed, args, { DATABASE_URL: url, DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET });
/** The JSON object of the last line on stdout. */
export const summaryOf = (out: string) => JSON.parse(out.trimEnd().split('\n').pop()!) as Summary;

/**
 * The log as `seed synthetic` promises it: every event by stream and version, its sealed name apart
 * (fresh ciphertext in every run), the last position, the erased subjects and the number of keys.
 */
export async function logOf(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT event_id, type, stream_id, version::int, metadata,
              CASE WHEN data->'displayName' ? '$sealed' THEN data - 'displayName' ELSE data END AS data,
              data->'displayName' AS sealed
         FROM events ORDER BY stream_id, version`,
    );
    const { rows: head } = await client.query<{ position: string }>(
      'SELECT coalesce(max(global_position), 0)::text AS position FROM events',
    );
    const { rows: erased } = await client.query<{ subject_id: string }>(
      'SELECT subject_id FROM personal_data_erasures ORDER BY subject_id',
    );
    const { rows: keys } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM personal_data_keys',
    );
    return { events: rows, position: Number(head[0]!.position), erased, keys: keys[0]!.n };
  } finally {
    await client.end();
  }
}
