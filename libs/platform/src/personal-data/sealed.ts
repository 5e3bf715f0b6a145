/**
 * A personal value as it is stored inside event data: encrypted (AES-256-GCM) under the key of its
 * data subject. JSON-safe, so it travels in the event's `data` like any other value.
 */
export type SealedValue = Readonly<{
  $sealed: 1;
  /** The data subject whose key encrypts it, e.g. `member-42`. */
  subject: string;
  /** base64 */
  iv: string;
  /** base64 GCM authentication tag */
  tag: string;
  /** base64 ciphertext */
  data: string;
}>;

export function isSealed(value: unknown): value is SealedValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.$sealed === 1 &&
    typeof v.subject === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.tag === 'string' &&
    typeof v.data === 'string'
  );
}

/** Every sealed value inside `value`, at any depth. */
export function collectSealed(value: unknown, into: SealedValue[] = []): SealedValue[] {
  if (isSealed(value)) into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectSealed(v, into));
  else if (typeof value === 'object' && value !== null)
    Object.values(value).forEach((v) => collectSealed(v, into));
  return into;
}

/** A copy of `value` with every sealed value replaced by `open(sealed)`. */
export function replaceSealed(
  value: unknown,
  open: (sealed: SealedValue) => string | null,
): unknown {
  if (isSealed(value)) return open(value);
  if (Array.isArray(value)) return value.map((v) => replaceSealed(v, open));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSealed(v, open)]));
  }
  return value;
}
