import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { signToken, startEmbeddedPostgres, type EmbeddedPostgres } from '#platform';
import {
  finishedJob,
  hoursAgo,
  operator,
  seedTree,
  shiftStart,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';
import { buildGoProgram } from '../harness/go-program.js';
import { waitUntil } from '../messaging/relay-test-kit.js';
import { allListening, buildApi, startApiProcess, type ApiProcess } from './support/api-process.js';

type Family = { name: string; type: string; help: string; series: Record<string, string>[] | null };

const checker = buildGoProgram(
  'test/metrics-check',
  "/metrics is read with Prometheus's own parser (github.com/prometheus/common/expfmt)",
);
afterAll(() => checker.remove());

/**
 * What a Prometheus server makes of these scrapes of one server, oldest first (test/metrics-check):
 * the families of the last, or what is wrong with any of them, counters that went down included.
 */
function prometheusReads(scrapes: readonly string[]): Family[] {
  const run = checker.run(JSON.stringify(scrapes));
  if (!run.ok) throw new Error(`the scrapes are not what Prometheus reads:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Family[];
}

const labelValues = (families: Family[], name: string, label: string) =>
  new Set(
    families
      .filter((f) => f.name === name)
      .flatMap((f) => f.series ?? [])
      .map((s) => s[label]),
  );

// What hostile requests carry: none of it may become a label value.
const ID_NUMBER = '079203004321';
const TOKEN_MARK = 'token-in-the-query';

describe('/metrics, as Prometheus reads it', () => {
  describe('of one process running the projections and the relay', () => {
    let kit: CommandsKit;
    let viewer: string;
    const scrapes: string[] = [];
    const scrape = async () => {
      const res = await request(kit.server).get('/metrics').set('Authorization', viewer);
      expect(res.status).toBe(200);
      scrapes.push(res.text);
    };

    beforeAll(async () => {
      kit = await startCommandsKit('metrics_format', {
        worker: true,
        kafkaBrokers: process.env.KAFKA_BROKERS!.split(','),
        kafkaTopicPrefix: `metrics-format-${Date.now()}.`,
      });
      viewer = await kit.bearer({ sub: 'prometheus', role: 'viewer' });
    });
    afterAll(async () => {
      await kit?.close();
    });

    it('parses in every state, counts nothing down, and takes no label value from a request', async () => {
      // given a fresh start
      await scrape();

      // when commands are recorded (and relayed)
      const ids = await seedTree(kit, 'mf');
      await kit.record('/shifts', shiftStart('mf-s1', ids.member, 2));
      await kit.record('/shifts/mf-s1/assistance', {
        serviceType: 'eid_activation',
        occurredAt: hoursAgo(1),
        citizenRef: 'CCCD-079203001111',
      });
      await scrape();

      // and requests come that no route serves, with odd methods, ids, quotes and a token in the URL
      const port = Number(new URL(await kit.url()).port);
      for (const method of ['PROPFIND', 'MKCOL', 'LOCK', 'M-SEARCH', 'PURGE', 'SUBSCRIBE', 'GET'])
        await new Promise<void>((done) =>
          http
            .request({ port, host: '127.0.0.1', method, path: `/${ID_NUMBER}?t=${TOKEN_MARK}` })
            .on('response', (res) => res.resume().on('end', done))
            .on('error', () => done())
            .end(),
        );
      const operatorToken = await kit.bearer(operator);
      for (const path of [
        `/units/${ID_NUMBER}%22%5C%0A/summary?access_token=${TOKEN_MARK}`,
        `/members/${ID_NUMBER}/personal-data`,
        `/dashboard/${ID_NUMBER}.js`,
        `/docs/${ID_NUMBER}`,
      ])
        await request(kit.server).get(path).set('Authorization', operatorToken);
      await scrape();

      // and an operator rebuilds every projection, then builds a snapshot, scraped during and after
      const rebuild = await kit.post('/admin/projections/rebuild', operator, {});
      expect(rebuild.status).toBe(202);
      await scrape();
      expect((await finishedJob(kit, rebuild.body.id)).state).toBe('done');
      await scrape();
      const snapshot = await kit.post('/admin/snapshots', operator, { toPosition: 1 });
      expect(snapshot.status).toBe(202);
      await scrape();
      expect((await finishedJob(kit, snapshot.body.id)).state).toBe('done');
      await scrape();
      // and once the relay has published it all (its first transaction can wait on a new broker's
      // transaction log: the series of what it published exist from then on)
      await waitUntil(
        'the relay published every event',
        async () => {
          const relay = (await request(kit.server).get('/health')).body.components?.['kafka-relay'];
          return relay?.checkpoint !== null && relay?.checkpoint !== undefined && relay.lag === 0;
        },
        60_000,
      );
      await scrape();

      // then Prometheus's parser reads every scrape, and no counter went down from one to the next
      const families = prometheusReads(scrapes);
      // and each series says which route it counts by its pattern, or `unmatched`, never the URL
      const express = kit.app.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string } }[] };
      };
      const patterns = express.router.stack.flatMap((layer) =>
        layer.route ? [layer.route.path] : [],
      );
      expect([...labelValues(families, 'http_request_duration_seconds', 'route')]).toEqual(
        expect.arrayContaining(['/units/:id/summary', 'unmatched']),
      );
      for (const route of labelValues(families, 'http_request_duration_seconds', 'route'))
        expect([...patterns, 'unmatched']).toContain(route);
      // and methods HTTP does not define count as one, `other`, not a set of series each
      expect([...labelValues(families, 'http_request_duration_seconds', 'method')].sort()).toEqual(
        ['GET', 'POST', 'other'].sort(),
      );
      // and nothing the requests carried is a label value anywhere
      const values = families.flatMap((f) => (f.series ?? []).flatMap((s) => Object.values(s)));
      expect(values.filter((v) => v.includes(ID_NUMBER) || v.includes(TOKEN_MARK))).toEqual([]);
      // and the relay's and the projections' series are there
      const names = new Set(families.map((f) => f.name));
      const expected = [
        'relay_published_total',
        'relay_lag_events',
        'projection_checkpoint',
        'projection_lag_events',
      ];
      expect(expected.filter((name) => !names.has(name))).toEqual([]);
    }, 120_000);
  });

  describe('of two API processes, while their database goes away and comes back', () => {
    const SECRET = 'metrics-format-secret-long-enough';
    let dataDir: string;
    let server: EmbeddedPostgres;
    let api: ApiProcess;

    beforeAll(async () => {
      buildApi();
      dataDir = mkdtempSync(join(tmpdir(), 'metrics-format-pg-'));
      server = await startEmbeddedPostgres({ dataDir });
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query('CREATE DATABASE metrics_format_app');
      await admin.end();
      const url = server.url.replace(/\/postgres$/, '/metrics_format_app');
      api = await startApiProcess(url, SECRET, { processes: 2 });
      await allListening(api, 2);
    }, 300_000);
    afterAll(async () => {
      await api?.stop();
      await server?.stop({ force: true });
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('parses in every scrape, whichever process gets it, and counts nothing down', async () => {
      const viewer = `Bearer ${await signToken({ sub: 'prometheus', role: 'viewer' }, SECRET)}`;
      const operatorToken = `Bearer ${await signToken(operator, SECRET)}`;
      // each on a connection of its own, so that both processes get some
      const get = async (path: string, authorization: string) => {
        const res = await fetch(new URL(path, api.url), {
          headers: { authorization, connection: 'close' },
        });
        return { status: res.status, text: await res.text() };
      };
      const scrapes: string[] = [];
      const scrape = async () => {
        const res = await get('/metrics', viewer);
        expect(res.status).toBe(200);
        scrapes.push(res.text);
      };
      // given two API processes answering requests
      for (let i = 0; i < 4; i++) {
        await get('/members?limit=1', operatorToken);
        await scrape();
      }
      // when their database stops under them, and is scraped meanwhile
      await server.stop({ force: true });
      for (let i = 0; i < 4; i++) {
        await get('/members?limit=1', operatorToken);
        await scrape();
      }
      // and comes back
      server = await startEmbeddedPostgres({ dataDir });
      for (let i = 0; i < 4; i++) {
        await get('/members?limit=1', operatorToken);
        await scrape();
      }

      // then Prometheus's parser reads every scrape, and no counter went down from one to the next
      const families = prometheusReads(scrapes);
      expect(labelValues(families, 'http_request_duration_seconds', 'route')).toContain('/members');
    }, 120_000);
  });
});
