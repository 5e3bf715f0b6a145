import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, seedCardDrive2025, type ControllableClock } from '#commands';
import { startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { startTestApp } from './test-app.js';
import { operator, startTour, tourCommands, viewer } from './support/api-tour.js';
import { tourAdmin, tourOutage, tourReads } from './support/api-tour-reads.js';
import { checkExchanges, ExchangeRecorder, type Conformance } from './support/exchanges.js';

/**
 * Does /docs tell the truth? Every route of API.md driven on real data (the card-drive seed, then one
 * of each command, each read, the verifiable log, snapshots, admin jobs, erasure), with its refusals
 * (400, 401, 403, 404, 409, 413, 415, 422, 503, 504), and every real request and answer held to the
 * served document by an implementation nobody here wrote: kin-openapi's openapi3filter
 * (ValidateRequest, ValidateResponse), the library Go's client and server generators build on.
 */
describe('/docs against what the server really takes and answers (kin-openapi openapi3filter)', () => {
  let kit: CommandsKit;
  let x: ExchangeRecorder;
  let result: Conformance;
  let document: Parameters<typeof documentedAnswer>[0];
  /** Answers other than the one the suite drove for: the flow goes on, and the first test lists them. */
  const unexpected: string[] = [];

  beforeAll(async () => {
    kit = await startCommandsKit('openapi_conformance', {
      worker: true,
      auditCheckpointIntervalMs: 50,
    });
    x = new ExchangeRecorder(kit);
    const tour = startTour(kit, x, unexpected);
    // a server whose log has no signed checkpoint yet (it runs no worker to sign one)
    const empty = await startTestApp('openapi_conformance_empty', { worker: false });
    try {
      const before = new ExchangeRecorder(empty);
      await tour.must(404, before.send('get', '/audit/log/checkpoint', { as: viewer }));
      await tour.must(200, before.send('get', '/admin/snapshots', { as: operator }));
      x.exchanges.push(...before.exchanges);
    } finally {
      await empty.close();
    }
    // the card drive, recorded through the command path on its own clock, then every route on it
    const clock = kit.app.get<ControllableClock>(CLOCK, { strict: false });
    await seedCardDrive2025(kit.app.get(CommandBus, { strict: false }), clock, () => {});
    clock.release();
    await tourCommands(tour);
    const position = await tourReads(tour);
    await tourAdmin(tour, position);
    await tourOutage(tour);

    ({ document, result } = await checkExchanges(kit, x.exchanges));
  }, 120_000);

  afterAll(async () => {
    await kit?.close();
  });

  it('got the answer it drove for at every step', () => {
    expect(unexpected).toEqual([]);
  });

  const requestFindings = () => result.findings.filter((f) => f.part !== 'response');
  const refusedByServerOnly = (f: Conformance['findings'][number]) =>
    f.error.includes('but the document takes it');
  const schemaFindings = () =>
    result.findings.filter((f) => f.part === 'response' && /match schema/.test(f.error));

  // Before: a shift started in 1999 or at +15:00, a campaign ending in 2100, a window from "7h",
  // ?minPosition=soon, ?from=1999-12-31 and an unknown projection to rebuild were all valid to /docs.
  it("refuses what the server refuses as malformed: API.md's years, offsets and times, positions, names", () => {
    expect(requestFindings().filter(refusedByServerOnly)).toEqual([]);
  });

  // Before: the dashboard page, open to anyone by API.md, was missing from /docs.
  it('takes every request the server took, the dashboard page without a token', () => {
    expect(requestFindings().filter((f) => !refusedByServerOnly(f))).toEqual([]);
  });

  // Before: the progress' `closed`, the audit hours' `erased`, `events`, `overdue`, `verifiedAt`,
  // `rejectedBy` and `rejectedReason`, and every snapshot answer's `snapshot` were undocumented.
  it('names every field of every answer, with its type and nullability', () => {
    expect(schemaFindings()).toEqual([]);
  });

  // Before: /health, whoami, the log's checkpoints and proofs, the certificate, the cadence and every
  // /admin answer had no schema; /metrics and the log's key and checkpoint no text/plain; the audit
  // hours' CSV was documented as the JSON object; the live stream's 200 was not documented at all.
  it('describes every answer: its status, its content type (CSV, plain text, event stream, HTML) and a schema', () => {
    expect(
      result.findings.filter((f) => f.part === 'response' && !/match schema/.test(f.error)),
    ).toEqual([]);
  });

  // Before: no 503 of /docs named Retry-After, which API.md promises and every real 503 carries.
  it('says that a 503 carries Retry-After, as every real one does', () => {
    const unavailable = x.exchanges.filter((e) => e.status === 503);
    expect(unavailable.length).toBeGreaterThan(1);
    for (const e of unavailable) {
      const answer = documentedAnswer(document, e.method, e.path, 503);
      expect({ answer: e.name, retryAfter: e.responseHeaders['retry-after'] }).toEqual({
        answer: e.name,
        retryAfter: expect.stringMatching(/^\d+$/),
      });
      expect({ answer: e.name, documented: answer?.headers?.['Retry-After']?.required }).toEqual({
        answer: e.name,
        documented: true,
      });
    }
  });

  it('documents no route this suite did not drive', () => {
    expect(result.operations.filter((op) => !result.covered[op])).toEqual([]);
  });
});

type DocumentedAnswer = { headers?: Record<string, { required?: boolean }> };

/** The documented answer of `method path` with `status`, the path matched against the templates. */
function documentedAnswer(
  document: {
    paths: Record<string, Record<string, { responses: Record<string, DocumentedAnswer> }>>;
  },
  method: string,
  path: string,
  status: number,
): DocumentedAnswer | undefined {
  const bare = path.split('?')[0]!;
  const template = Object.keys(document.paths).find((t) =>
    new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare),
  );
  return template
    ? document.paths[template]?.[method.toLowerCase()]?.responses[String(status)]
    : undefined;
}
