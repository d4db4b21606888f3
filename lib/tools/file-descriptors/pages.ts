/**
 * Pages of a descriptor: fixed windows of `pageSize` characters, so that page `n` starts at
 * character `(n - 1) * pageSize` and a model can move between pages and offsets without surprises.
 * A boundary that would split a surrogate pair (an emoji) moves one character on, so no page holds
 * half a character.
 *
 * @module
 */

/** Whether `index` falls between the two halves of a surrogate pair of `text`. */
function splitsPair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/** `index` (clamped to the text), moved one on when it would split a surrogate pair. */
export function boundary(text: string, index: number): number {
  const clamped = Math.max(0, Math.min(index, text.length));
  return splitsPair(text, clamped) ? clamped + 1 : clamped;
}

/** How many pages `length` characters make (at least one). */
export function pageCount(length: number, pageSize: number): number {
  return Math.max(1, Math.ceil(length / pageSize));
}

/** Where page `page` (1-based, in range) of `text` starts and ends. */
export function pageRange(text: string, pageSize: number, page: number): { start: number; end: number } {
  return { start: boundary(text, (page - 1) * pageSize), end: boundary(text, page * pageSize) };
}

/** `index` (clamped to the text), moved one back when it would split a surrogate pair. */
export function boundaryBefore(text: string, index: number): number {
  const clamped = Math.max(0, Math.min(index, text.length));
  return splitsPair(text, clamped) ? clamped - 1 : clamped;
}
