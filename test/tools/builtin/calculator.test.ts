import { expect } from 'chai';
import fc from 'fast-check';
import { calculatorTool, DEFAULT_PRECISION, formatNumber, MAX_PRECISION } from '../../../lib/tools/builtin/calculator.js';
import type { ToolResult } from '../../../lib/tools/tool.js';

const context = { signal: new AbortController().signal, toolUseId: 'toolu_1' };
/** Calls the tool with any input, as a model (or a fuzzer) might send it. */
const calc = async (input: unknown): Promise<ToolResult> => calculatorTool.run(input as Record<string, unknown>, context);
const ok = (content: string): ToolResult => ({ content, isError: false });
const failed = (content: string): ToolResult => ({ content, isError: true });

describe('calculator tool', () => {
  it('describes itself as a builtin with a strict JSON schema', () => {
    expect(calculatorTool.name).to.equal('calculator');
    expect(calculatorTool.source).to.deep.equal({ kind: 'builtin' });
    expect(calculatorTool.description).to.match(/expression/).and.to.match(/sqrt/).and.to.match(/factorial/);
    expect(calculatorTool.inputSchema).to.deep.include({ type: 'object', required: ['expression'], additionalProperties: false });
    const properties = calculatorTool.inputSchema['properties'] as Record<string, Record<string, unknown>>;
    expect(properties['expression']).to.include({ type: 'string' });
    expect(properties['precision']).to.include({ type: 'integer', minimum: 0, maximum: MAX_PRECISION });
    expect(Object.keys(properties)).to.deep.equal(['expression', 'precision']);
  });

  it('returns the result as text, rounded to 6 decimal places by default', async () => {
    expect(DEFAULT_PRECISION).to.equal(6);
    expect(await calc({ expression: '12*34' })).to.deep.equal(ok('408'));
    expect(await calc({ expression: '1/3' })).to.deep.equal(ok('0.333333'));
    expect(await calc({ expression: '2/3' })).to.deep.equal(ok('0.666667'));
    expect(await calc({ expression: '2.50 * 2' })).to.deep.equal(ok('5'));
    expect(await calc({ expression: '-2^2' })).to.deep.equal(ok('-4'));
    expect(await calc({ expression: 'sqrt(2)' })).to.deep.equal(ok('1.414214'));
  });

  it('rounds to the precision asked for', async () => {
    expect(await calc({ expression: '1/3', precision: 2 })).to.deep.equal(ok('0.33'));
    expect(await calc({ expression: 'pi', precision: 0 })).to.deep.equal(ok('3'));
    expect(await calc({ expression: 'pi', precision: 10 })).to.deep.equal(ok('3.1415926536'));
    expect(await calc({ expression: '0.1 + 0.2', precision: 15 })).to.deep.equal(ok('0.3'));
    expect(await calc({ expression: '1', precision: 3.0 })).to.deep.equal(ok('1'));
  });

  it('turns expression errors into is_error results the model can act on', async () => {
    expect(await calc({ expression: '1/0' })).to.deep.equal(failed('Error: division by zero at position 1'));
    expect(await calc({ expression: '2 $ 3' })).to.deep.equal(failed("Error: unexpected character '$' at position 2"));
    expect(await calc({ expression: '' })).to.deep.equal(failed('Error: expression is empty'));
    expect(await calc({ expression: 'constructor' })).to.deep.equal(failed("Error: unknown name 'constructor' at position 0; constants: pi, e, tau"));
    expect(await calc({ expression: '9^9^9^9' })).to.deep.equal(failed('Error: result is too large at position 3'));
    expect(await calc({ expression: '('.repeat(1_000_000) })).to.deep.equal(
      failed('Error: expression is too long (1000000 characters; the limit is 1000)'),
    );
  });

  it('checks its input itself and names the bad field', async () => {
    expect(await calc({})).to.deep.equal(failed('Error: "expression" is required: a string such as "2 * (3 + 4)".'));
    expect(await calc({ expression: 42 })).to.deep.equal(failed('Error: "expression" must be a string such as "2 * (3 + 4)", got 42.'));
    expect(await calc({ expression: null })).to.deep.equal(failed('Error: "expression" must be a string such as "2 * (3 + 4)", got null.'));
    expect(await calc({ expression: ['1'] })).to.deep.equal(failed('Error: "expression" must be a string such as "2 * (3 + 4)", got an array.'));
    const badPrecision = (got: string) => failed(`Error: "precision" must be an integer from 0 to 15 (decimal places), got ${got}.`);
    expect(await calc({ expression: '1', precision: 99 })).to.deep.equal(badPrecision('99'));
    expect(await calc({ expression: '1', precision: -1 })).to.deep.equal(badPrecision('-1'));
    expect(await calc({ expression: '1', precision: 2.5 })).to.deep.equal(badPrecision('2.5'));
    expect(await calc({ expression: '1', precision: '2' })).to.deep.equal(badPrecision('a string'));
    expect(await calc({ expression: '1', precision: null })).to.deep.equal(badPrecision('null'));
    expect(await calc({ expression: '1', extra: true })).to.deep.equal(
      failed('Error: unknown field "extra"; the fields are "expression" and "precision".'),
    );
    const notAnObject = failed('Error: the input must be an object such as {"expression": "2 * (3 + 4)"}.');
    for (const input of [null, undefined, '1+1', 3, ['1+1']]) expect(await calc(input), String(input)).to.deep.equal(notAnObject);
  });

  it('reports an error that is not an ExpressionError as an unexpected failure, without throwing', async () => {
    // An input whose keys cannot be listed: the check of the fields throws a plain Error.
    const hostile = (thrown: unknown) =>
      new Proxy({}, {
        ownKeys: () => {
          throw thrown;
        },
      });
    expect(await calc(hostile(new Error('no keys')))).to.deep.equal(failed('Error: the calculator failed unexpectedly: no keys'));
    expect(await calc(hostile('a string'))).to.deep.equal(failed('Error: the calculator failed unexpectedly: a string'));
  });

  it('ignores inherited properties', async () => {
    const inherited = Object.create({ expression: '1+1' }) as Record<string, unknown>;
    expect(await calc(inherited)).to.deep.equal(failed('Error: "expression" is required: a string such as "2 * (3 + 4)".'));
  });

  describe('formatNumber', () => {
    it('rounds, trims trailing zeros and prints integers without decimals', () => {
      expect(formatNumber(1.5)).to.equal('1.5');
      expect(formatNumber(2)).to.equal('2');
      expect(formatNumber(1 / 3)).to.equal('0.333333');
      expect(formatNumber(1 / 3, 3)).to.equal('0.333');
      expect(formatNumber(2.0004, 3)).to.equal('2');
      expect(formatNumber(123456789)).to.equal('123456789');
      expect(formatNumber(-7.25)).to.equal('-7.25');
    });

    it('never prints -0', () => {
      expect(formatNumber(-0)).to.equal('0');
      expect(formatNumber(-0.4, 0)).to.equal('0');
      expect(formatNumber(-0.0000004, 3)).to.equal('-4e-7');
    });

    it('uses exponent notation for very small and very large numbers', () => {
      expect(formatNumber(-0.0000001)).to.equal('-1e-7');
      expect(formatNumber(1.5e-7)).to.equal('1.5e-7');
      expect(formatNumber(1e25)).to.equal('1e+25');
      expect(formatNumber(1.2345e300, 2)).to.equal('1.2345e+300');
    });

    it('prints 1e-6 itself, the smallest magnitude in fixed notation, in fixed notation', () => {
      expect(formatNumber(1e-6)).to.equal('0.000001');
      expect(formatNumber(-1e-6)).to.equal('-0.000001');
      expect(formatNumber(9.99e-7)).to.equal('9.99e-7');
    });

    it('clamps the precision to 0..15 and passes non-finite values through', () => {
      expect(formatNumber(Math.PI, 99)).to.equal('3.141592653589793');
      expect(formatNumber(Math.PI, -3)).to.equal('3');
      expect(formatNumber(Infinity)).to.equal('Infinity');
      expect(formatNumber(-Infinity, 3)).to.equal('-Infinity');
      expect(formatNumber(NaN)).to.equal('NaN');
    });

    it('round-trips integers and matches rounding to the precision (property)', () => {
      fc.assert(
        fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.integer({ min: 0, max: 15 }), (value, precision) => {
          const text = formatNumber(value, precision);
          expect(text).not.to.match(/\.\d*0$|^-0$/);
          if (Math.abs(value) >= 1e-6) expect(Number(text)).to.equal(Number(value.toFixed(precision)));
          if (Number.isInteger(value)) expect(text).to.equal(String(value === 0 ? 0 : value));
        }),
        { numRuns: 300 },
      );
    });
  });

  it('never throws nor rejects, whatever the input (property)', async () => {
    const inputs = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.string(), fc.anything()),
      fc.record({ expression: fc.anything(), precision: fc.anything() }, { requiredKeys: [] }),
      fc.record({ expression: fc.string(), precision: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.double()) }, { requiredKeys: ['expression'] }),
    );
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        const result = await calc(input);
        expect(result.isError).to.be.a('boolean');
        expect(result.content).to.be.a('string').and.not.equal('');
        if (result.isError) expect(result.content).to.match(/^Error: /);
        else expect(Number(result.content)).not.to.be.NaN;
      }),
      { numRuns: 300 },
    );
  });
});
