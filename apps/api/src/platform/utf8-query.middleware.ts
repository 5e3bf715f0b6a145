import { validationFailed, type FieldError } from '#platform';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A query component as decoded text, or undefined when it is not percent-encoded UTF-8. */
const decoded = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

/**
 * A query string is percent-encoded UTF-8 (RFC 3986 §2.5). Express's parser (node:querystring) read a
 * sequence that is not (`%FF`, an encoded surrogate `%ED%A0%80`, a stray `%`) as U+FFFD or as typed,
 * so `GET /members?after=%FF` answered an empty page for the cursor "\uFFFD", as if it were real.
 * Refused as a body that is not UTF-8 is (utf8-body.ts): a 400 naming the parameter, never its value
 * (a query may carry `?access_token=`).
 */
export function refuseMalformedQuery(
  request: IncomingMessage & { originalUrl?: string },
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const url = request.originalUrl ?? request.url ?? '';
  const start = url.indexOf('?');
  if (start < 0) return next();
  const errors: FieldError[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = decoded(eq < 0 ? pair : pair.slice(0, eq));
    if (name === undefined || (eq >= 0 && decoded(pair.slice(eq + 1)) === undefined))
      errors.push({
        field: name ?? '(query parameter name)',
        message:
          'must be percent-encoded UTF-8 (it holds a byte sequence that encodes no character)',
      });
  }
  next(errors.length ? validationFailed(errors) : undefined);
}
