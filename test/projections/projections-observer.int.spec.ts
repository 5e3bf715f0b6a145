import { HealthService } from '#platform';
import { ProjectionsObserver } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An API process started with RUN_WORKER=false leaves the projections to a worker apart. Its /health
 * said `ok` and nothing more while no worker ran: dashboards stood still, and nothing told an operator.
 */
describe('the projections as seen by a process that does not run them', () => {
  let f: Fixture;
  let observer: ProjectionsObserver;
  beforeAll(async () => {
    f = await projectionFixture('proj_observer');
    observer = new ProjectionsObserver(f.pool, f.store, new HealthService(), 300);
  });
  afterAll(() => f?.close());

  it('reports the lag, calls live slots that stand still while events wait stalled, and clears it once they move', async () => {
    // given events that no runner has projected
    await f.append('unit-o1', 'UnitRegistered', { unitId: 'o1', name: 'Phường 1', kind: 'ward' });
    await f.append('unit-o2', 'UnitRegistered', { unitId: 'o2', name: 'Phường 2', kind: 'ward' });

    // when /health first looks, then again after the live checkpoints stood still for longer than allowed
    const first = await observer.report();
    await pause(400);
    const later = await observer.report();

    // then the lag shows at once, and the standstill makes the component unhealthy, naming the worker
    expect(first.healthy).toBe(true);
    expect(first.projections.filter((p) => p.state === 'live').map((p) => p.lag)).toContain(2);
    expect(later.healthy).toBe(false);
    expect(later.error).toMatch(/no live projection has moved .* is the worker running\?/);

    // when a worker projects them
    await f.settle();
    const caughtUp = await observer.report();

    // then the component is healthy again, with no lag
    expect(caughtUp.healthy).toBe(true);
    expect(caughtUp.error).toBeUndefined();
    expect(caughtUp.projections.every((p) => p.lag === 0)).toBe(true);
  });
});
