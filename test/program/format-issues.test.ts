import { expect } from 'chai';
import * as v from 'valibot';
import { formatIssues, type IssueDialect } from '../../lib/program/format-issues.js';
import { namedTable, PositiveIntegerSchema, table } from '../../lib/program/schema-fields.js';

const Schema = table({
  model: table({ name: v.string(), provider: v.picklist(['anthropic', 'openai']), display_name: v.optional(v.string()) }),
  parameters: v.optional(table({ max_tokens: v.optional(PositiveIntegerSchema), temperature: v.optional(v.number()) })),
  tools: v.optional(table({ enabled: v.optional(v.array(v.picklist(['calculator', 'fork']))) })),
  variables: v.optional(v.pipe(v.union([v.literal('all'), v.array(v.string())]), v.description('"all" or an array of names'))),
  servers: v.optional(namedTable(v.pipe(v.string(), v.nonEmpty(), v.description('a non-empty command')))),
  stream: v.optional(v.boolean()),
});

const VALID = { model: { name: 'm', provider: 'anthropic' } };

/** The lines for `input` validated against {@link Schema} (failing when it is valid). */
function lines(input: unknown, dialect: IssueDialect = 'toml'): string[] {
  const result = v.safeParse(Schema, input);
  if (result.success) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return formatIssues(result.issues, Schema, dialect).map((issue) => issue.text);
}

describe('formatIssues', () => {
  it('accepts a valid value (so every case below is refused for its own reason)', () => {
    expect(v.safeParse(Schema, VALID).success).to.equal(true);
  });

  describe('when a value has the wrong type', () => {
    it('names the type expected and the type received', () => {
      expect(lines({ model: { name: 42, provider: 'anthropic' } })).to.deep.equal(['model.name: expected string, received number']);
      expect(lines({ ...VALID, stream: 'yes' })).to.deep.equal(['[stream]: expected boolean, received "yes"']);
      expect(lines({ ...VALID, parameters: { temperature: true } })).to.deep.equal(['parameters.temperature: expected number, received boolean']);
    });

    it('says what the schema describes, when it has a description, rather than the bare type', () => {
      expect(lines({ ...VALID, parameters: { max_tokens: '3' } })).to.deep.equal(['parameters.max_tokens: expected a positive integer, received "3"']);
    });

    it('shows the value, not its type, when v.number() refuses NaN', () => {
      expect(lines({ ...VALID, parameters: { temperature: Number.NaN } })).to.deep.equal(['parameters.temperature: expected number, received NaN']);
    });

    it('calls an object a table in TOML and an object in options', () => {
      expect(lines({ model: 'x' })).to.deep.equal(['[model]: expected table, received "x"']);
      expect(lines({ model: 'x' }, 'options')).to.deep.equal(['model: expected object, received "x"']);
    });

    it('refuses an array or a date where a table goes', () => {
      expect(lines({ model: [{ name: 'm', provider: 'anthropic' }] })).to.deep.equal(['[model]: expected table, received array']);
      expect(lines({ ...VALID, parameters: [] })).to.deep.equal(['[parameters]: expected table, received array']);
      expect(lines({ model: new Date(0) })).to.deep.equal(['[model]: expected table, received date']);
      expect(lines([], 'options')).to.deep.equal(['options: expected object, received array']);
      expect(lines(null)).to.deep.equal(['(document): expected table, received null']);
    });
  });

  describe('when a value fails a check', () => {
    it('says what was expected in the words of the schema’s description, with the value received', () => {
      expect(lines({ ...VALID, parameters: { max_tokens: -1 } })).to.deep.equal(['parameters.max_tokens: expected a positive integer, received -1']);
      expect(lines({ ...VALID, parameters: { max_tokens: 2.5 } })).to.deep.equal(['parameters.max_tokens: expected a positive integer, received 2.5']);
      expect(lines({ ...VALID, servers: { time: '' } })).to.deep.equal(['servers.time: expected a non-empty command, received ""']);
    });

    it('lists the allowed values of a picklist', () => {
      expect(lines({ model: { name: 'm', provider: 'bedrock' } })).to.deep.equal(['model.provider: unknown value "bedrock"; expected one of: anthropic, openai']);
      expect(lines({ ...VALID, tools: { enabled: ['fork', 7] } })).to.deep.equal(['tools.enabled[1]: unknown value 7; expected one of: calculator, fork']);
    });

    it('explains a union by its description, or by the branch that failed deeper', () => {
      expect(lines({ ...VALID, variables: 'some' })).to.deep.equal(['[variables]: expected "all" or an array of names, received "some"']);
      expect(lines({ ...VALID, variables: ['a', 3] })).to.deep.equal(['variables[1]: expected string, received number']);
    });

    it('quotes a key that is not a bare TOML key', () => {
      expect(lines({ ...VALID, servers: { 'my server': 3 } })).to.deep.equal(['servers."my server": expected a non-empty command, received number']);
    });

    it('refuses, by name, the names a record would drop silently', () => {
      const input = { ...VALID, servers: JSON.parse('{"__proto__": "x", "constructor": "y", "ok": "z"}') as object };
      expect(lines(input)).to.deep.equal([
        'servers.__proto__: expected a name other than __proto__, constructor, prototype, received "__proto__"',
        'servers.constructor: expected a name other than __proto__, constructor, prototype, received "constructor"',
      ]);
    });
  });

  describe('when a key is missing or unknown', () => {
    it('calls a missing top-level table a missing section in TOML, and says what a missing key expects', () => {
      expect(lines({})).to.deep.equal(['[model]: missing section']);
      expect(lines({}, 'options')).to.deep.equal(['model: missing; expected object']);
      expect(lines({ model: { provider: 'openai' } })).to.deep.equal(['model.name: missing; expected string']);
      expect(lines({ model: { name: 'm' } })).to.deep.equal(['model.provider: missing; expected one of: anthropic, openai']);
    });

    it('names every unknown key and lists the known ones', () => {
      expect(lines({ ...VALID, modle: {}, strem: true })).to.deep.equal([
        '[modle]: unknown section; did you mean [model]? expected one of: model, parameters, tools, variables, servers, stream',
        '[strem]: unknown section; did you mean [stream]? expected one of: model, parameters, tools, variables, servers, stream',
      ]);
      expect(lines({ ...VALID, modle: {} }, 'options')).to.deep.equal(['modle: unknown option; did you mean model? expected one of: model, parameters, tools, variables, servers, stream']);
      expect(lines({ ...VALID, parameters: { max_tokenz: 1, toString: 2 } })).to.deep.equal([
        'parameters.max_tokenz: unknown key; did you mean max_tokens? expected one of: max_tokens, temperature',
        'parameters.toString: unknown key; expected one of: max_tokens, temperature',
      ]);
    });

    it('suggests the nearest valid key or value, at most two edits away (a swap of neighbours is one)', () => {
      expect(lines({ ...VALID, parameters: { maxTokens: 1 } })[0]).to.include('did you mean max_tokens?');
      expect(lines({ ...VALID, parameters: { tempreature: 1 } })[0]).to.include('did you mean temperature?');
      expect(lines({ ...VALID, parameters: { top_q: 1 } })[0]).not.to.include('did you mean');
      expect(lines({ model: { name: 'm', provider: 'antropic' } })).to.deep.equal([
        'model.provider: unknown value "antropic"; did you mean "anthropic"? expected one of: anthropic, openai',
      ]);
    });
  });

  it('gives each line the dotted key path of the offending value', () => {
    const result = v.safeParse(Schema, { model: { name: 1, provider: 'anthropic' }, tools: { enabled: ['x'] }, modle: 1 });
    expect(result.success).to.equal(false);
    const issues = formatIssues(result.issues ?? [], Schema, 'toml');
    expect(issues.map((issue) => issue.keyPath)).to.deep.equal(['model.name', 'tools.enabled[0]', 'modle']);
  });

  it('never shows valibot’s default messages', () => {
    const all = [
      ...lines({ model: { name: 1, provider: 2, extra: 3 }, parameters: { max_tokens: 'many' }, tools: 5, variables: {}, servers: [] }),
      ...lines(7, 'options'),
    ];
    expect(all).not.to.have.length(0);
    for (const line of all) expect(line).not.to.match(/Invalid (type|key|value|length)|Expected |but received/);
  });
});
