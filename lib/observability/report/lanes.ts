/**
 * Lanes for a timeline: intervals that overlap (tools running in parallel) go on separate lanes,
 * each on the first lane free at its start.
 *
 * @module
 */

/** An interval to place. */
export interface Interval {
  startMs: number;
  endMs: number;
}

/**
 * The lane of each interval (0 first), in the order given: each interval, taken by start time, goes
 * on the lowest lane whose last interval has ended by then.
 */
export function assignLanes(intervals: readonly Interval[]): number[] {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a]!.startMs - intervals[b]!.startMs || a - b);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(intervals.length).fill(0);
  for (const i of order) {
    const { startMs, endMs } = intervals[i]!;
    let lane = laneEnds.findIndex((end) => end <= startMs);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = Math.max(endMs, startMs);
    lanes[i] = lane;
  }
  return lanes;
}
