/**
 * Mutants that survive because they behave exactly like the original code: no test can tell them
 * apart, so they are explained here instead of killed. bench/mutate/report.ts matches each entry
 * by file, mutator and the source text it replaces (not the line, which moves), and the
 * replacement when given.
 *
 * @module
 */

/** One equivalent mutant. */
export interface EquivalentMutant {
  file: string;
  /** Stryker's mutator name (`ConditionalExpression`, `EqualityOperator`, ...). */
  mutator: string;
  /** The source text the mutant replaces, as the report shows it. */
  original: string;
  /** The replacement; omitted: every mutant of this mutator on this text. */
  replacement?: string | undefined;
  /** Why no test can tell it from the original. */
  reason: string;
}

export const EQUIVALENT: readonly EquivalentMutant[] = [];
