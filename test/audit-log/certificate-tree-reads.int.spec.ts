import { checkCertificate, issueHoursCertificate } from '#projections';
import { tamperFixture } from './log-tamper-kit.js';

/**
 * An hours certificate asked the stored tree for each event's inclusion proof in a query of its own:
 * a shift of 10,000 assistance records (API.md allows that many) took 10,000 round trips, 12.6 s on
 * a log of a million events, and eight at once held their answers for 38 s each. A shift's proofs now
 * come from one read of the hashes they need per 500 events.
 */
describe('the hours certificate of a member with many events', () => {
  let f: Awaited<ReturnType<typeof tamperFixture>>;

  beforeAll(async () => {
    f = await tamperFixture('cert_tree_reads', 3000);
  }, 120_000);
  afterAll(() => f?.close());

  it('reads the tree once per shift, not once per event, and every proof holds', async () => {
    // given the member whose shifts hold the most events
    const { rows } = await f.pool.query<{ member: string; shifts: string[]; events: number }>(
      `SELECT s.data->>'memberId' AS member, array_agg(DISTINCT substring(s.stream_id from 7)) AS shifts,
              (SELECT count(*)::int FROM events e
                WHERE e.stream_id = ANY(array_agg(DISTINCT s.stream_id))) AS events
         FROM events s WHERE s.type = 'ShiftStarted'
        GROUP BY 1 ORDER BY 3 DESC LIMIT 1`,
    );
    const { member, shifts, events } = rows[0]!;
    expect(events).toBeGreaterThan(4 * shifts.length);

    // when their certificate is issued, counting the queries it sends
    let queries = 0;
    const query = f.pool.query.bind(f.pool);
    f.pool.query = ((...args: Parameters<typeof query>) => {
      queries += 1;
      return query(...args);
    }) as typeof f.pool.query;
    let certificate;
    try {
      certificate = await issueHoursCertificate(f.store, f.log, {
        memberId: member,
        shiftIds: shifts,
      });
    } finally {
      f.pool.query = query as typeof f.pool.query;
    }

    // then it holds every event of the member's shifts, each proven into the checkpoint
    expect(certificate.shifts.flatMap((s) => s.events)).toHaveLength(events);
    expect(checkCertificate(certificate, f.verifierKey)).toEqual([]);
    // and it asked for each shift its events, their leaves and their proofs (one read per 500 events;
    // these shifts hold fewer), plus the checkpoint: not a read per event
    expect(queries).toBeLessThanOrEqual(3 * shifts.length + 1);
  }, 120_000);
});
