/**
 * How a RunResult's numbers are rounded for JSON and inspection, so that they carry no float
 * noise (`0.5054890000000114` ms, `0.0008960000000000001` USD): durations to the microsecond,
 * costs to the billionth of a dollar.
 *
 * @module
 */

/** A duration in ms rounded to the microsecond (3 decimals). */
export function roundMs(ms: number): number {
  return Math.round(ms * 1e3) / 1e3;
}

/** A cost in USD rounded to 1e-9 USD (9 decimals); `null` stays `null`. */
export function roundUsd<T extends number | null>(usd: T): T {
  return (usd === null ? null : Math.round(usd * 1e9) / 1e9) as T;
}
