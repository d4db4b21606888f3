/**
 * Small helpers for writing HTML as strings: escaping, and the number formats of the report.
 *
 * @module
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** A duration: `0.4 ms`, `12 ms`, `1.25 s`, `2 min 5 s`. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** A token count with thousands separators. */
export function formatTokens(count: number): string {
  return count.toLocaleString('en-US');
}

/** A cost in USD (`$0.000896`), or `unknown` when there is no price. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'unknown';
  return `$${usd < 0.01 ? usd.toPrecision(3).replace(/0+$/, '').replace(/\.$/, '') : usd.toFixed(4)}`;
}

/** A percentage for CSS, with enough digits for a wide page. */
export function percent(part: number, whole: number): string {
  return `${whole > 0 ? Number(((part / whole) * 100).toFixed(4)) : 0}%`;
}

/** A step for axis ticks: 1, 2 or 5 times a power of ten, so that `span` has at most about `count` of them. */
export function tickStep(span: number, count = 8): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  return step;
}
