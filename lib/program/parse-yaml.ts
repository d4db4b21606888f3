/**
 * YAML program text → a {@link ProgramDocument}, with the same structure as a TOML program
 * (`model:`, `parameters:`, ...). The `yaml` package is loaded on the first YAML program only, so
 * TOML users never pay for it; its document tree gives each key's line and column.
 *
 * @module
 */
import { requirePackage } from '../require-package.js';
import { ProgramError } from '../errors.js';
import type * as Yaml from 'yaml';
import { nearestPosition, type ProgramDocument, type TextPosition } from './program-document.js';

let yaml: typeof Yaml | undefined;

/** The `yaml` package, loaded on first use (synchronously: program loading is synchronous). */
function yamlPackage(): typeof Yaml {
  return (yaml ??= requirePackage('yaml') as typeof Yaml);
}

/** The offset where the value at `path` is written (a map key's own offset for a key), if it is. */
function offsetOf(root: unknown, path: readonly (string | number)[]): number | undefined {
  const { isMap, isScalar, isSeq } = yamlPackage();
  let node = root;
  let offset: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
      if (!pair) return undefined;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    } else {
      return undefined;
    }
  }
  return offset;
}

/**
 * Parses `text` (one YAML document).
 *
 * @param file - The file (or pseudo-file) as errors name it.
 * @throws {ProgramError} for invalid YAML (a duplicate key too), with `line`, `column` and the
 *   offending line quoted.
 */
export function parseYamlProgram(text: string, file: string): ProgramDocument {
  const { LineCounter, parseDocument } = yamlPackage();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const error = document.errors[0];
  if (error) {
    const [reason = '', ...excerpt] = error.message.split('\n');
    const place = error.linePos?.[0];
    throw new ProgramError(`invalid YAML: ${reason.replace(/ at line \d+, column \d+:?$/, '')}${excerpt.join('\n').trimEnd() ? `\n${excerpt.join('\n').replace(/^\n+/, '').trimEnd()}` : ''}`, {
      file,
      line: place?.line,
      column: place?.col,
      cause: error,
    });
  }
  return {
    data: document.toJS(),
    locate: nearestPosition((path): TextPosition | undefined => {
      const offset = offsetOf(document.contents, path);
      if (offset === undefined) return undefined;
      const { line, col } = lines.linePos(offset);
      return { line, column: col };
    }),
  };
}
