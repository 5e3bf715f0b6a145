import { HORIZON } from '#event-store';
import { directoryEventTypes } from './directory.projector.js';

/** The name of the directory's checkpoint row (cmd_directory_checkpoint). */
export const directoryCheckpoint = 'directory';

/**
 * Whether the directory already holds what a directory event says, as the projector's own guards
 * decide it (directory.projector.ts): a unit registered has its row; a shift event has its shift's
 * row at its stream version or later. What this process, or another API process, appended through a
 * command wrote those rows in the transaction of its append.
 */
const APPLIED = `CASE WHEN e.type = 'UnitRegistered'
    THEN EXISTS (SELECT 1 FROM cmd_units u WHERE u.unit_id = e.data->>'unitId')
    ELSE EXISTS (SELECT 1 FROM cmd_shifts s WHERE s.shift_id = e.data->>'shiftId' AND s.version >= e.version)
  END`;

const types = directoryEventTypes.map((type) => `'${type}'`).join(', ');

/**
 * The directory's catch-up question (DirectoryService.question), prepared once on each connection of
 * the command side's write pool (CommandDatabase), where guarded commands ask it: planned on every
 * ask, it cost more CPU than the catch-up messages it saves (0.3 ms against 0.05 ms a run, measured).
 * One statement, hence one snapshot: the feed's horizon, the table's checkpoint, and the first
 * directory event the directory lacks between the checkpoint ($1, this process's, or the table's,
 * whichever is further) and the horizon, if any. Only events below the horizon are scanned: those
 * above it are not final yet (nothing is concluded from them), and with many commands under way each
 * question would check the newest events of all the others again; bounded, a question checks about
 * the events that became final since the last one. Needs the PostgreSQL event store's table in the
 * command database.
 */
export const prepareDirectoryQuestion = `PREPARE cmd_directory_question(bigint) AS
  WITH c AS (SELECT coalesce((SELECT position FROM cmd_directory_checkpoint WHERE name = '${directoryCheckpoint}'), 0) AS persisted,
                    ${HORIZON} AS horizon)
  SELECT c.horizon::text AS horizon, c.persisted::text AS persisted,
    (SELECT e.global_position FROM events e
      WHERE e.global_position > GREATEST(c.persisted, $1) AND e.global_position < c.horizon
        AND e.type = ANY(ARRAY[${types}]::text[]) AND NOT (${APPLIED})
      ORDER BY e.global_position LIMIT 1)::text AS pending
  FROM c`;

/** The question asked after `position` (a statement for WriteTransaction's message: Locks.ask). */
export const askDirectoryQuestion = (position: bigint) =>
  `EXECUTE cmd_directory_question(${position.toString()})`;

/** The answer to the question. */
export type DirectoryAnswer = { horizon: string; persisted: string; pending: string | null };
