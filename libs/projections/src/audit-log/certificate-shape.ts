import { isJsonObject } from '#domain';

/**
 * What an hours certificate must hold before `checkCertificate` reads it (API.md "Verifiable log"):
 * the first field that is not what the issuer writes, named by its path, or null. The checker reads
 * a file anyone may have edited: a missing array stopped it on "Cannot read properties of undefined",
 * and a leaf index given as a string or a proof hash with junk around its base64 passed, where Go's
 * tlog refuses both.
 */
export function certificateShapeProblem(certificate: unknown): string | null {
  if (!isJsonObject(certificate)) return 'the certificate is not a JSON object';
  const top = certificate;
  if (typeof top.memberId !== 'string') return 'memberId must be a string';
  if (typeof top.verifiedHours !== 'number') return 'verifiedHours must be a number';
  if (typeof top.checkpoint !== 'string') return 'checkpoint must be a signed note (a string)';
  if (top.attestation !== undefined && typeof top.attestation !== 'string')
    return 'attestation must be a signed note (a string)';
  if (!Array.isArray(top.shifts)) return 'shifts must be an array';
  for (const [i, shift] of top.shifts.entries()) {
    const at = `shifts[${i}]`;
    if (!isJsonObject(shift)) return `${at} must be an object`;
    if (typeof shift.shiftId !== 'string') return `${at}.shiftId must be a string`;
    if (shift.campaignId !== null && typeof shift.campaignId !== 'string')
      return `${at}.campaignId must be a string or null`;
    if (shift.hours !== null && typeof shift.hours !== 'number')
      return `${at}.hours must be a number or null`;
    if (!Array.isArray(shift.events)) return `${at}.events must be an array`;
    for (const [j, event] of shift.events.entries()) {
      const problem = eventShapeProblem(event);
      if (problem) return `${at}.events[${j}]${problem}`;
    }
  }
  return null;
}

function eventShapeProblem(event: unknown): string | null {
  if (!isJsonObject(event)) return ' must be an object';
  for (const field of ['streamId', 'eventId', 'type'] as const)
    if (typeof event[field] !== 'string') return `.${field} must be a string`;
  for (const field of ['streamVersion', 'schemaVersion', 'leafIndex'] as const)
    if (!isIndex(event[field])) return `.${field} must be a whole number, 0 or more`;
  if (!isJsonObject(event.metadata)) return '.metadata must be an object';
  // data is carried as stored, which a writer past the API's gate may have left null or not an object
  // (#domain readableEvent): the chain hash covers that form, and the fold passes it over
  if (!Object.hasOwn(event, 'data')) return '.data must be there (any JSON value, as stored)';
  if (event.previousHash !== null && !isHexHash(event.previousHash))
    return '.previousHash must be null or 64 lowercase hex digits';
  if (!isHexHash(event.hash)) return '.hash must be 64 lowercase hex digits';
  if (!Array.isArray(event.inclusion) || !event.inclusion.every(isBase64Hash))
    return '.inclusion must be an array of hashes, each 32 bytes in standard base64';
  return null;
}

const isIndex = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isHexHash = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
/** Exactly what the issuer writes: Buffer.from decodes past junk, so the text is compared back. */
const isBase64Hash = (value: unknown) =>
  typeof value === 'string' &&
  Buffer.from(value, 'base64').length === 32 &&
  Buffer.from(value, 'base64').toString('base64') === value;
