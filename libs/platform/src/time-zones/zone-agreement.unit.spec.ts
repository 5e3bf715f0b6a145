import { serverOffsets, zoneDisagreement, type OffsetReader } from './zone-agreement.js';

/** A reader of a zone at +07:00 that moves to `after` minutes from `change` on (epoch ms). */
const switching =
  (change: number, after: number): OffsetReader =>
  async (_zone, instants) =>
    instants.map((ms) => (ms >= change ? after : 420));
const steady: OffsetReader = switching(Infinity, 420);

describe('whether the database and the server read a campaign zone alike', () => {
  it('finds nothing when both read the same offsets, changes included', async () => {
    // given two readers that change offset at the same instant inside the campaign
    const change = Date.parse('2026-03-08T10:00:00Z');
    const same = switching(change, 480);
    // when the campaign's dates are compared, then they agree
    expect(
      await zoneDisagreement('Asia/Test', '2026-03-01', '2026-03-31', {
        database: same,
        server: same,
      }),
    ).toBeNull();
  });

  it('names the first quarter hour they differ, also when both change on the same day', async () => {
    // given a database that changes offset at 10:00 UTC and a server at 10:45 the same day
    const database = switching(Date.parse('2026-03-08T10:00:00Z'), 480);
    const server = switching(Date.parse('2026-03-08T10:45:00Z'), 480);
    // when compared, then the refusal names 10:00 and both offsets
    const problem = await zoneDisagreement('Asia/Test', '2026-03-01', '2026-03-31', {
      database,
      server,
    });
    expect(problem).toContain('Asia/Test differently from 2026-03-08T10:00:00.000Z');
    expect(problem).toContain('UTC+08:00 against UTC+07:00');
  });

  it('finds a rule one of them no longer follows, from the day it parts', async () => {
    // given a database whose zone keeps +08:00 from 1 November (a permanent summer time)
    const database = switching(Date.parse('2026-11-01T09:00:00Z'), 480);
    // when a campaign over the winter is compared with a server that keeps +07:00
    const problem = await zoneDisagreement('Asia/Test', '2026-10-01', '2027-02-28', {
      database,
      server: steady,
    });
    // then it is refused from the first instant they part
    expect(problem).toContain('from 2026-11-01T09:00:00.000Z (UTC+08:00 against UTC+07:00)');
    // and a campaign that ends days before the change is not
    expect(
      await zoneDisagreement('Asia/Test', '2026-10-01', '2026-10-29', {
        database,
        server: steady,
      }),
    ).toBeNull();
  });

  it('reads the server side as the campaign calendar does (Luxon with Node’s data)', async () => {
    // given Berlin around its 2025 change to summer time (01:00 UTC on 30 March)
    const at = Date.parse('2025-03-30T01:00:00Z');
    // then the offsets are those of CET and CEST
    expect(await serverOffsets('Europe/Berlin', [at - 1, at])).toEqual([60, 120]);
  });
});
