/**
 * TOML program text → a {@link ProgramDocument}; a syntax error becomes a {@link ProgramError} with
 * its line and column.
 *
 * @module
 */
import { ProgramError } from '../errors.js';
import { requirePackage } from '../require-package.js';
import { nearestPosition, type ProgramDocument } from './program-document.js';
import { positionKey, tomlKeyPositions } from './toml-key-positions.js';

/**
 * Parses `text`.
 *
 * @param file - The file (or pseudo-file) as errors name it.
 * @throws {ProgramError} for invalid TOML, with `line`, `column` and the offending line quoted.
 */
export function parseTomlProgram(text: string, file: string): ProgramDocument {
  // Loaded with the first TOML program, not with llmproc: a program built in code never needs it.
  const { parse, TomlError } = requirePackage('smol-toml') as typeof import('smol-toml');
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    const excerpt = error.codeblock.trimEnd();
    throw new ProgramError(`invalid TOML: ${reason}${excerpt ? `\n${excerpt}` : ''}`, {
      file,
      line: error.line,
      column: error.column,
      cause: error,
    });
  }
  let positions: ReturnType<typeof tomlKeyPositions> | undefined;
  return {
    data,
    // Scanned only when a problem needs a line.
    locate: nearestPosition((path) => (positions ??= tomlKeyPositions(text)).get(positionKey(path))),
  };
}
