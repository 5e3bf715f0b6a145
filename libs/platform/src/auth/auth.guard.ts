import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../tokens.js';
import type { AppConfig } from '../config/app-config.js';
import { forbidden, unauthorized } from '../errors/problem.js';
import type { Actor, Role } from './actor.js';
import { PUBLIC_KEY, QUERY_TOKEN_KEY, ROLES_KEY } from './decorators.js';
import { InvalidToken, verifyToken } from './jwt.js';

/** Global guard: every route needs a valid bearer token unless marked @Public(); @Roles narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | undefined>;
      headersDistinct: Record<string, string[] | undefined>;
      query?: Record<string, unknown>;
      actor?: Actor;
      tokenUsableUntil?: number;
    }>();
    const queryToken = this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN_KEY, targets)
      ? request.query?.access_token
      : undefined;
    // Node keeps the first of two Authorization headers and drops the other, which a proxy in front
    // (or its access log) may read instead: RFC 9110 §5.3 makes such a request malformed.
    const sent = request.headersDistinct.authorization?.length ?? 0;
    if (sent > 1)
      throw unauthorized(`The Authorization header must be sent once; this request sent ${sent}.`);
    try {
      const token = await verifyToken(
        this.tokenOf(request.headers.authorization, queryToken),
        this.config.jwtSecret,
      );
      request.actor = token.actor;
      request.tokenUsableUntil = token.usableUntil;
    } catch (error) {
      if (error instanceof InvalidToken)
        throw unauthorized(`Bearer token refused: ${error.message}.`);
      throw error;
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const { role } = request.actor;
    if (roles?.length && !roles.includes(role)) {
      throw forbidden(
        `The role "${role}" may not do this; it needs one of: ${roles.join(', ')}.`,
        'role_not_allowed',
      );
    }
    return true;
  }

  private tokenOf(header: string | undefined, queryToken: unknown): string {
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized('The Authorization header must read "Bearer <jwt>".');
      return match[1]!;
    }
    if (typeof queryToken === 'string' && queryToken !== '') return queryToken;
    if (queryToken !== undefined) throw unauthorized('access_token must be given once, as a JWT.');
    throw unauthorized('This route needs a bearer token: send "Authorization: Bearer <jwt>".');
  }
}
