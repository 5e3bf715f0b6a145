import { validationFailed } from '#platform';

/** An object being read (its names so far, and the path of the last one) or an array (its index). */
type Frame = { path: string; names?: Set<string>; lastName?: string; index: number };

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/**
 * The path of the first name that appears twice in one object of a JSON text, if any (`name`,
 * `dailyWindow.from`, `tags.0.x`); names are compared decoded, so `"\u006eame"` is `name`. One pass,
 * no recursion (the depth limit is the validation pipe's, after the parse). A text that is not JSON
 * may get any answer: the parser, which runs next, refuses it.
 */
export function duplicateName(text: string): string | undefined {
  const stack: Frame[] = [];
  let expectName = false;
  const childPath = (): string => {
    const top = stack.at(-1);
    if (!top) return '';
    return top.names ? (top.lastName ?? top.path) : join(top.path, String(top.index));
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      let escaped = false;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') {
          escaped = true;
          i++;
        }
      }
      const top = stack.at(-1);
      if (!expectName || !top?.names) continue;
      expectName = false;
      let name = text.slice(start + 1, i);
      if (escaped) {
        try {
          name = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return undefined;
        }
      }
      top.lastName = join(top.path, name);
      if (top.names.has(name)) return top.lastName;
      top.names.add(name);
    } else if (c === '{') {
      stack.push({ path: childPath(), names: new Set(), index: 0 });
      expectName = true;
    } else if (c === '[') {
      stack.push({ path: childPath(), index: 0 });
    } else if (c === '}' || c === ']') {
      if (!stack.pop()) return undefined;
      expectName = false;
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top?.names) expectName = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}

/**
 * body-parser's `verify`, after the UTF-8 check: a name given twice in one object is refused, 400
 * naming it. JSON.parse keeps the last one, so `{"id":"a","id":"b"}` recorded unit `b` with a 201,
 * while a proxy, a log or an auditor reading the body may take the first: RFC 8259 §4 leaves such a
 * text's meaning to each parser, and I-JSON (RFC 7493 §2.3) forbids it. Only a body the parser would
 * take is refused for it, so that a malformed one still gets the parser's own answer.
 */
export function refuseDuplicateNames(
  _request: unknown,
  _response: unknown,
  body: Buffer,
  encoding: string | null,
): void {
  if (encoding === null || !/^utf-?8$/i.test(encoding)) return;
  const text = body.toString('utf8');
  const field = duplicateName(text);
  if (field === undefined) return;
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return;
  }
  throw validationFailed([
    { field, message: `${field} appears more than once in its object: give each name once` },
  ]);
}
