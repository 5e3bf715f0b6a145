/**
 * Whether an `Accept` header asks for the CSV form of a read that answers JSON otherwise (API.md:
 * audit hours, "also Accept: text/csv"). Quality values decide (RFC 9110 §12.5.1): CSV when the client
 * names `text/csv` with a weight above zero and above the weight it gives `application/json`; JSON when
 * the weights tie, when JSON is not named either way but CSV is refused, and when CSV is not named
 * (`*` ranges alone never switch a client to CSV). A type listed twice counts with its first weight.
 */
export function acceptsCsvFirst(accept: string | undefined): boolean {
  if (!accept) return false;
  const weights = new Map<string, number>();
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (!type || weights.has(type)) continue;
    const q = params.find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(type, Number.isFinite(weight) ? weight : 0);
  }
  const csv = weights.get('text/csv');
  if (csv === undefined || csv <= 0) return false;
  const json = weights.get('application/json');
  return json === undefined || csv > json;
}
