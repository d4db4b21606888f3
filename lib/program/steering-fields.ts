/**
 * The value schemas of a program's steering settings: which tools require approval (TOML
 * `[tools] require_approval`, code `requireApproval`) and, for programs built in code, `hooks`.
 *
 * @module
 */
import * as v from 'valibot';
import { HOOK_NAMES, type Hooks } from '../process/hooks.js';

/** `[tools] require_approval`: tool names or globs (`*` any run of characters, `?` one), e.g. `["read_file", "codemcp__*"]`. */
export const RequireApprovalSchema = v.pipe(
  v.array(v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty tool name or glob'))),
  v.description('an array of tool names or globs ("read_file", "codemcp__*")'),
);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `hooks` of a program built in code: an object of hook functions, each key a hook name. */
export const HooksSchema = v.pipe(
  v.custom<Hooks>(isObject),
  v.rawCheck<Hooks>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const hooks = dataset.value as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(hooks)) {
      const path = [{ type: 'object', origin: 'value', input: hooks, key, value }] as [v.ObjectPathItem];
      if (!(HOOK_NAMES as readonly string[]).includes(key)) addIssue({ expected: `a hook name (${HOOK_NAMES.join(', ')})`, input: key, path });
      else if (value !== undefined && typeof value !== 'function') addIssue({ expected: 'a function', input: value, path });
    }
  }),
  v.description(`an object of hook functions (${HOOK_NAMES.join(', ')})`),
);
