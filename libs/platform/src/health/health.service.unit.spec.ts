import { HealthService } from './health.service.js';

/** A check that answers when told to, counting how often it was asked. */
function heldCheck() {
  const held = { calls: 0, answer: () => {} };
  const check = () => {
    held.calls++;
    return new Promise<{ healthy: boolean; call: number }>((resolve) => {
      const call = held.calls;
      held.answer = () => resolve({ healthy: true, call });
    });
  };
  return { held, check };
}

describe('HealthService', () => {
  it('runs each check once for the probes that arrive while a report is being made', async () => {
    // given a component whose check is under way for a first probe
    const health = new HealthService();
    const { held, check } = heldCheck();
    health.register('database', check);
    const first = health.report();

    // when nine more probes arrive before it answers
    const others = Array.from({ length: 9 }, () => health.report());
    held.answer();
    const reports = await Promise.all([first, ...others]);

    // then the check ran once, and every probe got its report
    expect(held.calls).toBe(1);
    expect(new Set(reports.map((r) => r.components.database!.call))).toEqual(new Set([1]));
  });

  it('makes a new report for a probe arriving after the last one was answered', async () => {
    // given a report already answered
    const health = new HealthService();
    const { held, check } = heldCheck();
    health.register('database', check);
    const first = health.report();
    held.answer();
    await first;

    // when another probe arrives
    const second = health.report();
    held.answer();

    // then its report is a new one
    expect((await second).components.database!.call).toBe(2);
  });

  it('makes a new report after one whose check threw', async () => {
    // given a check that throws once, then answers
    const health = new HealthService();
    let calls = 0;
    health.register('database', async () => {
      calls++;
      if (calls === 1) throw new Error('connection refused');
      return { healthy: true };
    });

    // when it is asked twice, one probe after the other
    const first = await health.report();
    const second = await health.report();

    // then the first says what failed and the second is healthy
    expect(first).toMatchObject({
      healthy: false,
      components: { database: { error: 'connection refused' } },
    });
    expect(second.healthy).toBe(true);
  });
});
