import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from './actor.js';

export const PUBLIC_KEY = 'platform:public';
export const ROLES_KEY = 'platform:roles';

/** The route needs no token (/health, /docs, /metrics, the dashboard page). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (403 for the others). Without it, any valid token may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The caller, as the auth guard verified it: `{ sub, role, unitId? }`. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('CurrentActor used on a @Public() route');
  return actor;
});
