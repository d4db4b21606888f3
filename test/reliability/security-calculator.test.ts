/**
 * R17: the calculator is a whitelist grammar. Named hostile inputs, properties over well-formed
 * and random expressions, and one run end to end: what the model sends is evaluated or refused
 * as an is_error tool result, and nothing reaches JavaScript.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { calculatorTool } from '../../lib/tools/builtin/calculator.js';
import { evaluateExpression, ExpressionError, MAX_DEPTH } from '../../lib/tools/builtin/calculator-grammar.js';
import type { ToolResult } from '../../lib/tools/tool.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest } from '../support/setup.js';
import { resultText, toolResultsOf } from './mcp-support.js';

/** Runs the calculator tool as the loop does. */
async function calculate(input: unknown): Promise<ToolResult> {
  return calculatorTool.run(input as Record<string, unknown>, { signal: new AbortController().signal, toolUseId: 'toolu_r17' });
}

/** The error text of a refused expression; fails if the calculator accepts it. */
async function refusal(expression: string): Promise<string> {
  const result = await calculate({ expression });
  expect(result.isError, `${JSON.stringify(expression.slice(0, 80))} should be refused, got ${String(result.content)}`).to.equal(true);
  expect(result.content).to.be.a('string');
  return result.content as string;
}

/** Names JavaScript would resolve on an object, a function or the global scope. */
const JAVASCRIPT_NAMES = [
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  '__lookupGetter__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'this',
  'globalThis',
  'process',
  'require',
  'eval',
  'Function',
  'Math',
  'Object',
  'import',
  'apply',
  'call',
  'bind',
  'length',
  'name',
];

describe('reliability: the calculator (R17)', () => {
  describe('named hostile inputs', () => {
    it('R17: constructor, __proto__ and other JavaScript names are unknown names, never properties', async () => {
      for (const name of JAVASCRIPT_NAMES) {
        expect(await refusal(name)).to.equal(`Error: unknown name '${name}' at position 0; constants: pi, e, tau`);
        expect(await refusal(`${name}(1)`)).to.match(new RegExp(`^Error: unknown function '${name.replace(/\$/g, '\\$')}' at position 0; available: sqrt, `));
      }
      expect(await refusal('constructor.constructor("return process")()')).to.equal("Error: unexpected character '.' at position 11");
      expect(await refusal('sqrt.constructor')).to.equal("Error: unexpected character '.' at position 4");
      expect(await refusal('pi["constructor"]')).to.equal("Error: unexpected character '[' at position 2");
      expect(await refusal('(1).toString()')).to.equal("Error: unexpected character '.' at position 3");
      expect(await refusal('`${process.exit()}`')).to.equal("Error: unexpected character '`' at position 0");
      expect(await refusal('x => x')).to.equal("Error: unexpected character '=' at position 2");
      expect(await refusal('a = 1')).to.equal("Error: unexpected character '=' at position 2");
      expect(await refusal('1; process.exit(1)')).to.equal("Error: unexpected character ';' at position 1");
    });

    it('R17: huge exponents, factorials and numbers get a clear "too large" error instead of Infinity or a hang', async () => {
      expect(await refusal('9^9^9^9^9^9^9^9^9^9')).to.equal('Error: result is too large at position 15');
      expect(await refusal('2 ** 1024')).to.equal('Error: result is too large at position 2');
      expect(await refusal('pow(10, 400)')).to.match(/^Error: result is too large at position \d+$/);
      expect(await refusal('1e400')).to.equal("Error: number '1e400' at position 0 is too large");
      expect(await refusal('factorial(171)')).to.equal('Error: factorial expects an integer from 0 to 170, got 171');
      expect(await refusal('factorial(1e9)')).to.equal('Error: factorial expects an integer from 0 to 170, got 1000000000');
      expect(await refusal('exp(1000)')).to.equal('Error: result is too large: exp(1000) is not finite (position 0)');
      expect(await refusal('0 ^ -1')).to.equal('Error: division by zero: 0 raised to a negative power at position 2');
      expect(await refusal('sqrt(-1)')).to.equal('Error: sqrt(-1) is not a real number (position 0)');
      expect(await calculate({ expression: '2 ** 1023' })).to.deep.equal({ content: String(2 ** 1023), isError: false });
    });

    it('R17: deep nesting, long inputs and many tokens are refused with the limit named', async () => {
      expect(await calculate({ expression: `${'('.repeat(MAX_DEPTH)}1${')'.repeat(MAX_DEPTH)}` })).to.deep.equal({ content: '1', isError: false });
      expect(await refusal(`${'('.repeat(MAX_DEPTH + 1)}1${')'.repeat(MAX_DEPTH + 1)}`)).to.equal('Error: nesting deeper than 100 levels at position 100');
      expect(await refusal(`${'-'.repeat(300)}1`)).to.equal('Error: nesting deeper than 100 levels at position 100');
      expect(await refusal(`${'sqrt('.repeat(150)}1${')'.repeat(150)}`)).to.match(/^Error: nesting deeper than 100 levels at position \d+$/);
      expect(await refusal(Array.from({ length: 150 }, () => '1').join('^'))).to.match(/^Error: nesting deeper than 100 levels/);
      expect(await refusal('('.repeat(100_000))).to.equal('Error: expression is too long (100000 characters; the limit is 1000)');
      expect(await refusal(Array.from({ length: 251 }, () => '1').join('+'))).to.equal('Error: expression has too many tokens (the limit is 500)');
    });

    it('R17: a bad input object is a tool error, never a throw', async () => {
      for (const input of [null, [], 'sqrt(4)', 42, {}, { expression: 7 }, { expression: 'sqrt(4)', precision: 99 }, { expression: '1', extra: true }, { __proto__: { expression: '1' } }]) {
        const result = await calculate(input);
        expect(result.isError, JSON.stringify(input)).to.equal(true);
        expect(result.content).to.match(/^Error: /).and.not.match(/failed unexpectedly/);
      }
    });
  });

  describe('properties', () => {
    /** A generated expression and its value by a reference evaluation of the same tree. */
    interface Expr {
      text: string;
      /** The reference value; `NaN` when some step divides by zero or leaves the finite reals. */
      value: number;
      /** 4 atoms and parenthesized, 3 unary minus, 2 * / %, 1 + -. */
      precedence: number;
    }

    /** A step of the reference evaluation: NaN from any step that is not a finite real number. */
    const step = (value: number): number => (Number.isFinite(value) ? value : NaN);

    const atom = fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }).map((n): Expr => ({ text: String(n), value: n, precedence: 4 })),
      fc.integer({ min: 0, max: 100_000 }).map((n): Expr => ({ text: String(n / 1000), value: n / 1000, precedence: 4 })),
      fc.integer({ min: 1, max: 999 }).map((n): Expr => ({ text: `${n}e-3`, value: Number(`${n}e-3`), precedence: 4 })),
      fc.constantFrom<Expr>({ text: 'pi', value: Math.PI, precedence: 4 }, { text: 'E', value: Math.E, precedence: 4 }, { text: 'tau', value: 2 * Math.PI, precedence: 4 }),
    );

    const wrap = (e: Expr): string => `(${e.text})`;
    const ops: Record<string, (a: number, b: number) => number> = {
      '+': (a, b) => a + b,
      '-': (a, b) => a - b,
      '*': (a, b) => a * b,
      '/': (a, b) => (b === 0 ? NaN : a / b),
      '%': (a, b) => (b === 0 ? NaN : a % b),
    };
    const functions: Record<string, (args: number[]) => number> = {
      sqrt: ([x = NaN]) => Math.sqrt(x),
      abs: ([x = NaN]) => Math.abs(x),
      floor: ([x = NaN]) => Math.floor(x),
      ceil: ([x = NaN]) => Math.ceil(x),
      sin: ([x = NaN]) => Math.sin(x),
      exp: ([x = NaN]) => Math.exp(x),
      ln: ([x = NaN]) => Math.log(x),
      min: (args) => Math.min(...args),
      max: (args) => Math.max(...args),
      atan2: ([y = NaN, x = NaN]) => Math.atan2(y, x),
    };
    const arity: Record<string, number | 'any'> = { sqrt: 1, abs: 1, floor: 1, ceil: 1, sin: 1, exp: 1, ln: 1, min: 'any', max: 'any', atan2: 2 };

    const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        // a op b, parenthesized where precedence needs it, and sometimes where it does not.
        fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%'), tie('expr'), fc.boolean()).map(([a, op, b, extra]): Expr => {
          const precedence = op === '+' || op === '-' ? 1 : 2;
          const left = a.precedence < precedence || extra ? wrap(a) : a.text;
          const right = b.precedence <= precedence || extra ? wrap(b) : b.text;
          return { text: `${left} ${op} ${right}`, value: Number.isNaN(a.value) || Number.isNaN(b.value) ? NaN : step(ops[op]!(a.value, b.value)), precedence };
        }),
        tie('expr').map((a): Expr => ({ text: `-${a.precedence >= 3 ? a.text : wrap(a)}`, value: -a.value, precedence: 3 })),
        // Powers: base and exponent parenthesized, so the reference needs no precedence rules.
        fc.tuple(tie('expr'), fc.integer({ min: -4, max: 4 }), fc.constantFrom('^', '**')).map(([a, n, op]): Expr => ({
          text: `${wrap(a)} ${op} (${n})`,
          value: Number.isNaN(a.value) || (a.value === 0 && n < 0) ? NaN : step(a.value ** n),
          precedence: 4,
        })),
        fc.tuple(fc.constantFrom(...Object.keys(functions)), fc.array(tie('expr'), { minLength: 1, maxLength: 3 })).map(([name, args]): Expr => {
          const wanted = arity[name]!;
          const used = wanted === 'any' ? args : Array.from({ length: wanted }, (_, i) => args[i % args.length]!);
          const values = used.map((arg) => arg.value);
          return { text: `${name}(${used.map((arg) => arg.text).join(', ')})`, value: values.some(Number.isNaN) ? NaN : step(functions[name]!(values)), precedence: 4 };
        }),
      ),
    }));

    it('R17: random well-formed expressions match a reference evaluation (or are refused exactly when the reference leaves the finite reals)', async () => {
      await fc.assert(
        fc.asyncProperty(expr, async ({ text, value }) => {
          if (text.length > 1000) return;
          // A NaN anywhere in a subtree poisons the reference value (NaN propagates through every step).
          const result = await calculate({ expression: text, precision: 15 });
          if (Number.isNaN(value)) {
            expect(result.isError, `${text} should be refused, got ${String(result.content)}`).to.equal(true);
            expect(result.content).to.match(/^Error: (division by zero|modulo by zero|result is too large|.* is not a real number)/);
          } else {
            expect(result.isError, `${text} = ${value}, got ${String(result.content)}`).to.equal(false);
            const got = evaluateExpression(text);
            expect(Math.abs(got - value), `${text} = ${got}, expected ${value}`).to.be.at.most(1e-9 * Math.max(1, Math.abs(value)));
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('R17: random strings give a number or a tool error with a clear message, never a throw or a JavaScript value', async () => {
      const hostile = fc.constantFrom(...JAVASCRIPT_NAMES, '.', '[', ']', '{', '}', '"', "'", '`', '=', ';', '=>', '$', '\\', '\0', '\u202e', '9^9', '1e308', '(', ')', ',', '-', 'sqrt(', 'pi', '**');
      const strings = fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)), maxLength: 30 }),
        fc.array(hostile, { maxLength: 40 }).map((parts) => parts.join('')),
        fc.array(hostile, { maxLength: 40 }).map((parts) => parts.join(' ')),
      );
      await fc.assert(
        fc.asyncProperty(strings, async (expression) => {
          const result = await calculate({ expression });
          expect(typeof result.content).to.equal('string');
          const content = result.content as string;
          if (result.isError) {
            expect(content).to.match(/^Error: \S/).and.not.match(/failed unexpectedly/);
          } else {
            // The only success is a finite number as text: never a function, an object or a string from JavaScript.
            expect(Number.isFinite(Number(content)), `${JSON.stringify(expression)} gave ${content}`).to.equal(true);
          }
        }),
        { numRuns: 1500 },
      );
    });

    it('R17: any identifier outside the whitelist is an unknown name or function, whatever it names in JavaScript', () => {
      const known = new Set(['pi', 'e', 'tau', ...'sqrt abs sin cos tan asin acos atan atan2 sinh cosh tanh log ln log10 log2 exp floor ceil round trunc sign min max pow factorial'.split(' ')]);
      const objectNames = [...new Set([Object.prototype, Function.prototype, globalThis, Math].flatMap((target) => Object.getOwnPropertyNames(target)))].filter((name) =>
        /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
      );
      const identifier = fc.oneof(fc.constantFrom(...objectNames), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/)).filter((name) => !known.has(name.toLowerCase()));
      fc.assert(
        fc.property(identifier, (name) => {
          for (const [text, pattern] of [
            [name, `unknown name '${name}' at position 0`],
            [`${name}(1)`, `unknown function '${name}' at position 0`],
            [`1 + ${name}`, `unknown name '${name}' at position 4`],
          ] as const) {
            let thrown: unknown;
            try {
              evaluateExpression(text);
            } catch (error) {
              thrown = error;
            }
            expect(thrown, text).to.be.instanceOf(ExpressionError);
            expect((thrown as Error).message.startsWith(pattern), (thrown as Error).message).to.equal(true);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });

  it('R17: end to end, a hostile expression from the model comes back as an is_error tool result and the run goes on', async () => {
    const t = await setupTest({ tools: ['calculator'] });
    try {
      t.server.enqueue(
        toolUseReply([
          { id: 'toolu_js', name: 'calculator', input: { expression: 'constructor.constructor("return process")()' } },
          { id: 'toolu_big', name: 'calculator', input: { expression: '9^9^9^9' } },
          { id: 'toolu_ok', name: 'calculator', input: { expression: '12*34' } },
        ]),
        textReply('12 × 34 = 408; the rest was refused.'),
      );
      const result = await t.process.run('Compute things.');
      expect(result.stopReason).to.equal('end_turn');
      const results = toolResultsOf(t.server.requests[1]);
      expect(results.map((r) => [r.tool_use_id, r.is_error ?? false, resultText(r)])).to.deep.equal([
        ['toolu_js', true, "Error: unexpected character '.' at position 11"],
        ['toolu_big', true, 'Error: result is too large at position 3'],
        ['toolu_ok', false, '408'],
      ]);
    } finally {
      await t.close();
    }
  });
});
