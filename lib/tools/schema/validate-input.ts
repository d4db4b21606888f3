/**
 * Validates a tool's input with its schema's `~standard.validate` (which may be async), and
 * describes what is wrong one issue a line, by key path.
 *
 * @module
 */
import type * as v from 'valibot';
import { describeInputIssues, describeStandardIssues } from '../input-issues.js';
import { isStandardSchema } from './input-json-schema.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import { isThenable, type MaybePromise } from '../../maybe-promise.js';

/** What validating a tool's input found: the value `run` gets, or one line per issue. */
export type InputCheck = { valid: true; value: unknown } | { valid: false; issues: string[] };

/**
 * Validates `raw` against `schema`: at once when the library validates synchronously (as valibot
 * and zod do for schemas without async parts), else a promise. A plain JSON Schema (no
 * `~standard`) does not validate: the input is passed as the model sent it. May throw (or reject)
 * when the library's validation does.
 */
export function validateInput(schema: unknown, raw: Record<string, unknown>): MaybePromise<InputCheck> {
  if (!isStandardSchema(schema)) return { valid: true, value: raw };
  const standard = schema['~standard'];
  const result = standard.validate(raw);
  // Any thenable, not only a native Promise: a result of another realm or promise library must be awaited, not read as passed.
  return isThenable(result) ? Promise.resolve(result).then((settled) => checkOf(standard.vendor, settled)) : checkOf(standard.vendor, result);
}

function checkOf(vendor: string, result: StandardSchemaV1.Result<unknown>): InputCheck {
  if (!result.issues) return { valid: true, value: result.value };
  const issues =
    vendor === 'valibot'
      ? describeInputIssues(result.issues as unknown as readonly v.BaseIssue<unknown>[])
      : describeStandardIssues(result.issues as readonly StandardSchemaV1.Issue[]);
  return { valid: false, issues: issues.length > 0 ? issues : ['(input): invalid'] };
}
