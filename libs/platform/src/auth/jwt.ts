import { SignJWT, jwtVerify, errors } from 'jose';
import { isRole, type Actor } from './actor.js';

const ALGORITHM = 'HS256';
const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** Mints a token for `actor` (the CLI's `token` command, and tests). `ttlSeconds` defaults to 12 h. */
export async function signToken(
  actor: Actor,
  secret: string,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  const claims: Record<string, string> = { role: actor.role };
  if (actor.unitId) claims.unitId = actor.unitId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(actor.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keyOf(secret));
}

export class InvalidToken extends Error {
  override name = 'InvalidToken';
}

/** Verifies signature, algorithm and expiry, then the claims this API needs. */
export async function verifyToken(token: string, secret: string): Promise<Actor> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      clockTolerance: 30,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new InvalidToken('the token has expired');
    if (error instanceof errors.JOSEError)
      throw new InvalidToken(`the token is not valid (${error.code})`);
    throw new InvalidToken('the token is not valid');
  }
  const { sub, role, unitId } = payload as { sub?: unknown; role?: unknown; unitId?: unknown };
  if (typeof sub !== 'string' || !sub) throw new InvalidToken('the token has no subject (sub)');
  if (!isRole(role))
    throw new InvalidToken(
      `the token's role ${JSON.stringify(role)} is not one of volunteer, coordinator, operator, auditor, viewer`,
    );
  if (unitId !== undefined && (typeof unitId !== 'string' || !unitId))
    throw new InvalidToken("the token's unitId must be a non-empty string");
  return unitId ? { sub, role, unitId } : { sub, role };
}
