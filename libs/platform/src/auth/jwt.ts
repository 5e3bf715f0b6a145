import { SignJWT, jwtVerify, errors } from 'jose';
import { freeTextProblem } from '#domain';
import { isRole, type Actor } from './actor.js';

const ALGORITHM = 'HS256';
const keyOf = (secret: string) => new TextEncoder().encode(secret);

/**
 * The longest lifetime of a token, in days: the CLI mints none longer (`token --ttl`), and the server
 * refuses one whose `exp` lies further ahead. Tokens cannot be revoked one by one (only all at once, by
 * rotating the secret), so a leaked one must end: a year, plus the day of a leap year, covers the
 * longest-lived holders (a wall screen or a metrics scraper, renewed once a year).
 */
export const MAX_TOKEN_TTL_DAYS = 366;
export const MAX_TOKEN_TTL_SECONDS = MAX_TOKEN_TTL_DAYS * 86_400;

/** Mints a token for `actor` (the CLI's `token` command, and tests). `ttlSeconds` defaults to 12 h. */
export async function signToken(
  actor: Actor,
  secret: string,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  if (ttlSeconds > MAX_TOKEN_TTL_SECONDS)
    throw new RangeError(`a token lives at most ${MAX_TOKEN_TTL_DAYS} days`);
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

/**
 * Verifies signature, algorithm, expiry and issue time, then the claims this API needs. API.md: every token
 * carries `exp` (a token without one would never expire), no further ahead than MAX_TOKEN_TTL_DAYS
 * (a token valid for centuries is as good as one without), and a coordinator's or a volunteer's token
 * always carries a `unitId` (without one it would act on, and list the members of, the whole tree,
 * which only operators, auditors and viewers may). A
 * token breaking either rule is a bad token, hence 401 like any other, not a 403 that would treat it as
 * a valid identity asking for too much.
 */
export async function verifyToken(token: string, secret: string): Promise<VerifiedToken> {
  const known = verified.get(token);
  if (known && known.secret === secret && Date.now() < known.token.usableUntil) return known.token;
  return verifyAnew(token, secret);
}

/** Who the token speaks for, and until when (epoch ms) it is accepted: its `exp`, give or take the clocks. */
export type VerifiedToken = Readonly<{ actor: Actor; usableUntil: number }>;

const clockTolerance = 30;

/**
 * Tokens verified lately, so that a client sending the same token with every request costs one map
 * lookup instead of a signature check (12 % of the API's CPU samples under load, measured). The same
 * token string verifies the same way until its `exp`, which is checked on every use; failures are not
 * kept. Bounded: the oldest goes first.
 */
const verified = new Map<string, { secret: string; token: VerifiedToken }>();
const maxVerified = 10_000;

async function verifyAnew(token: string, secret: string): Promise<VerifiedToken> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      clockTolerance,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new InvalidToken('the token has expired');
    if (error instanceof errors.JOSEError)
      throw new InvalidToken(`the token is not valid (${error.code})`);
    throw new InvalidToken('the token is not valid');
  }
  const { sub, role, unitId } = payload as { sub?: unknown; role?: unknown; unitId?: unknown };
  if (typeof payload.exp !== 'number')
    throw new InvalidToken('the token has no expiry (exp); every token must carry one');
  if (payload.exp - Date.now() / 1000 > MAX_TOKEN_TTL_SECONDS + clockTolerance)
    throw new InvalidToken(
      `the token's expiry (exp) lies more than ${MAX_TOKEN_TTL_DAYS} days ahead; no token lives that long`,
    );
  // jose refuses an `nbf` ahead of the clock but reads `iat` only when asked for a maximum age. A token
  // issued later than now comes from a minter whose clock is wrong (its `exp` then means another
  // moment than it says) or claims a time it was not made: refused like one not yet valid, beyond
  // the same tolerance (google-auth-library's verifier refuses such a token too). A token
  // without `iat` stays acceptable: API.md asks only for `exp`.
  if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + clockTolerance)
    throw new InvalidToken(
      "the token's issue time (iat) lies in the future; check the clock of whatever minted it",
    );
  if (typeof sub !== 'string' || !sub) throw new InvalidToken('the token has no subject (sub)');
  // The subject is recorded with every event the token writes, and the unit is looked up: a NUL or a
  // lone surrogate, which PostgreSQL cannot store, made such a signed token a 500 on every route.
  const requireStorableClaim = (name: string, value: string) => {
    const problem = freeTextProblem(value, 'actor');
    if (problem) throw new InvalidToken(`the token's ${name} ${problem}`);
  };
  requireStorableClaim('sub', sub);
  if (!isRole(role))
    throw new InvalidToken(
      `the token's role ${JSON.stringify(role)} is not one of volunteer, coordinator, operator, auditor, viewer`,
    );
  if (unitId !== undefined && (typeof unitId !== 'string' || !unitId))
    throw new InvalidToken("the token's unitId must be a non-empty string");
  if (unitId !== undefined) requireStorableClaim('unitId', unitId);
  if ((role === 'coordinator' || role === 'volunteer') && unitId === undefined)
    throw new InvalidToken(`a ${role}'s token must carry the unitId of its subtree`);
  const actor: Actor = unitId ? { sub, role, unitId } : { sub, role };
  if (verified.size >= maxVerified) verified.delete(verified.keys().next().value!);
  const known = { actor, usableUntil: (payload.exp + clockTolerance) * 1000 };
  verified.set(token, { secret, token: known });
  return known;
}
