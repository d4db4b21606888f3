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

export const EQUIVALENT: readonly EquivalentMutant[] = [
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'ArrayDeclaration',
    original: '[]',
    replacement: '["Stryker was here"]',
    reason: "detaching then also calls `emitter.off('S', 't')` (the string's first two characters), which removes nothing: no event is named 'S'.",
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'BlockStatement',
    original: '{ return undefined; }',
    reason: 'with the catch block empty, `found` stays undefined and the next line, `if (!found) return undefined`, returns the same.',
  },
  {
    file: 'lib/providers/anthropic/mapping.ts',
    mutator: 'OptionalChaining',
    original: 'final?.type',
    reason: 'the last wire message never has an empty content array (mapMessage drops a message with no block, and joining turns only adds blocks), so `final` is never undefined there.',
  },
  {
    file: 'lib/results/run-result.ts',
    mutator: 'ConditionalExpression',
    original: 'options.depth === undefined',
    replacement: 'false',
    reason: "`util.inspect` always passes a depth (2 by default); called by hand without one, `undefined - 1` is NaN, and inspect treats a depth of NaN as it treats undefined: no limit.",
  },
  {
    file: 'lib/tools/builtin/calculator.ts',
    mutator: 'ConditionalExpression',
    original: "typeof precision !== 'number'",
    replacement: 'false',
    reason: '`Number.isInteger` is false for every value that is not a number, so the next test refuses it all the same; the typeof check is there for TypeScript, which needs it to narrow `precision`.',
  },
  {
    file: 'lib/tools/builtin/read-fd.ts',
    mutator: 'ConditionalExpression',
    original: "typeof value !== 'number'",
    replacement: 'false',
    reason: '`Number.isSafeInteger` is false for every value that is not a number, so the next test refuses it all the same; the typeof check is there for TypeScript.',
  },
  {
    file: 'lib/tools/builtin/read-file.ts',
    mutator: 'StringLiteral',
    original: `'"(no path)"'`,
    reason: 'the placeholder is never shown: a path that is not a string is refused by `roots.locate` with a Refusal (whose own message is used) before anything else can fail.',
  },
  {
    file: 'lib/tools/builtin/read-file.ts',
    mutator: 'ConditionalExpression',
    original: "typeof input['path'] === 'string'",
    replacement: 'true',
    reason: 'for a path that is not a string, `shown` is only used in messages of failures other than a Refusal, and such a path fails with a Refusal first (`roots.locate`).',
  },
  {
    file: 'lib/tools/builtin/read-file.ts',
    mutator: 'ConditionalExpression',
    original: '!located.exists',
    replacement: 'false',
    reason: 'a missing path read anyway fails its stat with ENOENT, which says the same: "cannot read <path>: no such file." (its would-be location does not exist either: that is what made it missing).',
  },
  {
    file: 'lib/tools/builtin/fd-to-file.ts',
    mutator: 'StringLiteral',
    original: `'"(no path)"'`,
    reason: 'the placeholder is never shown: a path that is not a string is refused by `roots.locate` with a Refusal (whose own message is used) before anything else can fail.',
  },
  {
    file: 'lib/tools/builtin/fd-to-file.ts',
    mutator: 'ConditionalExpression',
    original: "typeof input['path'] === 'string'",
    replacement: 'true',
    reason: 'for a path that is not a string, `shown` is only used in messages of failures other than a Refusal, and such a path fails with a Refusal first (`roots.locate`).',
  },
  {
    file: 'lib/tools/builtin/fd-to-file.ts',
    mutator: 'ArrowFunction',
    original: "(error: unknown) => (errorCode(error) === 'ENOENT' ? undefined : Promise.reject(error))",
    replacement: '() => undefined',
    reason: "`roots.locate` has just resolved the path, so its lstat fails with anything but ENOENT only if the path changed in between (a parent made a file or a loop); the realpath of its folder and the open that follow then fail with the same error, reported the same way.",
  },
  {
    file: 'lib/tools/builtin/fd-to-file.ts',
    mutator: 'ConditionalExpression',
    original: "errorCode(error) === 'ENOENT'",
    replacement: 'true',
    reason: "(the lstat's catch; the folder's one is killed by test/tools/builtin/fd-to-file.test.ts) an lstat error other than ENOENT needs the path to change after `roots.locate` resolved it, and the realpath and open that follow then fail with the same error, reported the same way.",
  },
  {
    file: 'lib/tools/builtin/list-dir.ts',
    mutator: 'StringLiteral',
    original: `'"."'`,
    reason: 'the placeholder is never shown: `path` defaults to "." and a string path replaces it before anything can fail; a path that is not a string fails with a Refusal, whose own message is used.',
  },
  {
    file: 'lib/tools/builtin/list-dir.ts',
    mutator: 'ConditionalExpression',
    original: "typeof given === 'string'",
    replacement: 'true',
    reason: 'for a path that is not a string, `shown` is only used in messages of failures other than a Refusal, and such a path fails with a Refusal first (`roots.locate`).',
  },
  {
    file: 'lib/tools/builtin/file-roots.ts',
    mutator: 'ConditionalExpression',
    original: 'path.dirname(current) === current',
    replacement: 'false',
    reason: "the walk up from a missing absolute path returns at the latest at `/`, whose realpath never fails; the check only keeps the loop finite if it ever did.",
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'ConditionalExpression',
    original: 'known !== undefined',
    replacement: 'false',
    reason: '`byModel.has(model)` is then asked instead, which is true for every memoized price too: the same price comes back (the first check only spares a second lookup).',
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'EqualityOperator',
    original: 'lookedCount < 1000',
    reason: "the bound of the lookup memo only limits its memory: a price is the same whether its lookup was memoized or asked of the catalog again.",
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'AssignmentOperator',
    original: 'lookedCount += 1',
    reason: "the bound of the lookup memo only limits its memory: a price is the same whether its lookup was memoized or asked of the catalog again.",
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'CallExpression',
    original: 'loading.catch(() => {});',
    reason: 'it only keeps a failed import of the price catalog from going unhandled, and no test can make the installed package fail to import.',
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'StringLiteral',
    original: `'error'`,
    replacement: '""',
    reason: "run()'s first stopReason: the try block sets it from the loop, or the catch from the error (#toRunError never throws), before the finally reads it.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `last?.role !== 'assistant'`,
    replacement: 'false',
    reason: "#prepareForkOf runs for the fork tool's call, during its batch: the last message is then always the assistant message holding that call (the results are added after the batch).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'OptionalChaining',
    original: 'last?.role',
    replacement: 'last.role',
    reason: "the last message is never missing there: #prepareForkOf runs during the fork tool's batch (the last message is the assistant message with the call), and #continueTurn only when the run state says its tools are next (the last message is the assistant message with them).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'LogicalOperator',
    original: 'parentLeft?.() ?? true',
    replacement: 'parentLeft?.() && true',
    reason: "#parentBudgetLeft is only compared `=== false` (#loop); with no parent, `budgetLeft(...) && undefined` is false exactly when the budget is spent and undefined (not false) otherwise, and a parent's own function gives false exactly when it is spent too.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ArrayDeclaration',
    original: '[]',
    replacement: '["Stryker was here"]',
    reason: "(pendingApprovals, #capabilities, #continueTurn) pendingOf keeps only records whose status is 'pending', which a string has not; #capabilities is called only for a tool whose `uses` is not empty; in #continueTurn the last message is always an assistant message (the calls whose tools are next).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: 'fileDescriptors',
    replacement: 'true',
    reason: "createFileDescriptorStore without saved descriptors makes an empty store, as the constructor did (or none, for a program that keeps no descriptors): the same store state either way.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: 'args.length === 1',
    replacement: 'false',
    reason: "emitPayload is the one-payload path of the same #emit that SafeEventEmitter's emit uses: either calls each listener with the payload alone.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `run.state.next !== 'model'`,
    replacement: 'true',
    reason: "#continueTurn returns undefined at once when the model is next, and the loop then goes on as without it (an extra await only).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'StringLiteral',
    original: `'model'`,
    replacement: '""',
    reason: "(#loop and #continueTurn) #loop calls #continueTurn only when the model is not next, so in #continueTurn `state.next === 'model'` is never true; in #loop, calling #continueTurn when the model is next returns undefined at once and the loop goes on as without it.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: 'calls.length > 0',
    replacement: 'true',
    reason: "(#loop) `truncated` only decides whether keptContent drops tool calls and whether the calls run: a max_tokens turn with no calls drops nothing and ends the same. (#continueTurn) the run state says tools are next only after a turn whose calls were kept, so there are always calls.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'EqualityOperator',
    original: 'calls.length > 0',
    replacement: 'calls.length >= 0',
    reason: "(#loop) `truncated` only decides whether keptContent drops tool calls and whether the calls run: a max_tokens turn with no calls drops nothing and ends the same. (#continueTurn) the run state says tools are next only after a turn whose calls were kept, so there are always calls.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'OptionalChaining',
    original: 'tool?.uses',
    replacement: 'tool.uses',
    reason: "#capabilities is only called for a tool that was found and has a non-empty `uses` (#runTool checks `tool?.uses?.length`).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'OptionalChaining',
    original: 'tool?.source',
    replacement: 'tool.source',
    reason: "(#capabilities) only called for a tool that was found (#runTool checks `tool?.uses?.length` first).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `uses.includes('children')`,
    replacement: 'true',
    reason: "runToolCall's grant() (lib/tools/run-tool.ts) hands a tool only the capabilities its `uses` names: one built besides is never seen, and building it (closures over the process) does nothing.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `uses.includes('conversation')`,
    replacement: 'true',
    reason: "runToolCall's grant() (lib/tools/run-tool.ts) hands a tool only the capabilities its `uses` names: one built besides is never seen, and building it (a closure over the process) does nothing.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: '!applied',
    replacement: 'false',
    reason: "#requestRewind checked the id against the conversation, and nothing removes a message between the request and the end of the batch or turn where the rewind is applied, so applyRewind never returns undefined here.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'BooleanLiteral',
    original: 'false',
    replacement: 'true',
    reason: "(#rewound's `!applied` branch, #hookStops' `!hook` branch) neither is ever taken: applyRewind never returns undefined for a rewind #requestRewind checked, and #hookStops is only called when beforeModelCall is there.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'StringLiteral',
    original: `'aborted'`,
    replacement: '""',
    reason: "(#callModel) the model call gives ABORTED only when the run's signal aborted, and the run signal gives every abort a cause (the caller's, or the timeout), so the fallback is never used.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'StringLiteral',
    original: `'The model call was abandoned without an abort cause.'`,
    replacement: '""',
    reason: "the model call gives ABORTED only when the run's signal aborted, and the run signal gives every abort a cause: #throwIfAborted just before always throws, so this RunError is never made.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: 'plan.args === call.input',
    replacement: 'false',
    reason: "the tool gets a copy of the input either way (runToolCall's copyInput), and the spread call has the same id, name and input.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: 'run.hooks.afterToolCall',
    replacement: 'true',
    reason: "applyAfterToolCall without a hook returns the result as it is (and no hookFailure): the check only spares an await.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: '!hook',
    replacement: 'false',
    reason: "(#batchContext) planToolCall without a hook returns planAsGiven's plan and no hookFailure: the check only spares an await and making the run's signal; (#hookStops) only called when beforeModelCall is there.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `stopReason === 'hook_stop'`,
    replacement: 'true',
    reason: "run.stopDetail is only set when beforeModelCall stops the run, so for any other stop `{ stopDetail: undefined }` completes the RunResult as `{}` does.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `state.next === 'model'`,
    replacement: 'false',
    reason: "#loop calls #continueTurn only when the model is not next.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'StringLiteral',
    original: `'end_turn'`,
    replacement: '""',
    reason: "recordModelCall sets stopReason whenever it sets next, so a run state whose next step is 'done' always has a stop reason.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `last?.role === 'assistant'`,
    replacement: 'true',
    reason: "when #continueTurn gets there, the run state says tools are next, and the last message is always the assistant message with the calls.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'CallExpression',
    original: 'recordToolResults(state);',
    replacement: ';',
    reason: "(#continueTurn) there are always calls there (the run state says tools are next only after a turn whose calls were kept), so this is never reached.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: 'calls.length === 0',
    replacement: 'false',
    reason: "(#continueTurn) there are always calls there (the run state says tools are next only after a turn whose calls were kept).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: 'calls.length === 0',
    replacement: 'true',
    reason: "(#continueTurn) there are always calls there, and #runTools has just recorded the batch's results: recording them again sets the same state.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'EqualityOperator',
    original: 'calls.length === 0',
    replacement: 'calls.length !== 0',
    reason: "(#continueTurn) there are always calls there, and #runTools has just recorded the batch's results: recording them again sets the same state.",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: '!run.hooks.beforeRun',
    replacement: 'false',
    reason: "#beforeRun is only called when beforeRun is there (run() checks first).",
  },
  {
    file: 'lib/process/llm-process.ts',
    mutator: 'ConditionalExpression',
    original: `outcome.kind === 'input'`,
    replacement: 'true',
    reason: "the other outcomes of applyBeforeRun both throw before: 'failed' as a HookError, and 'aborted', which callHook answers only when the run's signal aborted, through #throwIfAborted (every abort has a cause).",
  },
];

/**
 * Mutants that a test would kill in a fresh process but not under Stryker's mocha runner, which
 * loads the code once per worker and runs every mutant's tests in that same process: module state
 * set once (the price catalog, loaded by the first test that starts a program; a module-level
 * constant, under `--ignoreStatic`) is already there when the mutant is switched on. They count against the score; the reason is given in the report.
 */
export const HARNESS_LIMITED: readonly EquivalentMutant[] = [
  {
    file: 'lib/providers/anthropic/mapping.ts',
    mutator: 'StringLiteral',
    original: "'anthropic'",
    replacement: '""',
    reason: "a module-level constant (ANTHROPIC), evaluated once when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload. test/providers/anthropic/mapping.test.ts checks the provider name ('maps content, stop reason and usage').",
  },
  {
    file: 'lib/providers/anthropic/mapping.ts',
    mutator: 'StringLiteral',
    original: "'anthropic-beta'",
    replacement: '""',
    reason: "a module-level constant (BETA_HEADER), evaluated once when the worker loads the module; test/providers/anthropic/mapping.test.ts checks the header ('puts extra headers and betas into the request options').",
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'BlockStatement',
    original: '{ catalog = module; }',
    reason: 'the catalog was loaded, and `loading` memoized, by an earlier test of the same worker; a mutant active at that first load would leave every price null, which the pricing tests see.',
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'BlockStatement',
    original: "{ loading = import('@pydantic/genai-prices').then((module) => { catalog = module; }); // A start that fails before awaiting it must not leave a failed load unhandled; whoever awaits it still sees the failure. loading.catch(() => {}); }",
    reason: 'the catalog was loaded, and `loading` memoized, by an earlier test of the same worker; a mutant active at that first load would leave every price null, which the pricing tests see.',
  },
  {
    file: 'lib/results/pricing.ts',
    mutator: 'ConditionalExpression',
    original: '!loading',
    reason: 'the catalog was loaded, and `loading` memoized, by an earlier test of the same worker: whether it is loaded again changes nothing a later test sees.',
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'BlockStatement',
    original: '{ return { event, call }; }',
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'ObjectLiteral',
    original: '{ event, call }',
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'StringLiteral',
    original: "'tool:start'",
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'StringLiteral',
    original: "'tool:end'",
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'StringLiteral',
    original: "'response'",
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'StringLiteral',
    original: "'text'",
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'ArrowFunction',
    original: '(cb, e) => (cb as ToolStartCallback)(e.toolName, e.args)',
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'ArrowFunction',
    original: '(cb, e) => (cb as ToolEndCallback)(e.toolName, e.result)',
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'ArrowFunction',
    original: '(cb, e) => (cb as ResponseCallback)(e.content)',
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/callbacks/callbacks.ts',
    mutator: 'ArrowFunction',
    original: '(cb, e) => (cb as TextCallback)(e.delta, e.snapshot)',
    reason: "the table of callback bindings (BINDINGS) is built once, when the worker loads the module, before any mutant is on; with `--ignoreStatic` it is not rerun with a reload (a run without it kills them). test/callbacks/callbacks.test.ts checks each binding's event and arguments ('unpacks payloads into the spec's positional signatures').",
  },
  {
    file: 'lib/results/run-result.ts',
    mutator: 'StringLiteral',
    original: "'nodejs.util.inspect.custom'",
    reason: "a module-level constant (the `util.inspect` symbol, `Symbol.for('nodejs.util.inspect.custom')`), evaluated once when the worker loads the module; test/results/run-result.test.ts checks what `util.inspect` shows ('console.log and util.inspect show its fields, not only startTime').",
  },
];
