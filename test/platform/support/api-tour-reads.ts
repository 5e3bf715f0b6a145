import pg from 'pg';
import { checkpointCoveringAll } from '../../audit-log/audit-log-kit.js';
import { auditor, campaign, operator, viewer, volunteer, type Tour } from './api-tour.js';

/** Every read on the seeded data, once the log is signed up to its end; answers that position. */
export async function tourReads(t: Tour): Promise<number> {
  const { kit, x, get, must } = t;
  // --- the log, signed up to here, and the reads on it
  // (the kit's wait asks for sizes from the total up: the oldest hundred may all be smaller)
  const last = await checkpointCoveringAll(kit);
  const first = await must(200, get('/audit/log/checkpoints?limit=1', auditor));
  const sizes = [(first.body.checkpoints as { treeSize: number }[])[0]!.treeSize, last.treeSize];
  const position = Number(
    (await kit.sql<{ p: string }>('SELECT max(global_position)::text AS p FROM events'))[0]!.p,
  );
  const fresh = `minPosition=${position}`;

  await must(200, get('/campaigns', viewer));
  await must(200, get(`/campaigns/${campaign}/progress?${fresh}`, viewer));
  await must(200, get('/campaigns/oc-campaign/progress', viewer));
  await must(404, get('/campaigns/oc-nowhere/progress', viewer));
  await must(
    400,
    get(`/campaigns/${campaign}/progress?minPosition=soon`, viewer, { request: 'invalid' }),
  );
  await must(400, get(`/campaigns/${campaign}/progress?colour=red`, viewer, { request: 'skip' }));
  await must(
    504,
    get(`/campaigns/${campaign}/progress?minPosition=${position + 1_000_000}`, viewer),
  );
  await must(
    200,
    get(
      `/leaderboards/members?metric=citizensAssisted&campaignId=${campaign}&from=2025-08-01&to=2025-08-31&limit=5`,
      viewer,
    ),
  );
  await must(
    200,
    get(
      '/leaderboards/members?metric=verifiedHours&unitId=cd25-ward-ben-thanh&from=2025-08-01T00:00:00%2B07:00&tz=Asia/Ho_Chi_Minh',
      viewer,
    ),
  );
  await must(400, get('/leaderboards/members?metric=hours', viewer, { request: 'invalid' }));
  await must(400, get('/leaderboards/members?limit=0', viewer, { request: 'invalid' }));
  await must(400, get('/leaderboards/members?limit=2.5', viewer, { request: 'invalid' }));
  await must(400, get('/leaderboards/members?limit=501', viewer, { request: 'invalid' }));
  await must(400, get('/leaderboards/members?from=1999-12-31', viewer, { request: 'invalid' }));
  await must(400, get('/leaderboards/members?tz=Mars/Olympus', viewer, { request: 'skip' }));
  await must(200, get('/leaderboards/units?metric=clubs&parentId=cd25-district-1&limit=3', viewer));
  await must(200, get('/leaderboards/units?metric=posts', viewer));
  await must(200, get('/units/cd25-district-1/summary', viewer));
  await must(404, get('/units/oc-nowhere/summary', viewer));
  // API.md: 404 for an unknown id, on every route that names one
  for (const read of ['cadence', 'digital-skills', 'programmes'])
    await must(404, get(`/units/oc-nowhere/${read}`, viewer));
  await must(404, get('/leaderboards/units?parentId=oc-nowhere', viewer));
  await must(404, get('/leaderboards/members?unitId=oc-nowhere', viewer));
  await must(404, get('/leaderboards/members?campaignId=oc-nowhere', viewer));
  await must(404, get('/members?unitId=oc-nowhere', viewer));
  await must(200, get('/units/cd25-district-1/cadence', viewer));
  await must(200, get('/units/cd25-district-1/digital-skills', viewer));
  const programmes = await must(
    200,
    get('/units/cd25-district-1/programmes?from=2025-01-01&to=2026-12-31&limit=2', viewer),
  );
  await must(
    200,
    get(`/units/cd25-district-1/programmes?limit=2&after=${String(programmes.body.next)}`, viewer),
  );
  await must(200, get('/units/oc-unit/programmes?kind=training', viewer));
  await must(400, get('/units/oc-unit/programmes?kind=party', viewer, { request: 'invalid' }));
  await must(200, get('/members?unitId=cd25-team&limit=5', viewer));
  const page = await must(200, get('/members?unitId=cd25-team&limit=5', viewer));
  await must(200, get(`/members?unitId=cd25-team&limit=5&after=${String(page.body.next)}`, viewer));
  await must(200, get('/members?unitId=oc-unit', viewer));
  await must(400, get('/members?limit=ten', viewer, { request: 'invalid' }));
  await must(
    200,
    get('/audit/members/cd25-member-01/hours?from=2025-08-01&to=2025-08-31', auditor),
  );
  await must(200, get('/audit/members/oc-m1/hours', auditor));
  await must(200, get('/audit/members/oc-m2/hours', auditor));
  await must(
    200,
    get('/audit/members/cd25-member-01/hours?from=2025-08-01&to=2025-08-31', auditor, {
      headers: { Accept: 'text/csv' },
    }),
  );
  await must(403, get('/audit/members/cd25-member-01/hours', viewer));
  await must(404, get('/audit/members/oc-nowhere/hours', auditor));
  const stream = await must(200, get('/audit/streams/shift-oc-s1', auditor));
  const [event] = (stream.body.events as { eventId: string }[] | undefined) ?? [
    { eventId: 'none' },
  ];
  await must(200, get('/audit/streams/shift-oc-s1/verify', auditor));
  await must(404, get('/audit/streams/shift-oc-nowhere', auditor));
  await must(404, get('/audit/streams/shift-oc-nowhere/verify', auditor));
  await must(404, get('/audit/members/oc-nowhere/certificate', auditor));
  await must(200, get('/audit/members/oc-m1/certificate', auditor));
  await must(200, get('/audit/members/oc-m2/certificate', auditor));
  await must(200, get('/audit/log/key', viewer));
  await must(200, get('/audit/log/checkpoint', viewer));
  await must(200, get('/audit/log/checkpoints?fromSize=1&limit=2', auditor));
  await must(403, get('/audit/log/checkpoints', viewer));
  await must(400, get('/audit/log/checkpoints?limit=1001', auditor, { request: 'invalid' }));
  await must(200, get(`/audit/log/events/${event!.eventId}/inclusion`, auditor));
  await must(
    200,
    get(`/audit/log/events/${event!.eventId}/inclusion?treeSize=${sizes.at(-1)}`, auditor),
  );
  await must(
    400,
    get(
      `/audit/log/events/${event!.eventId}/inclusion?treeSize=${sizes.at(-1)! + 7_777}`,
      auditor,
      { request: 'skip' },
    ),
  );
  await must(404, get('/audit/log/events/00000000-0000-4000-8000-000000000000/inclusion', auditor));
  await must(200, get(`/audit/log/consistency?from=${sizes[0]}&to=${sizes.at(-1)}`, operator));
  await must(400, get(`/audit/log/consistency?from=${sizes[0]}`, operator, { request: 'invalid' }));
  await must(
    200,
    get('/audit/members/cd25-member-01/certificate?from=2025-08-01&to=2025-08-31', auditor),
  );
  await must(200, get('/audit/members/cd25-member-01/certificate', volunteer));
  await must(403, get('/audit/members/cd25-member-02/certificate', volunteer));
  for (const inQuery of [false, true])
    await must(
      200,
      x.openStream('/events/live', viewer, inQuery).then(({ status }) => ({ status, text: '' })),
    );

  return position;
}

/** Projections, rebuild jobs and snapshots, and the reads from a snapshot. */
export async function tourAdmin(t: Tour, position: number): Promise<void> {
  const { get, post, del, must } = t;
  // --- admin: projections, jobs, snapshots
  await must(200, get('/admin/projections', operator));
  await must(403, get('/admin/projections', auditor));
  const job = await must(
    202,
    post('/admin/projections/rebuild', operator, { projection: 'posting-cadence' }),
  );
  await must(200, get(`/admin/jobs/${String(job.body.id)}`, operator));
  await must(404, get('/admin/jobs/00000000-0000-4000-8000-000000000000', operator));
  await must(
    400,
    post('/admin/projections/rebuild', operator, { projection: 'no-such' }, { request: 'invalid' }),
  );
  await must(202, post('/admin/projections/rebuild', operator, { toPosition: position }));
  await must(
    400,
    post(
      '/admin/projections/rebuild',
      operator,
      { projection: 'audit-trail', toPosition: position },
      { request: 'skip' },
    ),
  );
  const snap = await must(
    202,
    post('/admin/snapshots', operator, { id: 'oc-snap', toPosition: position }),
  );
  await must(
    202,
    post('/admin/snapshots', operator, { id: 'oc-snap-t', toTime: '2025-08-31T23:59:59+07:00' }),
  );
  await must(409, post('/admin/snapshots', operator, { id: 'oc-snap', toPosition: position - 1 }));
  // read at once, a snapshot may still be building (409) or ready (200): either is held to /docs
  await get('/leaderboards/units?snapshot=oc-snap-t', auditor);
  await must(
    400,
    post(
      '/admin/snapshots',
      operator,
      { toPosition: 1, toTime: '2025-08-31T23:59:59+07:00' },
      { request: 'skip' },
    ),
  );
  await must(
    400,
    post('/admin/snapshots', operator, { toPosition: 'soon' }, { request: 'invalid' }),
  );
  for (;;) {
    const list = await must(200, get('/admin/snapshots', operator));
    const states = (list.body.snapshots as { state: string }[]).map((s) => s.state);
    if (states.every((s) => s !== 'building')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await must(200, get(`/admin/jobs/${String(snap.body.id)}`, operator));
  await must(200, get(`/campaigns/${campaign}/progress?snapshot=oc-snap`, auditor));
  await must(200, get('/leaderboards/members?snapshot=oc-snap-t', auditor));
  await must(200, get('/units/cd25-district-1/summary?snapshot=oc-snap', auditor));
  await must(200, get('/members?snapshot=oc-snap', auditor));
  await must(200, get('/audit/members/oc-m1/hours?snapshot=oc-snap', auditor));
  await must(404, get(`/campaigns/${campaign}/progress?snapshot=oc-gone`, auditor));
  await must(400, get('/audit/streams/shift-oc-s1?snapshot=oc-snap', auditor, { request: 'skip' }));
  await must(204, del('/admin/snapshots/oc-snap-t', operator));
  await must(404, del('/admin/snapshots/oc-snap-t', operator));
}

/** The database away: 503 with Retry-After, for a command and a read. */
export async function tourOutage(t: Tour): Promise<void> {
  const { kit, get, post, must } = t;
  // --- the database away: 503 with Retry-After, for a command and a read
  const admin = new pg.Client({
    connectionString: kit.databaseUrl.replace(/\/[^/]+$/, '/postgres'),
  });
  await admin.connect();
  const name = new URL(kit.databaseUrl).pathname.slice(1);
  try {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      name,
    ]);
    await must(
      503,
      post('/units', operator, {
        id: 'oc-away',
        name: 'Vắng',
        kind: 'branch',
        parentId: 'cd25-team',
      }),
    );
    await must(503, get('/units/cd25-district-1/summary', viewer));
  } finally {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
  }
}
