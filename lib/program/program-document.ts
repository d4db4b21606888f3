/**
 * A program's text, parsed: its data (what the schema validates) and where each key is written,
 * so that problems can name their line. TOML and YAML programs both become one.
 *
 * @module
 */

/** A 1-based line and column in a program's text. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A parsed program text. */
export interface ProgramDocument {
  /** The parsed value (a table, when the text is a program). */
  data: unknown;
  /**
   * Where the value at `path` is written, or, when it is not (a missing key), the nearest table
   * around it that is; `undefined` when not even that is known.
   */
  locate(path: readonly (string | number)[]): TextPosition | undefined;
}

/** A {@link ProgramDocument.locate} over a lookup of exact paths: tries `path`, then each parent. */
export function nearestPosition(
  exact: (path: readonly (string | number)[]) => TextPosition | undefined,
): ProgramDocument['locate'] {
  return (path) => {
    for (let length = path.length; length > 0; length--) {
      const found = exact(path.slice(0, length));
      if (found) return found;
    }
    return undefined;
  };
}
