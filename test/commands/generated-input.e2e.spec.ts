import fc from 'fast-check';
import pg from 'pg';
import request from 'supertest';
import { KafkaRelay, allTopics } from '#messaging';
import { checkCertificate, type HoursCertificate } from '#projections';
import type { Actor } from '#platform';
import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { checkpointCoveringAll } from '../audit-log/audit-log-kit.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { distinctEvents, publishedMessages } from '../messaging/relay-test-kit.js';
import {
  hoursAgo,
  launchCampaign,
  operator,
  PROBLEM,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';
import { generatedCommand, type GeneratedCommand } from './generated-commands.js';
import { bodyForm, resolve, writeBody } from './generated-values.js';

const auditor: Actor = { sub: 'aud-gen', role: 'auditor' };

// API.md "General", as properties of every request rather than of hand-picked ones: generated bodies
// mix valid values with boundary and odd ones (generated-values.ts). For each: never a 5xx; a 4xx is
// problem+json, and a 400 names the field; a refusal appends nothing. Then, since the log is
// immutable and the gate is the domain, every consumer handles all that was accepted.
describe('generated commands keep the contract, and what they record every consumer reads', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;
  let n = 0;
  const accepted = {
    streams: new Set<string>(),
    campaigns: ['gen-c0'],
    members: new Set<string>(),
  };
  let last = 0;

  beforeAll(async () => {
    kit = await startCommandsKit('generated_input', {
      worker: true,
      auditCheckpointIntervalMs: 50,
    });
    ids = await seedTree(kit, 'gen');
    await launchCampaign(kit, 'gen-c0', ids.ward);
  }, 120_000);
  afterAll(() => kit?.close());

  const fresh = (kind: string) => `gen-${kind}-${++n}`;
  /** What the command needs, made through the API; answers the path's `{…}` and `$ref` names. */
  async function prepare(needs: GeneratedCommand['needs']): Promise<Record<string, string>> {
    const made: Record<string, string> = {};
    if (needs === 'campaign') {
      made.campaign = fresh('c');
      await launchCampaign(kit, made.campaign, ids.ward);
    }
    if (needs === 'programme') {
      made.programme = fresh('g');
      await kit.record('/programmes', {
        id: made.programme,
        unitId: ids.ward,
        kind: 'training',
        title: 'Tập huấn',
        startsAt: hoursAgo(6),
      });
    }
    if (needs === 'member' || needs.endsWith('shift')) {
      made.member = fresh('m');
      await kit.record('/members', { id: made.member, unitId: ids.ward, displayName: 'Lê Bình' });
      accepted.members.add(made.member);
    }
    if (needs.endsWith('shift')) {
      made.shift = fresh('s');
      const body = {
        id: made.shift,
        memberId: made.member,
        location: 'UBND',
        startedAt: hoursAgo(3),
      };
      await kit.record('/shifts', { ...body, campaignId: accepted.campaigns.at(-1) }).catch(() =>
        // the latest campaign accepted may not take the shift (it ended, or it is closed)
        kit.record('/shifts', body),
      );
      if (needs === 'ended-shift')
        await kit.record(`/shifts/${made.shift}/end`, { endedAt: hoursAgo(0.1) });
    }
    return made;
  }

  it('answers every generated command with 201 or a problem naming the field, and records only what it accepts', async () => {
    await fc.assert(
      fc.asyncProperty(generatedCommand, bodyForm, async (cmd, form) => {
        // given what the command needs, and its body as sent
        const made = await prepare(cmd.needs);
        const path = cmd.path.replace(/\{(\w+)\}/, (_, name: string) => made[name]!);
        const refs = (name: string) =>
          name === 'ward'
            ? ids.ward
            : name === 'campaign-of-shifts'
              ? accepted.campaigns.at(-1)
              : name.startsWith('fresh-')
                ? fresh(name.slice(6))
                : made[name];
        const body = writeBody(resolve(cmd.body, refs) as Record<string, unknown>, form);
        const before = await kit.totalEvents();

        // when it is sent
        const agent = request(kit.server);
        const res = await agent[cmd.method](path)
          .set('Authorization', await kit.bearer(operator))
          .set('Content-Type', 'application/json')
          .send(body);

        // then it is recorded, or refused as API.md says with nothing recorded
        const after = await kit.totalEvents();
        const said = `${cmd.method} ${path} ${body} → ${res.status} ${res.text}`;
        expect([said, res.status < 500]).toEqual([said, true]);
        if (res.status === 201) {
          accepted.streams.add(res.body.streamId);
          last = Math.max(last, res.body.position);
          if (path === '/campaigns') accepted.campaigns.push(res.body.id);
          if (path === '/shifts') accepted.members.add(JSON.parse(body).memberId);
          return;
        }
        expect([said, res.headers['content-type']]).toEqual([said, expect.stringMatching(PROBLEM)]);
        if (res.status === 400 && res.body.code !== 'malformed_json')
          expect([said, res.body.errors]).toEqual([
            said,
            expect.arrayContaining([{ field: expect.any(String), message: expect.any(String) }]),
          ]);
        expect([said, after]).toEqual([said, before]);
      }),
      { seed: 20261201, numRuns: 300, endOnFailure: true },
    );
    expect(accepted.streams.size).toBeGreaterThan(40);
  }, 600_000);

  it('then every projection, read route, export, certificate and the relay handle all of it', async () => {
    const get = async (path: string, accept = 'application/json') =>
      request(kit.server)
        .get(path)
        .set('Authorization', await kit.bearer(auditor))
        .set('Accept', accept);
    const expect200 = async (path: string, accept?: string) => {
      const res = await get(path, accept);
      expect([path, res.status, res.status === 200 ? '' : res.text]).toEqual([path, 200, '']);
      return res;
    };
    // given the log the generated commands left, caught up by every projection
    await expect200(`/units/${ids.ward}/summary?minPosition=${last}`);
    await checkpointCoveringAll(kit);
    const projections = await request(kit.server)
      .get('/admin/projections')
      .set('Authorization', await kit.bearer(operator));
    for (const p of projections.body.projections)
      expect([p.name, p.state, p.lag]).toEqual([p.name, 'live', 0]);
    expect((await request(kit.server).get('/health')).body.status).toBe('ok');

    // then every stream verifies, and every read route answers for what was accepted
    for (const stream of accepted.streams) {
      const verified = await expect200(`/audit/streams/${encodeURIComponent(stream)}/verify`);
      expect([stream, verified.body.valid]).toEqual([stream, true]);
    }
    for (const campaign of accepted.campaigns) {
      await expect200(`/campaigns/${campaign}/progress`);
      await expect200(`/leaderboards/members?metric=citizensAssisted&campaignId=${campaign}`);
    }
    for (const route of ['summary', 'digital-skills', 'programmes', 'cadence'])
      await expect200(`/units/${ids.province}/${route}`);
    await expect200('/leaderboards/members?metric=verifiedHours&limit=500');
    await expect200('/leaderboards/units?metric=posts');
    await expect200(`/members?unitId=${ids.province}&limit=500`);
    const key = (await get('/audit/log/key')).text.trim();
    for (const member of accepted.members) {
      await expect200(`/audit/members/${member}/hours`);
      await expect200(`/audit/members/${member}/hours`, 'text/csv');
      const certificate = (await expect200(`/audit/members/${member}/certificate`)).body;
      expect([member, checkCertificate(certificate as HoursCertificate, key)]).toEqual([
        member,
        [],
      ]);
    }
    // and `export audit` writes the whole province, in CSV and in JSON
    for (const format of ['csv', 'json']) {
      const exported = await runCliInProcess(
        exportCommand,
        ['audit', '--unit', ids.province, '--format', format],
        { DATABASE_URL: kit.databaseUrl },
      );
      expect([format, exported.code, exported.err]).toEqual([format, 0, expect.any(String)]);
      expect(exported.out).toContain('gen-s-');
    }
    // and the relay publishes every event of the log
    const pool = new pg.Pool({ connectionString: kit.databaseUrl, max: 2 });
    try {
      const prefix = `gen${Date.now()}.`;
      const relay = new KafkaRelay({
        eventStore: kit.store,
        pool,
        brokers: process.env.KAFKA_BROKERS!,
        name: 'generated',
        topicPrefix: prefix,
        partitions: 1,
        logger: { log: () => undefined, warn: () => undefined },
      });
      const total = await kit.totalEvents();
      const received = await publishedMessages(
        relay,
        kit.store,
        process.env.KAFKA_BROKERS!,
        allTopics(prefix),
        total,
      );
      expect(distinctEvents(received).size).toBe(total);
    } finally {
      await pool.end();
    }
  }, 300_000);
});
