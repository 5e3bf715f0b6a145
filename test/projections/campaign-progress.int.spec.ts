import { campaignProgress, READS } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';
import { scenario } from './support/scenario.js';

describe('campaign progress', () => {
  let f: Fixture;
  let given: ReturnType<typeof scenario>;
  const progress = async (campaignId: string) => {
    await f.settle();
    return (await campaignProgress(f.pool, await f.schema(READS.campaignProgress), campaignId))!;
  };

  beforeAll(async () => {
    f = await projectionFixture('proj_progress');
    given = scenario(f);
    await given.unit('w1');
    for (const m of ['m1', 'm2', 'm3', 'm4']) await given.member(m, 'w1');
  });
  afterAll(() => f.close());

  it('counts each fact on the local day it happened, even when recorded days later, with every day of the window listed', async () => {
    await given.campaign('late', 'w1');
    await given.start(
      'late-s1',
      'm1',
      '2025-08-09T08:00:00+07:00',
      'late',
      '2025-08-12T10:00:00+07:00',
    );
    await given.assist(
      'late-s1',
      'm1',
      '2025-08-09T09:00:00+07:00',
      3,
      'eid_activation',
      'late',
      '2025-08-12T10:01:00+07:00',
    );
    await given.end('late-s1', '2025-08-09T12:00:00+07:00', '2025-08-12T10:02:00+07:00');

    const p = await progress('late');

    expect(p.byDay.map((d) => d.date)).toEqual([
      '2025-08-09',
      '2025-08-10',
      '2025-08-11',
      '2025-08-12',
      '2025-08-13',
      '2025-08-14',
      '2025-08-15',
    ]);
    expect(p.byDay[0]).toEqual({
      date: '2025-08-09',
      citizensAssisted: 3,
      volunteerTurns: 1,
      hours: 4,
    });
    expect(p.byDay[3]).toEqual({
      date: '2025-08-12',
      citizensAssisted: 0,
      volunteerTurns: 0,
      hours: 0,
    });
    expect(p.totals).toEqual({
      citizensAssisted: 3,
      volunteerTurns: 1,
      distinctVolunteers: 1,
      hours: 4,
      verifiedHours: 0,
    });
    expect(p.byServiceType).toEqual({ eid_activation: 3 });
  });

  it('keeps what happened outside the daily window or the dates apart, and clips hours to the window', async () => {
    await given.campaign('oow', 'w1');
    // starts before 07:00: not a volunteer turn; its early assistance is out of window
    await given.start('oow-s1', 'm2', '2025-08-10T06:00:00+07:00', 'oow');
    await given.assist(
      'oow-s1',
      'm2',
      '2025-08-10T06:30:00+07:00',
      2,
      'party_card_replacement',
      'oow',
    );
    await given.assist(
      'oow-s1',
      'm2',
      '2025-08-10T07:30:00+07:00',
      5,
      'party_card_replacement',
      'oow',
    );
    await given.end('oow-s1', '2025-08-10T10:00:00+07:00');
    // the day after the campaign ended
    await given.start('oow-s2', 'm3', '2025-08-16T08:00:00+07:00', 'oow');
    await given.assist(
      'oow-s2',
      'm3',
      '2025-08-16T08:30:00+07:00',
      4,
      'party_card_replacement',
      'oow',
    );
    await given.end('oow-s2', '2025-08-16T09:00:00+07:00');

    const p = await progress('oow');

    expect(p.totals).toMatchObject({ citizensAssisted: 5, volunteerTurns: 0, hours: 3 });
    expect(p.outOfWindow).toEqual({ assistanceEvents: 2, citizensAssisted: 6, shifts: 2 });
    expect(p.byDay[1]).toEqual({
      date: '2025-08-10',
      citizensAssisted: 5,
      volunteerTurns: 0,
      hours: 3,
    });
  });

  it('clips a shift across midnight to each day it touches, and counts it as one turn on the day it started', async () => {
    await given.campaign('night', 'w1');
    await given.start('night-s1', 'm3', '2025-08-11T20:00:00+07:00', 'night');
    await given.end('night-s1', '2025-08-13T09:00:00+07:00');

    const p = await progress('night');

    expect(p.byDay.slice(2, 5)).toEqual([
      { date: '2025-08-11', citizensAssisted: 0, volunteerTurns: 1, hours: 2 },
      { date: '2025-08-12', citizensAssisted: 0, volunteerTurns: 0, hours: 15 },
      { date: '2025-08-13', citizensAssisted: 0, volunteerTurns: 0, hours: 2 },
    ]);
    expect(p.totals).toMatchObject({ volunteerTurns: 1, hours: 19 });
  });

  it('counts verified hours from verified shifts only; a correction moves the figures and sends the shift back to pending', async () => {
    await given.campaign('fix', 'w1', { goals: { verifiedHours: 10, volunteerTurns: 4 } });
    await given.start('fix-s1', 'm1', '2025-08-12T08:00:00+07:00', 'fix');
    await given.end('fix-s1', '2025-08-12T13:00:00+07:00');
    await given.start('fix-s2', 'm2', '2025-08-12T14:00:00+07:00', 'fix');
    await given.end('fix-s2', '2025-08-12T16:00:00+07:00');
    await given.verify('fix-s1');

    const before = await progress('fix');
    expect(before.totals).toMatchObject({
      hours: 7,
      verifiedHours: 5,
      volunteerTurns: 2,
      distinctVolunteers: 2,
    });
    expect(before.goals).toEqual({
      verifiedHours: { target: 10, reached: 5, percent: 50 },
      volunteerTurns: { target: 4, reached: 2, percent: 50 },
    });

    await given.correct('fix-s1', { endedAt: '2025-08-12T10:00:00+07:00' });
    const after = await progress('fix');

    expect(after.totals).toMatchObject({ hours: 4, verifiedHours: 0 });
    expect(after.byDay[3]).toMatchObject({ date: '2025-08-12', hours: 4 });
  });

  it('drops a rejected shift and credits no hours to an open (overdue) shift', async () => {
    await given.campaign('rej', 'w1');
    await given.start('rej-s1', 'm4', '2025-08-13T08:00:00+07:00', 'rej');
    await given.assist('rej-s1', 'm4', '2025-08-13T08:30:00+07:00', 7, 'app_install', 'rej');
    await given.end('rej-s1', '2025-08-13T11:00:00+07:00');
    await given.reject('rej-s1');
    await given.start('rej-s2', 'm1', '2025-08-13T08:00:00+07:00', 'rej');

    const p = await progress('rej');

    expect(p.totals).toEqual({
      citizensAssisted: 0,
      volunteerTurns: 1,
      distinctVolunteers: 1,
      hours: 0,
      verifiedHours: 0,
    });
    expect(p.byServiceType).toEqual({});
  });

  it('lists the services in name order, whatever order their rows were written in', async () => {
    // given citizens helped with three services, recorded out of name order, each settled apart
    await given.campaign('svc', 'w1');
    await given.start('svc-s1', 'm2', '2025-08-10T08:00:00+07:00', 'svc');
    const services = ['online_public_service', 'eid_activation', 'digital_signature'];
    for (const [i, service] of services.entries()) {
      await given.assist('svc-s1', 'm2', `2025-08-10T09:0${i}:00+07:00`, i + 1, service, 'svc');
      await f.settle();
    }

    // when the progress is read
    const p = await progress('svc');

    // then the same answer comes in the same order, live or rebuilt
    expect(Object.entries(p.byServiceType)).toEqual([
      ['digital_signature', 3],
      ['eid_activation', 2],
      ['online_public_service', 1],
    ]);
  });

  it('counts facts that an extension brings inside the campaign dates', async () => {
    await given.campaign('ext', 'w1');
    await given.start('ext-s1', 'm1', '2025-08-16T08:00:00+07:00', 'ext');
    await given.end('ext-s1', '2025-08-16T10:00:00+07:00');
    expect((await progress('ext')).outOfWindow.shifts).toBe(1);

    await given.extend('ext', '2025-08-17');
    const p = await progress('ext');

    expect(p.endDate).toBe('2025-08-17');
    expect(p.byDay).toHaveLength(9);
    expect(p.byDay[7]).toEqual({
      date: '2025-08-16',
      citizensAssisted: 0,
      volunteerTurns: 1,
      hours: 2,
    });
    expect(p.outOfWindow.shifts).toBe(0);
  });
});
