import { mkdtempSync, rmSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { signToken, type Actor } from '#platform';
import { createApp } from '../../apps/api/src/app.factory.js';
import { run as seed } from '../../apps/cli/src/commands/seed.command.js';
import { createTestDatabase } from '../harness/database.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

const SECRET = 'synthetic-seed-secret-0123456789abcdef';
const auditor: Actor = { sub: 'aud-1', role: 'auditor' };
type Summary = {
  events: number;
  position: number;
  campaignIds: string[];
  unitIds: string[];
  memberIds: string[];
};

/** Runs `npm run cli -- seed …` in-process (not on a terminal), capturing what it prints. */
const cli = (args: string[], env: Record<string, string>) => runCliInProcess(seed, args, env);

describe('npm run cli -- seed synthetic', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let app: INestApplication | undefined;
  const env = () => ({ DATABASE_URL: db.url, DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET });

  beforeAll(async () => {
    db = await createTestDatabase('proj_synthetic');
    dataDir = mkdtempSync(join(tmpdir(), 'synthetic-'));
  });
  afterAll(async () => {
    await app?.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes a generated history and prints one JSON line last, whose sample ids the read routes answer', async () => {
    const seeded = await cli(['synthetic', '--events', '3000', '--seed', '11'], env());
    const again = await cli(['synthetic', '--events', '3000', '--seed', '11'], env());
    app = await createApp({
      databaseUrl: db.url,
      dataDir,
      jwtSecret: SECRET,
      env: { LOG_LEVEL: 'error', LOG_FORMAT: 'json' },
    });
    const bearer = `Bearer ${await signToken(auditor, SECRET)}`;
    const lines = seeded.out.trimEnd().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!) as Summary;
    /** Waits on the position the seed reached (each read waits up to 5 s for it, then answers 504). */
    const read = async (path: string): Promise<request.Response> => {
      const res = await request(app!.getHttpServer())
        .get(`${path}?minPosition=${summary.position}`)
        .set('Authorization', bearer);
      return res.status === 504 ? read(path) : res;
    };

    expect(seeded.code).toBe(0);
    expect(seeded.err).not.toMatch(/\r\[/); // no progress bar off a terminal
    expect(summary.events).toBeGreaterThanOrEqual(3_000);
    expect(summary.position).toBeGreaterThan(0);
    expect(summary.campaignIds.length).toBeGreaterThan(0);
    expect(summary.unitIds).toHaveLength(20);
    expect(summary.memberIds).toHaveLength(20);
    for (const id of summary.campaignIds)
      expect((await read(`/campaigns/${id}/progress`)).body).toMatchObject({ campaignId: id });
    for (const id of summary.unitIds)
      expect((await read(`/units/${id}/summary`)).body).toMatchObject({ unitId: id });
    for (const id of summary.memberIds)
      expect((await read(`/audit/members/${id}/hours`)).body).toMatchObject({
        memberId: id,
        displayName: `Đoàn viên ${id}`, // sealed in the log, opened by the vault
      });
    const progress = await read(`/campaigns/${summary.campaignIds[0]}/progress`);
    expect(progress.body.totals.citizensAssisted).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const plain = await client.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'MemberEnrolled' AND data->'displayName'->>'$sealed' IS NULL`,
    );
    await client.end();
    expect(plain.rows[0].n).toBe(0);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds that seed's history/);
  });
});
