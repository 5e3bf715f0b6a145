const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses `64kb`, `1mb`, `65536` (bytes) the way body-parser does; undefined when not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!;
  return Number.isFinite(bytes) && bytes >= 1 ? Math.floor(bytes) : undefined;
}
