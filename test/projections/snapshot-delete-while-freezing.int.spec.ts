import { deleteSnapshot, getJob, getSnapshot, projections, startSnapshot } from '#projections';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

/**
 * `DELETE /admin/snapshots/:id` while the runner freezes the snapshot's last slot (API.md: `204`).
 * The runner's batch locks the slot's checkpoint row, then marks the snapshot ready in the same
 * transaction (batch-step.ts `applyToSlot`, `finishSlot`). A delete that took the snapshot row first
 * and then waited for that slot closed a lock cycle: PostgreSQL aborted the delete ("deadlock
 * detected") and the route answered 500. The runner's transaction is played here statement by
 * statement, so that the delete arrives exactly between its two locks.
 */
describe('deleting a snapshot while the runner freezes it', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await projectionFixture('proj_snapshot_delete');
    await f.append('unit-u1', 'UnitRegistered', {
      unitId: 'u1',
      name: 'Đoàn phường 1',
      kind: 'ward',
    });
  });
  afterAll(() => f.close());

  it('waits for the runner, then deletes the snapshot, retires its slots and fails its job', async () => {
    // given a snapshot still building (no runner is started: its slots stay 'building')
    const { jobId, snapshotId } = await startSnapshot(f.pool, f.store, projections, {
      toPosition: f.lastPosition,
    });
    const runner = await f.pool.connect();
    try {
      // and the runner holding one of its slots, as applyToSlot does before applying a batch
      await runner.query('BEGIN');
      await runner.query(
        `SELECT * FROM projection_checkpoints WHERE snapshot_id = $1 AND projection = 'audit-trail' FOR UPDATE`,
        [snapshotId],
      );

      // when the operator deletes the snapshot
      const deleted = deleteSnapshot(f.pool, snapshotId).then(
        (found) => ({ found }),
        (error: Error) => ({ error: error.message }),
      );
      await waitForLockWait();
      // and the runner freezes that slot, the snapshot's last, and marks the snapshot ready
      await runner.query(
        `UPDATE projection_snapshots SET state = 'ready', ready_at = now() WHERE id = $1 AND state = 'building'`,
        [snapshotId],
      );
      await runner.query('COMMIT');

      // then the delete went through after the runner's commit, not into a deadlock
      expect(await deleted).toEqual({ found: true });
      expect(await getSnapshot(f.pool, snapshotId)).toBeNull();
      const slots = await f.pool.query<{ state: string }>(
        `SELECT DISTINCT state FROM projection_checkpoints WHERE snapshot_id = $1`,
        [snapshotId],
      );
      expect(slots.rows).toEqual([{ state: 'retired' }]);
      expect(await getJob(f.pool, jobId)).toMatchObject({ state: 'failed' });
    } finally {
      await runner.query('ROLLBACK').catch(() => undefined);
      runner.release();
    }
  });

  /** The delete has reached the slot the runner holds: a session of this database waits on a lock. */
  async function waitForLockWait(): Promise<void> {
    for (;;) {
      const { rows } = await f.pool.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (rows[0]!.waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
});
