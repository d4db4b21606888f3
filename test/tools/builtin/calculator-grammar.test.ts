import { expect } from 'chai';
import fc from 'fast-check';
import { evaluateExpression, ExpressionError } from '../../../lib/tools/builtin/calculator-grammar.js';

const refused = (expression: string): ExpressionError => {
  try {
    evaluateExpression(expression);
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be refused`);
};

describe('calculator grammar', () => {
  it('follows precedence, associativity and unary minus as in mathematics', () => {
    const cases: Array<[string, number]> = [
      ['1 + 2 * 3', 7],
      ['(1 + 2) * 3', 9],
      ['10 - 4 - 3', 3],
      ['100 / 10 / 5', 2],
      ['2 ^ 3 ^ 2', 512],
      ['2 ** 10', 1024],
      ['-2 ^ 2', -4],
      ['(-2) ^ 2', 4],
      ['2 ^ -1', 0.5],
      ['--3', 3],
      ['+4', 4],
      ['7 % 3', 1],
      ['.5 + 1e3', 1000.5],
      ['12*34', 408],
    ];
    for (const [expression, value] of cases) expect(evaluateExpression(expression), expression).to.equal(value);
  });

  it('knows the constants and functions', () => {
    expect(evaluateExpression('pi')).to.equal(Math.PI);
    expect(evaluateExpression('2 * tau / 2')).to.equal(2 * Math.PI);
    expect(evaluateExpression('e')).to.equal(Math.E);
    expect(evaluateExpression('sqrt(16) + abs(-2)')).to.equal(6);
    expect(evaluateExpression('sin(pi / 2)')).to.be.closeTo(1, 1e-12);
    expect(evaluateExpression('log(100, 10)')).to.be.closeTo(2, 1e-12);
    expect(evaluateExpression('log10(1000) + log2(8) + ln(e)')).to.be.closeTo(7, 1e-12);
    expect(evaluateExpression('max(1, 5, 3) - min(4, 2)')).to.equal(3);
    expect(evaluateExpression('factorial(5)')).to.equal(120);
    expect(evaluateExpression('atan2(1, 1) * 4')).to.be.closeTo(Math.PI, 1e-12);
    expect(evaluateExpression('floor(2.7) + ceil(2.1) + round(2.5) + pow(2, 3)')).to.equal(16);
  });

  it('says what is wrong and where', () => {
    expect(refused('1 + $').message).to.equal('unexpected character "$" at position 4');
    expect(refused('1 + $').position).to.equal(4);
    expect(refused('').message).to.equal('expression is empty');
    expect(refused('(1 + 2').message).to.match(/unbalanced parenthesis: "\(" at position 0 is never closed/);
    expect(refused('1 + 2)').message).to.match(/unbalanced parenthesis: unexpected "\)" at position 5/);
    expect(refused('foo(1)').message).to.match(/^unknown function "foo" at position 0; available: sqrt, abs/);
    expect(refused('sqrt(1, 2)').message).to.equal('sqrt expects 1 argument, got 2');
    expect(refused('1 / 0').message).to.equal('division by zero at position 2');
    expect(refused('5 % 0').message).to.match(/modulo by zero/);
    expect(refused('sqrt(-1)').message).to.match(/not a real number/);
    expect(refused('10 ^ 400').message).to.equal('result is too large');
    expect(refused('factorial(171)').message).to.match(/factorial expects an integer from 0 to 170/);
    expect(refused('1 +').message).to.match(/unexpected end of expression/);
    expect(refused('x + 1').message).to.match(/unknown name "x" at position 0; constants: pi, e, tau/);
  });

  it('R17: never reaches JavaScript objects, and bounds size and depth', () => {
    for (const attack of ['constructor', '__proto__', 'toString()', 'constructor.constructor("return process")()', 'process.exit()', 'this', '[]', '{}', 'a=1', '"x"']) {
      expect(refused(attack)).to.be.instanceOf(ExpressionError);
    }
    expect(refused('9^9^9^9').message).to.equal('result is too large');
    expect(refused(`${'('.repeat(400)}1${')'.repeat(400)}`).message).to.match(/nesting deeper than 100 levels/);
    expect(refused('-'.repeat(200) + '1').message).to.match(/nesting deeper than 100 levels/);
    expect(refused('1+'.repeat(600) + '1').message).to.match(/expression is too long \(1201 characters; the limit is 1000\)/);
    expect(refused('('.repeat(10_000)).message).to.match(/too long/);
  });

  describe('properties', () => {
    /** A random expression and its value, computed from the same tree (no eval). */
    type Expr = { text: string; value: number; divByZero: boolean };
    const leaf = fc.integer({ min: 0, max: 1000 }).map((n): Expr => ({ text: String(n), value: n, divByZero: false }));
    const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/'), tie('expr')).map(([a, op, b]): Expr => {
          const value = op === '+' ? a.value + b.value : op === '-' ? a.value - b.value : op === '*' ? a.value * b.value : a.value / b.value;
          return { text: `(${a.text} ${op} ${b.text})`, value, divByZero: a.divByZero || b.divByZero || (op === '/' && b.value === 0) };
        }),
        tie('expr').map((a): Expr => ({ text: `-(${a.text})`, value: -a.value, divByZero: a.divByZero })),
      ),
    }));

    it('well-formed expressions match a reference evaluation of the same tree', () => {
      fc.assert(
        fc.property(expr, ({ text, value, divByZero }) => {
          if (divByZero) {
            expect(() => evaluateExpression(text)).to.throw(ExpressionError, /division by zero/);
            return;
          }
          const got = evaluateExpression(text);
          expect(Math.abs(got - value)).to.be.at.most(1e-9 * Math.max(1, Math.abs(value)));
        }),
        { numRuns: 300 },
      );
    });

    it('random strings either evaluate to a finite number or throw an ExpressionError, nothing else', () => {
      const alphabet = fc.constantFrom(...'0123456789+-*/%^(),. epiqrtsnlogxabc_$[]{}"\'\\;=<>!&|'.split(''));
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 })), (input) => {
          try {
            expect(Number.isFinite(evaluateExpression(input))).to.equal(true);
          } catch (error) {
            if (!(error instanceof ExpressionError)) throw error;
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
