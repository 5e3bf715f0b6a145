/**
 * A unit's subtree as a range of member_figures' key (member-totals.ddl.ts).
 *
 * Each figure row carries its member's unit path as text, root first, each id followed by `/`
 * (`p0/d3/d3w1/`; `''` for a member whose unit was never registered), compared byte by byte (collation
 * "C"). The members of a unit's subtree are then exactly the rows whose key starts with the unit's own
 * key, and the keys that start with a prefix form one range: from the prefix itself up to the prefix
 * with its last byte raised by one (`p0/d3/` up to `p0/d30`). Inside a bucket the key orders rows by
 * subtree, so a district's week is seven short index ranges, not the province's rows filtered after
 * the sums. Ids hold no `/` (API.md ids: letters, digits, `.`, `_`, `:`, `-`), so no unit's key is a
 * prefix of a unit outside its subtree. Members and units never move, so a key never changes.
 */

/** The key of a unit path (`text[]`, root first), as SQL; NULL (no path) gives `''`. */
export const pathKeySql = (path: string) => `COALESCE(array_to_string(${path}, '/') || '/', '')`;

/** The keys [from, to) of the members of the unit whose path (root first, itself last) is given. */
export function subtreeRange(path: readonly string[]): { from: string; to: string } {
  const from = `${path.join('/')}/`;
  return { from, to: `${from.slice(0, -1)}0` }; // '0' follows '/' in every byte order
}

/**
 * `SELECT lo, hi`: the keys [lo, hi) of the unit's subtree, as subtreeRange computes them, from its
 * units row; no row for a unit nobody registered. `unit` is the SQL of its id.
 */
export const subtreeRangeSql = (schema: string, unit: string) =>
  `SELECT ${pathKeySql('u.path')} AS lo, array_to_string(u.path, '/') || '0' AS hi
   FROM ${schema}.units u WHERE u.unit_id = ${unit}`;
