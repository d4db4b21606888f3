/**
 * Process warnings (a preload file that is missing, a listener that failed) as the command shows
 * them: one plain line each on stderr, `llmproc: warning: ...`, instead of Node's
 * `(node:1234) LLMProcPreloadWarning: ...`.
 *
 * @module
 */

/** One warning as a line: llmproc's own by their message, others with their name. */
export function warningLine(warning: Error): string {
  const text = warning.name.startsWith('LLMProc') ? warning.message : `${warning.name}: ${warning.message}`;
  return `llmproc: warning: ${text.replace(/\s*\n\s*/g, ' ')}\n`;
}

/**
 * Replaces Node's printing of process warnings with {@link warningLine}s on `stderr`. Returns the
 * function that puts Node's printer back.
 */
export function printWarningsAsLines(stderr: { write(text: string): unknown }): () => void {
  const nodePrinters = process.listeners('warning');
  process.removeAllListeners('warning');
  const print = (warning: Error): void => void stderr.write(warningLine(warning));
  process.on('warning', print);
  return () => {
    process.off('warning', print);
    for (const printer of nodePrinters) process.on('warning', printer);
  };
}
