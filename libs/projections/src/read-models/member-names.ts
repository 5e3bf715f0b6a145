import { isSealed, type SealedValue } from '#platform';

/**
 * Member names stay sealed in the read models too. The log holds a name encrypted under its member's
 * key; the read models keep that same ciphertext and the names are opened when a read is answered. So
 * the database never holds a name in clear: not in a table, not in a dead row version an UPDATE left
 * behind, not in the WAL, not in a snapshot or a retired rebuild. Erasing the member destroys the key,
 * and every copy turns unreadable at once, before the projection has even seen `MemberDataErased`.
 */
export type StoredName = string | SealedValue | null;

/** The `display_name` column: a sealed name as its JSON, a name stored in clear (tests, demo data) as is. */
export function nameColumn(value: unknown): string | null {
  if (isSealed(value)) {
    const { subject, iv, tag, data } = value; // in this order: events come from jsonb, keys reordered
    return JSON.stringify({ $sealed: 1, subject, iv, tag, data });
  }
  return typeof value === 'string' ? value : null;
}

export function nameFromColumn(text: string | null): StoredName {
  if (text === null || !text.startsWith('{"$sealed"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    return isSealed(value) ? value : text;
  } catch {
    return text;
  }
}

/** Opens sealed values in one lookup (the platform's PersonalDataVault); null where erased. */
export interface NameOpener {
  openAll(values: readonly unknown[]): Promise<(string | null)[]>;
}

/** What answers show for a member whose name is erased. */
export const ERASED_NAME = '(erased)';

/**
 * The items with their names opened, for an answer. A sealed name that no longer opens was erased,
 * whether or not the read model has seen the erasure yet (a snapshot built before it never will):
 * it reads as ERASED_NAME on every route, as it does once MemberDataErased is projected.
 */
export async function openNames<T extends { displayName: StoredName }>(
  items: readonly T[],
  opener: NameOpener,
): Promise<(Omit<T, 'displayName'> & { displayName: string | null })[]> {
  const names = await opener.openAll(items.map((item) => item.displayName));
  return items.map((item, i) => ({
    ...item,
    displayName: names[i] ?? (item.displayName === null ? null : ERASED_NAME),
  }));
}
