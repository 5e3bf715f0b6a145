import request from 'supertest';
import { LiveStreamSlots } from '../../apps/api/src/queries/live/live-stream-slots.js';
import { startTestApp, type TestApp } from './test-app.js';
import { LiveListener } from './support/live-listener.js';
import { until } from './support/until.js';

/**
 * Found by fuzzing the HTTP methods: a HEAD of `/events/live` (Express answers HEAD with the GET
 * route) opened a stream, but Node sends nothing of a HEAD answer before it ends, so the client got
 * no answer at all while the request held a live-stream slot until its token expired. A HEAD asks
 * for the headers a GET would get (RFC 9110 §9.3.2): it gets them at once and holds nothing.
 */
describe('HEAD /events/live', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp('platform_live_head', { worker: false, liveStreamsMax: 1 });
    token = (await t.bearer({ sub: 'uptime-probe', role: 'viewer' })).slice('Bearer '.length);
  });
  afterAll(async () => {
    await t?.close();
  });
  const slots = () => t.app.get(LiveStreamSlots).count;

  it("answers the stream's headers without a body, and keeps no slot", async () => {
    // given a server that keeps a single live stream
    // when a monitor asks HEAD /events/live (bounded: before, no answer ever came)
    const head = await request(t.server)
      .head('/events/live')
      .set('Authorization', `Bearer ${token}`)
      .timeout(20_000);

    // then it gets the headers a GET gets, and no stream
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/event-stream');
    expect(slots()).toBe(0);
    // and the one slot is still there for a dashboard
    const dashboard = new LiveListener(await t.url(), token);
    try {
      await until(() => dashboard.received('ready') === 1, 10_000);
    } finally {
      dashboard.close();
    }
  });
});
