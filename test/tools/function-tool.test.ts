import { expect } from 'chai';
import sinon from 'sinon';
import * as v from 'valibot';
import { ToolDefinitionError } from '../../lib/errors.js';
import { defineTool, type ToolInput, type ToolInputSchema } from '../../lib/tools/function-tool.js';
import type { ToolContext } from '../../lib/tools/tool.js';
import { toToolResult } from '../../lib/tools/tool-output.js';

const context = (): ToolContext => ({ signal: new AbortController().signal, toolUseId: 'toolu_1' });

const weatherInput = v.object({
  location: v.object({
    city: v.pipe(v.string(), v.description('City name')),
    country: v.optional(v.string()),
  }),
  units: v.picklist(['c', 'f']),
});

/** A tool with `input` whose `run` is `run`, for the cases that only care about one of them. */
function toolWith<TSchema extends ToolInputSchema>(
  input: TSchema,
  run: (input: ToolInput<TSchema>, context: ToolContext) => unknown = () => 'ok',
) {
  return defineTool({ name: 'probe', description: 'A probe.', input, run });
}

/** The error message `defineTool` throws for `definition`. */
function definitionError(definition: Record<string, unknown>): ToolDefinitionError {
  const base = { name: 'probe', description: 'A probe.', input: v.object({}), run: () => '' };
  try {
    defineTool({ ...base, ...definition } as never);
  } catch (error) {
    expect(error).to.be.instanceOf(ToolDefinitionError);
    return error as ToolDefinitionError;
  }
  throw new Error('defineTool did not throw');
}

afterEach(() => sinon.restore());

describe('defineTool', () => {
  describe('when defined', () => {
    it('generates the JSON Schema the API gets from the valibot schema', () => {
      const tool = defineTool({ name: 'get_weather', description: 'The weather.', input: weatherInput, run: () => 'sunny' });
      expect(tool).to.include({ name: 'get_weather', description: 'The weather.' });
      expect(tool.source).to.deep.equal({ kind: 'function' });
      expect(tool.inputSchema).not.to.have.property('$schema');
      expect(tool.inputSchema).to.deep.include({ type: 'object', required: ['location', 'units'] });
      const properties = tool.inputSchema['properties'] as Record<string, Record<string, unknown>>;
      expect(properties['units']).to.deep.equal({ type: 'string', enum: ['c', 'f'] });
      expect(properties['location']).to.deep.include({ type: 'object', required: ['city'] });
      expect((properties['location']!['properties'] as Record<string, unknown>)['city']).to.deep.equal({ type: 'string', description: 'City name' });
    });

    it('accepts strict, loose and piped object schemas, describing what the model must send', () => {
      expect(toolWith(v.strictObject({ a: v.string() })).inputSchema).to.deep.include({ type: 'object', additionalProperties: false });
      expect(toolWith(v.looseObject({ a: v.string() })).inputSchema).to.deep.equal({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
      const piped = toolWith(v.pipe(v.object({ n: v.pipe(v.string(), v.transform(Number)) }), v.check(() => true), v.description('Piped.')));
      expect(piped.inputSchema).to.deep.equal({ type: 'object', properties: { n: { type: 'string' } }, required: ['n'], description: 'Piped.' });
    });

    it('keeps the exclusive flag', () => {
      const tool = defineTool({ name: 'alone', description: 'x', input: v.object({}), run: () => '', exclusive: true });
      expect(tool.exclusive).to.equal(true);
    });

    it('accepts a name of 64 characters', () => {
      expect(toolWith(v.object({})).name).to.equal('probe');
      expect(defineTool({ name: 'a'.repeat(64), description: 'x', input: v.object({}), run: () => '' }).name).to.have.length(64);
    });

    for (const bad of ['', 'a'.repeat(65), 'has space', 'a.b', 'émoji']) {
      it(`refuses the name ${JSON.stringify(bad.length > 10 ? `${bad.slice(0, 5)}…(${bad.length})` : bad)}`, () => {
        const error = definitionError({ name: bad });
        expect(error.message).to.match(/invalid tool name .* must match/);
        expect(error.tool).to.equal(bad);
      });
    }

    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ['an empty description', { description: ' ' }, /needs a non-empty description/],
      ['a description that is not a string', { description: 42 }, /needs a non-empty description/],
      ['a run that is not a function', { run: 'go' }, /"run" must be a function/],
      ['an input that is not a schema', { input: 'city: string' }, /"input" must be a Standard Schema of an object .* or a JSON Schema object .*; got string/],
      ['an input that is neither a schema nor an object schema', { input: { city: 'string' } }, /its input must be an object schema .*got a schema of type "\(none\)"/],
      ['an input that is not an object schema', { input: v.string() }, /must be an object schema .*got a schema of type "string"/],
      ['an input that is a union', { input: v.union([v.object({ a: v.string() }), v.object({ b: v.string() })]) }, /must be an object schema/],
      ['a key JSON Schema cannot express', { input: v.object({ location: v.object({ when: v.date() }) }) }, /cannot be converted .* at location\.when: The "date" schema/],
      ['an array item JSON Schema cannot express', { input: v.object({ tags: v.optional(v.array(v.bigint())) }) }, /at tags\[\]: The "bigint" schema/],
    ];
    for (const [what, definition, message] of refusals) {
      it(`refuses ${what}, naming the tool`, () => {
        const error = definitionError(definition);
        expect(error.message).to.match(message);
        expect(error.message).to.match(/^tool "probe": /);
        expect(error.tool).to.equal('probe');
      });
    }
  });

  describe('when the model sends invalid input', () => {
    it('does not call run, and lists every issue by key path', async () => {
      const run = sinon.spy();
      const tool = defineTool({ name: 'get_weather', description: 'x', input: weatherInput, run });
      const result = await tool.run({ location: { city: 42 }, units: 'k' }, context());
      expect(run.called).to.equal(false);
      expect(result).to.deep.equal({
        content: 'Invalid input for tool "get_weather":\n- location.city: expected string, received number\n- units: expected "c" | "f", received "k"',
        isError: true,
      });
    });

    it('says which keys are missing', async () => {
      const tool = defineTool({ name: 'get_weather', description: 'x', input: weatherInput, run: () => '' });
      expect((await tool.run({}, context())).content).to.equal('Invalid input for tool "get_weather":\n- location: missing\n- units: missing');
      expect((await tool.run({ location: {}, units: 'c' }, context())).content).to.equal('Invalid input for tool "get_weather":\n- location.city: missing');
    });

    it('names array items, unknown keys and failed checks, and shortens long values', async () => {
      const tool = toolWith(v.strictObject({ tags: v.array(v.string()), n: v.pipe(v.number(), v.minValue(1)), mode: v.optional(v.literal('fast')) }));
      const result = await tool.run({ tags: ['a', null], n: 0, mode: 'slow'.repeat(50), extra: true }, context());
      expect(result.content).to.equal(
        'Invalid input for tool "probe":\n' +
          '- tags[1]: expected string, received null\n' +
          '- n: expected >=1, received 0\n' +
          `- mode: expected "fast", received "${'slow'.repeat(50).slice(0, 57)}..."\n` +
          '- extra: unknown key',
      );
    });

    it('validates with an async schema, giving a check its own message', async () => {
      const run = sinon.spy();
      const tool = toolWith(v.objectAsync({ a: v.pipeAsync(v.string(), v.checkAsync(async (text) => text !== 'bad', 'must not be "bad"')) }), run);
      expect(tool.inputSchema).to.deep.equal({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
      expect(await tool.run({ a: 'bad' }, context())).to.deep.equal({ content: 'Invalid input for tool "probe":\n- a: must not be "bad"', isError: true });
      expect(run.called).to.equal(false);
      expect(await tool.run({ a: 'good' }, context())).to.deep.equal({ content: '', isError: false });
      expect(run.firstCall.args[0]).to.deep.equal({ a: 'good' });
    });

    it('turns a validation that throws into an is_error result', async () => {
      const tool = toolWith(v.object({ a: v.pipe(v.string(), v.check(() => { throw new Error('checker broke'); })) }));
      expect(await tool.run({ a: 'x' }, context())).to.deep.equal({ content: 'Error in tool "probe": checker broke', isError: true });
    });
  });

  describe('when the input is valid', () => {
    it('passes the parsed input, the signal and the tool_use id to run', async () => {
      const run = sinon.spy((input: ToolInput<typeof weatherInput>, _context: ToolContext) => `${input.location.city} in ${input.units}`);
      const tool = defineTool({ name: 'w', description: 'x', input: weatherInput, run });
      const ctx = context();
      expect(await tool.run({ location: { city: 'Oslo', extra: 1 }, units: 'c' }, ctx)).to.deep.equal({ content: 'Oslo in c', isError: false });
      expect(run.firstCall.args[0], 'the parsed output, unknown keys stripped').to.deep.equal({ location: { city: 'Oslo' }, units: 'c' });
      const passed = run.firstCall.args[1];
      expect(passed.signal).to.equal(ctx.signal);
      expect(passed.toolUseId).to.equal('toolu_1');
    });

    it('gives run the transformed output', async () => {
      const run = sinon.spy((input: { n: number }) => input.n + 1);
      await toolWith(v.object({ n: v.pipe(v.string(), v.transform(Number)) }), run).run({ n: '41' }, context());
      expect(run.firstCall.args[0]).to.deep.equal({ n: 41 });
    });

    const returns: Array<[string, unknown, unknown]> = [
      ['a string as text', 'sunny', 'sunny'],
      ['undefined as empty text', undefined, ''],
      ['an object as JSON', { temp: 21 }, '{\n  "temp": 21\n}'],
      ['content parts as parts', [{ type: 'text', text: 'a' }], [{ type: 'text', text: 'a' }]],
    ];
    for (const [what, value, content] of returns) {
      it(`sends ${what}`, async () => {
        expect(await toolWith(v.object({}), async () => value).run({}, context())).to.deep.equal({ content, isError: false });
      });
    }

    it('passes a { content, isError } result through', async () => {
      const tool = toolWith(v.object({}), () => ({ content: 'city unknown', isError: true }));
      expect(await tool.run({}, context())).to.deep.equal({ content: 'city unknown', isError: true });
    });
  });

  describe('when run throws', () => {
    const throws: Array<[string, () => unknown, string]> = [
      ['an Error', () => { throw new Error('no network'); }, 'no network'],
      ['a rejected string', () => Promise.reject('plain string'), 'plain string'],
      ['an Error without a message', () => { throw new TypeError(); }, 'TypeError'],
      ['a plain object', () => { throw { code: 7 }; }, '{"code":7}'],
      ['an object without a prototype', () => { throw Object.create(null); }, '{}'],
    ];
    for (const [what, run, message] of throws) {
      it(`turns ${what} into an is_error result`, async () => {
        expect(await toolWith(v.object({}), run).run({}, context())).to.deep.equal({ content: `Error in tool "probe": ${message}`, isError: true });
      });
    }
  });

  it('infers the input type for run', () => {
    defineTool({
      name: 'typed',
      description: 'x',
      input: v.object({ n: v.number(), label: v.optional(v.string()) }),
      run: (input) => {
        const sum: number = input.n + 1;
        const label: string | undefined = input.label;
        // @ts-expect-error `n` is a number, not a string
        input.n.toUpperCase();
        // @ts-expect-error the schema has no key `missing`
        return [sum, label, input.missing];
      },
    });
  });
});

describe('toToolResult', () => {
  it('sends a string as text, and undefined or null as empty text', () => {
    expect(toToolResult('text')).to.deep.equal({ content: 'text', isError: false });
    expect(toToolResult(undefined)).to.deep.equal({ content: '', isError: false });
    expect(toToolResult(null)).to.deep.equal({ content: '', isError: false });
  });

  it('sends other values as pretty JSON', () => {
    expect(toToolResult({ a: [1] })).to.deep.equal({ content: '{\n  "a": [\n    1\n  ]\n}', isError: false });
    expect(toToolResult(42)).to.deep.equal({ content: '42', isError: false });
    expect(toToolResult([]), 'an empty array is JSON, not parts').to.deep.equal({ content: '[]', isError: false });
    expect(toToolResult([{ type: 'text' }]), 'malformed parts are JSON').to.deep.equal({ content: '[\n  {\n    "type": "text"\n  }\n]', isError: false });
  });

  it('sends text and image parts as parts', () => {
    const parts = [{ type: 'text', text: 'a' }, { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' }];
    expect(toToolResult(parts)).to.deep.equal({ content: parts, isError: false });
  });

  it('passes a { content, isError } result through, keeping only those fields', () => {
    expect(toToolResult({ content: 'failed', isError: true, extra: 1 })).to.deep.equal({ content: 'failed', isError: true });
    expect(toToolResult({ content: 'half', isError: 'no' }), 'isError must be a boolean').to.deep.include({ content: '{\n  "content": "half",\n  "isError": "no"\n}' });
  });

  it('refuses a value JSON cannot hold, saying so', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(toToolResult(cycle)).to.deep.include({ isError: true }).and.to.have.property('content').that.matches(/cannot be sent as JSON: .*circular/i);
    expect(toToolResult(10n)).to.deep.include({ isError: true }).and.to.have.property('content').that.matches(/cannot be sent as JSON: .*BigInt/);
    expect(toToolResult(() => 1)).to.deep.equal({ content: 'The tool returned a function, which cannot be sent as JSON.', isError: true });
    expect(toToolResult(Symbol('s'))).to.deep.equal({ content: 'The tool returned a symbol, which cannot be sent as JSON.', isError: true });
  });
});
