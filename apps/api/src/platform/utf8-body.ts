import { isUtf8 } from 'node:buffer';

/**
 * body-parser's `verify`: a JSON body sent as UTF-8 must be UTF-8 (RFC 8259 §8.1). Left to the
 * decoder, a byte that is not (0xFF, an overlong form, an encoded surrogate) silently became U+FFFD,
 * and a 201 recorded text the client never sent. Refused as the parser refuses malformed JSON (400,
 * `malformed_json`, problem-mapping.ts); other charsets are iconv's to decode and the gate's to judge.
 */
export function refuseMalformedUtf8(
  _request: unknown,
  _response: unknown,
  body: Buffer,
  encoding: string | null,
): void {
  if (encoding !== null && /^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(
      new Error('it is not valid UTF-8 (a byte sequence that encodes no character)'),
      { status: 400, type: 'entity.parse.failed' },
    );
  }
}
