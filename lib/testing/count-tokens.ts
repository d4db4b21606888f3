/**
 * How the test kit counts tokens: about one per 4 characters, at least one. The scripted model's
 * usage and the fake server's prompt cache both count this way, so their numbers agree.
 *
 * @module
 */

/** The tokens of `text`: `ceil(length / 4)`, at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
