import {
  SetMetadata,
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { Actor, Role } from './actor.js';

export const PUBLIC_KEY = 'platform:public';
export const ROLES_KEY = 'platform:roles';
export const QUERY_TOKEN_KEY = 'platform:query-token';

/**
 * The route needs no token (/health, /docs, the dashboard page). /docs says so from the same mark
 * (`x-public`: the route gets no security requirement, apps/api openapi.ts).
 */
export const Public = () =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));

/** The name of the security scheme of `?access_token=` in /docs (apps/api openapi.ts declares it). */
export const QUERY_TOKEN_SCHEME = 'access_token';

/**
 * Only these roles may call the route (403 for the others). Without it, any valid token may. /docs
 * says so from the same list (`x-roles`).
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));

/**
 * The route also takes its token as `?access_token=` (RFC 6750, section 2.3), for browsers' EventSource,
 * which cannot send an Authorization header. Only for read-only streams: a URL ends up in logs and
 * history, so commands never accept it.
 */
export const QueryToken = () =>
  applyDecorators(
    SetMetadata(QUERY_TOKEN_KEY, true),
    // either one: /docs said bearer only, and a client that followed it could not open the stream
    // from an EventSource
    ApiSecurity('bearer'),
    ApiSecurity(QUERY_TOKEN_SCHEME),
  );

/** The caller, as the auth guard verified it: `{ sub, role, unitId? }`. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
    if (!actor) throw new Error('CurrentActor used on a @Public() route');
    return actor;
  },
);

/**
 * When (epoch ms) the caller's token stops being accepted, for what outlives the request it came
 * with: a stream that a token opened ends when the token would be refused.
 */
export const TokenUsableUntil = createParamDecorator(
  (_data: unknown, context: ExecutionContext): number => {
    const until = context
      .switchToHttp()
      .getRequest<{ tokenUsableUntil?: number }>().tokenUsableUntil;
    if (until === undefined) throw new Error('TokenUsableUntil used on a @Public() route');
    return until;
  },
);
