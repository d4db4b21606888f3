/**
 * The valid key (or value) closest to a misspelled one, for `did you mean max_tokens?`.
 *
 * @module
 */

/** The most edits (insertions, deletions, substitutions, swaps of neighbours) a near miss is away. */
const MAX_DISTANCE = 2;

/**
 * The optimal string alignment distance between `a` and `b` (Damerau-Levenshtein where each
 * substring is edited once): `max_tokenz` → `max_tokens` is 1, `maxTokens` → `max_tokens` is 2.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `given` (ignoring case), when it is at most two edits away and
 * shorter words are not wholly replaced; the first of equally near ones.
 */
export function nearestName(given: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(given.toLowerCase(), name.toLowerCase());
    if (distance > MAX_DISTANCE || distance >= Math.max(given.length, name.length)) continue;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}
