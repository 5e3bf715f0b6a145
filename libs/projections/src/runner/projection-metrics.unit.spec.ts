import { register } from 'prom-client';
import { registerProjectionMetrics } from './projection-metrics.js';
import type { ProjectionStatus } from './projection-status.js';

describe('projection gauges on /metrics', () => {
  it('read the projections once for both gauges and for scrapes that arrive together', async () => {
    // given a status source that counts its readings
    let readings = 0;
    const status: ProjectionStatus = {
      name: 'volunteer-activity',
      version: 12,
      generation: 1,
      state: 'live',
      checkpoint: '42',
      head: '50',
      lag: 3,
      jobId: null,
    };
    registerProjectionMetrics(async () => {
      readings++;
      await new Promise((done) => setTimeout(done, 20));
      return [status];
    });

    // when three scrapes arrive together
    const scrapes = await Promise.all([register.metrics(), register.metrics(), register.metrics()]);

    // then the projections were read once, and every scrape shows both gauges
    expect(readings).toBe(1);
    for (const text of scrapes) {
      expect(text).toContain(
        'projection_checkpoint{projection="volunteer-activity",version="12",state="live"} 42',
      );
      expect(text).toContain(
        'projection_lag_events{projection="volunteer-activity",version="12",state="live"} 3',
      );
    }

    // and a later scrape reads them again
    await register.metrics();
    expect(readings).toBe(2);
  });
});
