import type { Actor, Authorizer } from '#platform';
import type { CommandEnvelope } from './handle-command.js';

/**
 * The envelope of a command that creates the record `id` (resolveCreationId) on `streamId`: the id is
 * the command's id and the one answered, and the request recorded is the body with that id, so a
 * resend under the same Idempotency-Key without an `id` is the same request.
 */
export const creationEnvelope = (
  actor: Actor,
  route: string,
  id: string,
  body: object,
  streamId: string,
): CommandEnvelope => ({ route, commandId: id, request: { ...body, id }, actor, id, streamId });

/**
 * The `authorize` step of a command that creates a record in the unit `unitId`: who may act on that
 * unit (named in the refusal: the client named it). A unit nobody registered is the decider's 404
 * `unit_not_found`, not a 403. An id taken already names that record: only who may act on its unit
 * hears its answer (after a member's erasure that answer holds for any body, see CommandLog).
 */
export const authorizeCreationInUnit =
  (authorizer: Authorizer, actor: Actor, unitId: string, unitExists: boolean) =>
  async (state: Readonly<{ unitId: string }> | null): Promise<void> => {
    if (state) await authorizer.assertCanActOnUnit(actor, state.unitId);
    if (unitExists) await authorizer.assertCanActOnUnit(actor, unitId, true);
  };
