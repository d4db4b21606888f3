import { expect } from 'chai';
import sinon from 'sinon';
import * as v from 'valibot';
import { ToolDefinitionError } from '../../lib/errors.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import { toToolResult } from '../../lib/tools/tool-output.js';

const context = () => ({ signal: new AbortController().signal, toolUseId: 'toolu_1' });

const weatherInput = v.object({
  location: v.object({ city: v.pipe(v.string(), v.description('City name')), country: v.optional(v.string()) }),
  units: v.picklist(['c', 'f']),
});

describe('defineTool', () => {
  it('generates the JSON Schema the API gets from the valibot schema', () => {
    const tool = defineTool({ name: 'get_weather', description: 'The weather.', input: weatherInput, run: () => 'sunny' });
    expect(tool).to.include({ name: 'get_weather', description: 'The weather.' });
    expect(tool.source).to.deep.equal({ kind: 'function' });
    expect(tool.inputSchema).not.to.have.property('$schema');
    expect(tool.inputSchema).to.deep.include({ type: 'object', required: ['location', 'units'] });
    const location = (tool.inputSchema['properties'] as Record<string, { properties: Record<string, unknown> }>)['location']!;
    expect(location.properties['city']).to.deep.equal({ type: 'string', description: 'City name' });
  });

  for (const bad of ['', 'a'.repeat(65), 'has space', 'a.b', 'émoji']) {
    it(`refuses the name ${JSON.stringify(bad.length > 10 ? `${bad.slice(0, 5)}…(${bad.length})` : bad)}`, () => {
      expect(() => defineTool({ name: bad, description: 'x', input: v.object({}), run: () => '' }))
        .to.throw(ToolDefinitionError, /invalid tool name .* must match/)
        .with.property('tool', bad);
    });
  }

  it('refuses a missing description, a non-object schema and a schema JSON Schema cannot express', () => {
    expect(() => defineTool({ name: 'a', description: ' ', input: v.object({}), run: () => '' })).to.throw(ToolDefinitionError, /non-empty description/);
    expect(() => defineTool({ name: 'a', description: 'x', input: v.string() as never, run: () => '' })).to.throw(ToolDefinitionError, /must be an object schema/);
    expect(() => defineTool({ name: 'a', description: 'x', input: v.object({ when: v.date() }), run: () => '' })).to.throw(ToolDefinitionError, /cannot be expressed as JSON Schema/);
  });

  it('validates input before run, listing the issues by key path', async () => {
    const run = sinon.spy();
    const tool = defineTool({ name: 'get_weather', description: 'x', input: weatherInput, run });
    const result = await tool.run({ location: { city: 42 }, units: 'k' }, context());
    expect(run.called).to.equal(false);
    expect(result.isError).to.equal(true);
    expect(result.content).to.equal('Invalid input for tool "get_weather":\n- location.city: expected string, received 42\n- units: expected ("c" | "f"), received "k"');
    const missing = await tool.run({}, context());
    expect(missing.content).to.equal('Invalid input for tool "get_weather":\n- location: missing\n- units: missing');
  });

  it('passes the parsed input, the signal and the tool_use id to run', async () => {
    const run = sinon.spy((input: { location: { city: string }; units: 'c' | 'f' }, _context: unknown) => `${input.location.city} in ${input.units}`);
    const tool = defineTool({ name: 'w', description: 'x', input: weatherInput, run });
    const ctx = context();
    expect(await tool.run({ location: { city: 'Oslo' }, units: 'c' }, ctx)).to.deep.equal({ content: 'Oslo in c', isError: false });
    expect(run.firstCall.args[1]).to.equal(ctx);
  });

  it('turns a throw into an is_error result', async () => {
    const tool = defineTool({ name: 'boom', description: 'x', input: v.object({}), run: () => { throw new Error('no network'); } });
    expect(await tool.run({}, context())).to.deep.equal({ content: 'Error in tool "boom": no network', isError: true });
    const weird = defineTool({ name: 'weird', description: 'x', input: v.object({}), run: () => Promise.reject('plain string') });
    expect(await weird.run({}, context())).to.deep.equal({ content: 'Error in tool "weird": plain string', isError: true });
  });

  it('infers the input type for run', () => {
    defineTool({
      name: 'typed',
      description: 'x',
      input: v.object({ n: v.number() }),
      // @ts-expect-error `n` is a number, not a string
      run: (input) => input.n.toUpperCase(),
    });
  });
});

describe('toToolResult', () => {
  it('converts what a tool returns', () => {
    expect(toToolResult('text')).to.deep.equal({ content: 'text', isError: false });
    expect(toToolResult(undefined)).to.deep.equal({ content: '', isError: false });
    expect(toToolResult({ a: 1 })).to.deep.equal({ content: '{\n  "a": 1\n}', isError: false });
    expect(toToolResult({ content: 'failed', isError: true })).to.deep.equal({ content: 'failed', isError: true });
    const parts = [{ type: 'text', text: 'a' }, { type: 'image', mediaType: 'image/png', data: 'AAAA' }];
    expect(toToolResult(parts)).to.deep.equal({ content: parts, isError: false });
    expect(toToolResult(42)).to.deep.equal({ content: '42', isError: false });
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(toToolResult(cycle)).to.deep.include({ isError: true });
    expect(toToolResult(10n).content).to.match(/cannot be sent as JSON/);
  });
});
