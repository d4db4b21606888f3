/**
 * The longest delay a Node.js timer can hold.
 *
 * @module
 */

/**
 * 2^31 − 1 ms (about 24.8 days): Node stores timer delays as signed 32-bit integers, and a longer
 * `setTimeout` fires after 1 ms instead (with a `TimeoutOverflowWarning`). A `timeoutMs` above it
 * is refused.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
