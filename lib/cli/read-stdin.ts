/**
 * Reads a prompt piped on stdin.
 *
 * @module
 */

/** Reads `input` to its end as UTF-8 text, trimmed. */
export async function readAll(input: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').trim();
}
