import { expect } from 'chai';
import * as v from 'valibot';
import { RUN_SETTINGS } from '../../lib/process/run-options.js';
import { formatIssues } from '../../lib/program/format-issues.js';
import { snakeCase, tomlTable } from '../../lib/program/key-case.js';
import { PositiveIntegerSchema, table } from '../../lib/program/schema-fields.js';

describe('key case, mapped in one place', () => {
  it('snakeCase spells a camelCase key as TOML does', () => {
    expect(['maxTokens', 'toolConcurrency', 'maxCostUsd', 'stream'].map(snakeCase)).to.deep.equal(['max_tokens', 'tool_concurrency', 'max_cost_usd', 'stream']);
  });

  describe('when a setting is declared once, camelCase (here a hypothetical run setting maxToolCalls)', () => {
    // The one edit adding a run setting: an entry in RUN_SETTINGS (lib/process/run-options.ts).
    const entries = { ...RUN_SETTINGS, maxToolCalls: v.optional(PositiveIntegerSchema) };
    const toml = tomlTable(entries);
    const options = table(entries);

    it('TOML takes it snake_case and code camelCase, and both give the same camelCase value', () => {
      expect(v.parse(toml, { max_tool_calls: 3, max_iterations: 2, stream: true })).to.deep.equal({ maxToolCalls: 3, maxIterations: 2, stream: true });
      expect(v.parse(options, { maxToolCalls: 3, maxIterations: 2, stream: true })).to.deep.equal({ maxToolCalls: 3, maxIterations: 2, stream: true });
    });

    it('each spelling refuses the other one, suggesting its own, and checks the value the same way', () => {
      const inToml = v.safeParse(toml, { maxToolCalls: 3 });
      expect(formatIssues(inToml.issues ?? [], toml, 'toml', 'run').map((issue) => issue.text)).to.deep.equal([
        'run.maxToolCalls: unknown key; did you mean max_tool_calls? expected one of: max_spawn_depth, stream, tool_concurrency, max_iterations, max_tokens, max_cost_usd, timeout_ms, prompt_caching, prompt_cache_ttl, max_tool_calls',
      ]);
      const bad = v.safeParse(options, { maxToolCalls: 0 });
      expect(formatIssues(bad.issues ?? [], options, 'options', 'run').map((issue) => issue.text)).to.deep.equal(['run.maxToolCalls: expected a positive integer, received 0']);
    });
  });

  it('keeps the keys of nested tables it does not own', () => {
    const schema = tomlTable({ readFile: v.optional(tomlTable({ maxBytes: v.optional(PositiveIntegerSchema) })), extraHeaders: v.optional(v.record(v.string(), v.string())) });
    expect(v.parse(schema, { read_file: { max_bytes: 5 }, extra_headers: { 'x-team_name': 'a' } })).to.deep.equal({ readFile: { maxBytes: 5 }, extraHeaders: { 'x-team_name': 'a' } });
  });
});
