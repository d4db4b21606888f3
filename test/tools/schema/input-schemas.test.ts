/**
 * Function tools from every kind of input schema: zod 4, valibot and arktype (Standard Schema),
 * `jsonSchema(...)` and a plain JSON Schema object. Each goes through the real SDK to the fake
 * server: the JSON Schema the API gets, invalid input answered with an is_error result naming the
 * key, and valid input reaching `run` as the schema's output.
 */
import { type } from 'arktype';
import { expect } from 'chai';
import sinon from 'sinon';
import * as v from 'valibot';
import * as z from 'zod';
import { InvalidArgumentError, ToolDefinitionError } from '../../../lib/errors.js';
import { textReply, toolUseReply } from '../../../lib/testing/index.js';
import { defineTool, type ToolInputSchema } from '../../../lib/tools/function-tool.js';
import { jsonSchema } from '../../../lib/tools/schema/json-schema-input.js';
import type { StandardSchemaV1 } from '../../../lib/tools/schema/standard-schema.js';
import type { ToolContext } from '../../../lib/tools/tool.js';
import { expectValidRequests, setupTest } from '../../support/setup.js';
import { withoutCaching } from '../../../lib/testing/without-caching.js';

const context = (): ToolContext => ({ signal: new AbortController().signal, toolUseId: 'toolu_1' });

/** The JSON Schema of `{ city: string (described), units?: 'c' | 'f' }`, as each library writes it. */
const weatherJson = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' }, units: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
};

interface Library {
  name: string;
  input: ToolInputSchema;
  /** The JSON Schema the API should get. */
  expected: Record<string, unknown>;
  /** The lines of the is_error result for `{ city: 42, units: 'k' }`. */
  issues: string[];
}

const libraries: Library[] = [
  {
    name: 'zod 4',
    input: z.object({ city: z.string().describe('City name'), units: z.enum(['c', 'f']).optional() }),
    expected: weatherJson,
    issues: ['city: Invalid input: expected string, received number', 'units: Invalid option: expected one of "c"|"f"'],
  },
  {
    name: 'valibot',
    input: v.object({ city: v.pipe(v.string(), v.description('City name')), units: v.optional(v.picklist(['c', 'f'])) }),
    expected: weatherJson,
    issues: ['city: expected string, received number', 'units: expected "c" | "f", received "k"'],
  },
  {
    name: 'arktype',
    input: type({ city: type.string.describe('City name'), 'units?': "'c' | 'f'" }),
    expected: { ...weatherJson, properties: { city: { type: 'string', description: 'City name' }, units: { enum: ['c', 'f'] } } },
    issues: ['city: must be City name (was a number)', 'units: must be "c" or "f" (was "k")'], // arktype says a described type by its description
  },
  {
    name: 'jsonSchema() with a validator',
    input: jsonSchema<{ city: string; units?: 'c' | 'f' }>(weatherJson as never, {
      validate: (input) => {
        const issues = [
          ...(typeof input['city'] === 'string' ? [] : [{ message: 'expected a string', path: ['city'] }]),
          ...(input['units'] === undefined || ['c', 'f'].includes(input['units'] as string) ? [] : [{ message: 'expected "c" or "f"', path: [{ key: 'units' }] }]),
        ];
        return issues.length > 0 ? { issues } : { value: { city: input['city'] as string, units: input['units'] as 'c' | 'f' | undefined } };
      },
    }),
    expected: weatherJson,
    issues: ['city: expected a string', 'units: expected "c" or "f"'],
  },
];

afterEach(() => sinon.restore());

describe('function tool input schemas', () => {
  for (const library of libraries) {
    describe(`when the input is a ${library.name} schema`, () => {
      it('sends its JSON Schema to the API, answers invalid input with an is_error result naming the keys, and runs on valid input', async () => {
        const run = sinon.spy((input: unknown) => `sunny in ${String((input as { city: unknown }).city)}`);
        const tool = defineTool({ name: 'get_weather', description: 'The weather.', input: library.input, run });
        const t = await setupTest({ tools: [tool] });
        try {
          t.server.enqueue(
            toolUseReply([{ name: 'get_weather', input: { city: 42, units: 'k' } }]),
            toolUseReply([{ name: 'get_weather', input: { city: 'Oslo' } }]),
            textReply('Sunny in Oslo.'),
          );
          const result = await t.process.run('Weather in Oslo?');
          expect(result.stopReason).to.equal('end_turn');
          const sent = withoutCaching(t.server.requests[0]!.body) as { tools: Array<{ name: string; input_schema: unknown }> };
          expect(sent.tools).to.deep.equal([{ name: 'get_weather', description: 'The weather.', input_schema: library.expected }]);
          const answers = t.server.requests.slice(1).map((request) => (withoutCaching(request.body) as { messages: Array<{ content: unknown[] }> }).messages.at(-1)!.content[0]);
          expect(answers[0]).to.deep.include({ is_error: true });
          expect(JSON.stringify(answers[0])).to.include(JSON.stringify(`Invalid input for tool "get_weather":\n${library.issues.map((line) => `- ${line}`).join('\n')}`).slice(1, -1));
          expect(answers[1]).not.to.have.property('is_error');
          expect(JSON.stringify(answers[1])).to.include('sunny in Oslo');
          expect(run.callCount).to.equal(1);
          expect(run.firstCall.args[0]).to.deep.include({ city: 'Oslo' });
          expectValidRequests(t);
        } finally {
          await t.close();
        }
      });
    });
  }

  describe('when the input is a plain JSON Schema object', () => {
    it('sends it as it is and passes the input to run unvalidated', async () => {
      const run = sinon.spy((input: Record<string, unknown>) => `echo ${String(input['text'])}`);
      const schema = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false } as const;
      const tool = defineTool({ name: 'echo', description: 'Echoes.', input: schema, run });
      const t = await setupTest({ tools: [tool] });
      try {
        t.server.enqueue(toolUseReply([{ name: 'echo', input: { text: 7 } }]), textReply('Done.'));
        await t.process.run('Echo 7');
        expect((withoutCaching(t.server.requests[0]!.body) as { tools: Array<{ input_schema: unknown }> }).tools[0]!.input_schema).to.deep.equal(schema);
        expect(run.firstCall.args[0]).to.deep.equal({ text: 7 });
      } finally {
        await t.close();
      }
    });

    it('keeps its own copy, so changing the object afterwards changes nothing', () => {
      const schema: Record<string, unknown> = { type: 'object', properties: { a: { type: 'string' } } };
      const tool = defineTool({ name: 'copy', description: 'x', input: schema as { type: 'object' }, run: () => '' });
      const made = jsonSchema(schema as { type: 'object' });
      schema['properties'] = {};
      expect(tool.inputSchema).to.deep.equal({ type: 'object', properties: { a: { type: 'string' } } });
      expect(made['~standard'].jsonSchema.input({ target: 'draft-2020-12' })).to.deep.equal({ type: 'object', properties: { a: { type: 'string' } } });
    });

    it('refuses a JSON Schema of something other than an object, naming the tool', () => {
      expect(() => defineTool({ name: 'bad', description: 'x', input: { type: 'string' } as never, run: () => '' }))
        .to.throw(ToolDefinitionError, /^tool "bad": its input must be an object schema .*got a schema of type "string"/);
    });

    it('refuses a JSON Schema that is not JSON data', () => {
      const cycle: Record<string, unknown> = { type: 'object' };
      cycle['properties'] = { self: cycle };
      expect(() => defineTool({ name: 'cyclic', description: 'x', input: cycle as { type: 'object' }, run: () => '' }))
        .to.throw(ToolDefinitionError, /^tool "cyclic": its JSON Schema input must be JSON data: .*circular/i);
      expect(() => jsonSchema(cycle as { type: 'object' })).to.throw(InvalidArgumentError, /^schema: a JSON Schema must be JSON data/);
      expect(() => jsonSchema({ type: 'object' }, { validate: 'yes' as never })).to.throw(InvalidArgumentError, /^options.validate: expected a function/);
    });
  });

  describe('when the validator is async or throws', () => {
    it('awaits an async validator and gives run its value', async () => {
      const run = sinon.spy();
      const input = jsonSchema<{ n: number }>({ type: 'object', properties: { n: { type: 'string' } } }, {
        validate: async (raw) => (typeof raw['n'] === 'string' ? { value: { n: Number(raw['n']) } } : { issues: [{ message: 'expected a numeric string', path: ['n'] }] }),
      });
      const tool = defineTool({ name: 'parse', description: 'x', input, run });
      expect(await tool.run({ n: 4 }, context())).to.deep.equal({ content: 'Invalid input for tool "parse":\n- n: expected a numeric string', isError: true });
      await tool.run({ n: '41' }, context());
      expect(run.firstCall.args[0]).to.deep.equal({ n: 41 });
    });

    it('answers at once, not with a promise, when validation and run are synchronous; later when either is not', async () => {
      const input = jsonSchema<{ n: number }>({ type: 'object' }, { validate: (raw) => ({ value: { n: Number(raw['n']) } }) });
      const syncTool = defineTool({ name: 'now', description: 'x', input, run: ({ n }) => `n=${n}` });
      expect(syncTool.run({ n: 2 }, context())).to.deep.equal({ content: 'n=2', isError: false });
      const asyncRun = defineTool({ name: 'later', description: 'x', input, run: async ({ n }) => `n=${n}` });
      const pending = asyncRun.run({ n: 3 }, context());
      expect(pending).to.be.instanceOf(Promise);
      expect(await pending).to.deep.equal({ content: 'n=3', isError: false });
      const rejecting = defineTool({ name: 'rejects', description: 'x', input, run: () => Promise.reject(new Error('run rejected')) });
      expect(await rejecting.run({ n: 1 }, context())).to.deep.equal({ content: 'Error in tool "rejects": run rejected', isError: true });
      const asyncInput = jsonSchema({ type: 'object' }, { validate: () => Promise.reject(new Error('validator rejected')) });
      const validatorRejects = defineTool({ name: 'vrejects', description: 'x', input: asyncInput, run: () => 'never' });
      expect(await validatorRejects.run({}, context())).to.deep.equal({ content: 'Error in tool "vrejects": validator rejected', isError: true });
    });

    it('awaits a validator that answers with a thenable that is not a native Promise (another realm, another promise library)', async () => {
      const later = <T>(value: T): PromiseLike<T> => ({ then: (resolve) => Promise.resolve(value).then(resolve) as never });
      const run = sinon.spy();
      const input = jsonSchema<{ n: number }>({ type: 'object' }, {
        validate: ((raw: Record<string, unknown>) =>
          later(typeof raw['n'] === 'number' ? { value: { n: raw['n'] } } : { issues: [{ message: 'expected a number', path: ['n'] }] })) as never,
      });
      const tool = defineTool({ name: 'thenable', description: 'x', input, run });
      expect(await tool.run({ n: 'four' }, context())).to.deep.equal({ content: 'Invalid input for tool "thenable":\n- n: expected a number', isError: true });
      expect(run.called).to.equal(false);
      await tool.run({ n: 4 }, context());
      expect(run.firstCall.args[0]).to.deep.equal({ n: 4 });
    });

    it('turns a validator that throws into an is_error result', async () => {
      const input = jsonSchema({ type: 'object' }, { validate: () => { throw new Error('validator broke'); } });
      const tool = defineTool({ name: 'broken', description: 'x', input, run: () => 'never' });
      expect(await tool.run({}, context())).to.deep.equal({ content: 'Error in tool "broken": validator broke', isError: true });
    });

    it('uses the transformed output of a zod schema, and the input type for the JSON Schema', async () => {
      const run = sinon.spy();
      const tool = defineTool({ name: 'num', description: 'x', input: z.object({ n: z.string().transform(Number) }), run });
      expect(tool.inputSchema).to.deep.equal({ type: 'object', properties: { n: { type: 'string' } }, required: ['n'] });
      await tool.run({ n: '41' }, context());
      expect(run.firstCall.args[0]).to.deep.equal({ n: 41 });
    });
  });

  describe('when the schema offers no JSON Schema', () => {
    /** A Standard Schema of a library without the JSON Schema hook. */
    const hookless = (extra: Record<string, unknown> = {}): StandardSchemaV1<Record<string, unknown>> => ({
      '~standard': { version: 1, vendor: 'acme', validate: (value) => ({ value: value as Record<string, unknown> }) },
      ...extra,
    });

    it('refuses it with a ToolDefinitionError naming the tool and the vendor', () => {
      expect(() => defineTool({ name: 'acme_tool', description: 'x', input: hookless(), run: () => '' }))
        .to.throw(ToolDefinitionError, /^tool "acme_tool": its input schema \(vendor "acme"\) has no JSON Schema hook \(~standard.jsonSchema\).*jsonSchema\(/)
        .with.property('tool', 'acme_tool');
    });

    it('falls back to a toJsonSchema() method when the library has one', () => {
      const toJsonSchema = sinon.spy(() => ({ type: 'object', properties: { q: { type: 'string' } } }));
      const tool = defineTool({ name: 'legacy', description: 'x', input: hookless({ toJsonSchema }), run: () => '' });
      expect(tool.inputSchema).to.deep.equal({ type: 'object', properties: { q: { type: 'string' } } });
      expect(toJsonSchema.callCount).to.equal(1);
    });

    it('refuses a zod schema JSON Schema cannot express, saying why', () => {
      expect(() => defineTool({ name: 'dated', description: 'x', input: z.object({ when: z.date() }), run: () => '' }))
        .to.throw(ToolDefinitionError, /^tool "dated": its input schema \(zod\) cannot be converted .*: Date cannot be represented in JSON Schema/);
    });

    it('refuses a schema of something other than an object', () => {
      expect(() => defineTool({ name: 'str', description: 'x', input: z.string() as never, run: () => '' }))
        .to.throw(ToolDefinitionError, /^tool "str": its input must be an object schema .*got a schema of type "string"/);
      expect(() => defineTool({ name: 'ark', description: 'x', input: type('string') as never, run: () => '' }))
        .to.throw(ToolDefinitionError, /got a schema of type "string"/);
    });
  });

  it('infers the input type of run from each library', () => {
    defineTool({
      name: 'typed_zod',
      description: 'x',
      input: z.object({ n: z.number(), label: z.string().optional() }),
      run: (input) => {
        const n: number = input.n;
        const label: string | undefined = input.label;
        // @ts-expect-error `n` is a number, not a string
        input.n.toUpperCase();
        return [n, label];
      },
    });
    defineTool({
      name: 'typed_ark',
      description: 'x',
      input: type({ n: 'number' }),
      run: (input) => {
        const n: number = input.n;
        // @ts-expect-error the schema has no key `missing`
        return [n, input.missing];
      },
    });
    defineTool({
      name: 'typed_json',
      description: 'x',
      input: jsonSchema<{ id: string }>({ type: 'object', properties: { id: { type: 'string' } } }),
      run: (input) => {
        const id: string = input.id;
        // @ts-expect-error `id` is a string
        return input.id * 2 + id;
      },
    });
    defineTool({
      name: 'typed_plain',
      description: 'x',
      input: { type: 'object', properties: {} },
      run: (input) => {
        const value: unknown = input['anything'];
        return value;
      },
    });
    // @ts-expect-error a string schema is not a tool input
    expect(() => defineTool({ name: 'not_object', description: 'x', input: z.string(), run: () => '' })).to.throw(ToolDefinitionError);
  });
});
