import { expect } from 'chai';
import fc from 'fast-check';
import { calculatorTool, formatNumber } from '../../../lib/tools/builtin/calculator.js';

const context = { signal: new AbortController().signal, toolUseId: 'toolu_1' };
const calc = (input: Record<string, unknown>) => calculatorTool.run(input, context);

describe('calculator tool', () => {
  it('returns the result as text, rounded to the precision', async () => {
    expect(await calc({ expression: '12*34' })).to.deep.equal({ content: '408', isError: false });
    expect(await calc({ expression: '1/3' })).to.deep.equal({ content: '0.333333', isError: false });
    expect(await calc({ expression: '1/3', precision: 2 })).to.deep.equal({ content: '0.33', isError: false });
    expect(await calc({ expression: '2.50 * 2' })).to.deep.equal({ content: '5', isError: false });
  });

  it('returns is_error results with clear messages for bad input', async () => {
    expect(await calc({ expression: '1/0' })).to.deep.equal({ content: 'Error: division by zero at position 1', isError: true });
    expect(await calc({})).to.deep.include({ isError: true, content: 'Error: "expression" must be a string, such as "2 * (3 + 4)".' });
    expect(await calc({ expression: '1', precision: 99 })).to.deep.include({ isError: true, content: 'Error: "precision" must be an integer from 0 to 15.' });
  });

  it('formats numbers without -0, trailing zeros or absurd digits', () => {
    expect(formatNumber(-0)).to.equal('0');
    expect(formatNumber(-0.0000001)).to.equal('-1e-7');
    expect(formatNumber(1.5)).to.equal('1.5');
    expect(formatNumber(1e25)).to.equal('1e+25');
    expect(formatNumber(123456789)).to.equal('123456789');
  });

  it('offers a JSON schema the API accepts', () => {
    expect(calculatorTool).to.include({ name: 'calculator' });
    expect(calculatorTool.inputSchema).to.deep.include({ type: 'object', required: ['expression'] });
    expect(calculatorTool.source).to.deep.equal({ kind: 'builtin' });
  });

  it('never throws, whatever the input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.anything()), async (input) => {
        const result = await calc(input);
        expect(result.isError).to.be.a('boolean');
      }),
      { numRuns: 200 },
    );
  });
});
