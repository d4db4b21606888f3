/**
 * Ctrl-C while a run is going, in an interactive session: the terminal is in raw mode, so the
 * key arrives as a keypress rather than a SIGINT; both are watched.
 *
 * @module
 */
import { emitKeypressEvents } from 'node:readline';

interface Key {
  name?: string | undefined;
  ctrl?: boolean | undefined;
}

/**
 * Calls `onCancel` when Ctrl-C is pressed on `input` (a terminal) or the process gets SIGINT, until
 * the returned function is called. Other keys are read and dropped, so they do not pile up for
 * the next prompt.
 */
export function watchCancelKey(input: NodeJS.ReadStream, onCancel: () => void): () => void {
  const onKeypress = (_text: string | undefined, key: Key | undefined): void => {
    if (key?.ctrl && key.name === 'c') onCancel();
  };
  const onSigint = (): void => onCancel();
  emitKeypressEvents(input);
  if (input.isTTY) input.setRawMode(true);
  input.on('keypress', onKeypress);
  input.resume();
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
    input.off('keypress', onKeypress);
    if (input.isTTY) input.setRawMode(false);
    input.pause();
  };
}
