import type { Actor } from '#platform';
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
