import { expect } from 'chai';
import fc from 'fast-check';
import { evaluateExpression, ExpressionError, MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_TOKENS } from '../../../lib/tools/builtin/calculator-grammar.js';

/** The ExpressionError `expression` fails with; fails the test when it evaluates or throws something else. */
function refused(expression: string): ExpressionError {
  let value: number;
  try {
    value = evaluateExpression(expression);
  } catch (error) {
    expect(error, expression.slice(0, 80)).to.be.instanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(expression.slice(0, 80))} to be refused, got ${value}`);
}

/** Runs `[expression, expected value]` cases with exact equality. */
function expectValues(cases: ReadonlyArray<readonly [string, number]>): void {
  for (const [expression, value] of cases) expect(evaluateExpression(expression), expression).to.equal(value);
}

describe('calculator grammar', () => {
  describe('numbers and operators', () => {
    it('reads integers, decimals, leading-dot decimals and scientific notation', () => {
      expectValues([
        ['42', 42],
        ['3.25', 3.25],
        ['.5', 0.5],
        ['7.', 7],
        ['1e3', 1000],
        ['2.5E-2', 0.025],
        ['1e+2', 100],
        ['  12\t*\n34 ', 408],
      ]);
    });

    it('gives * / % precedence over + and -', () => {
      expectValues([
        ['1 + 2 * 3', 7],
        ['(1 + 2) * 3', 9],
        ['10 - 6 / 2', 7],
        ['1 + 7 % 4', 4],
        ['2 * 3 + 4 * 5', 26],
      ]);
    });

    it('associates + - * / % to the left and powers to the right', () => {
      expectValues([
        ['10 - 4 - 3', 3],
        ['100 / 10 / 5', 2],
        ['2 * 9 % 4', 2],
        ['2 ^ 3 ^ 2', 512],
        ['2 ** 3 ** 2', 512],
        ['(2 ^ 3) ^ 2', 64],
        ['2 ^ 3 * 2', 16],
      ]);
    });

    it('binds powers tighter than a leading minus, and allows signs in exponents', () => {
      expectValues([
        ['-2 ^ 2', -4],
        ['-2 ** 2', -4],
        ['(-2) ^ 2', 4],
        ['2 ^ -1', 0.5],
        ['2 ^ -2 ^ 2', 1 / 16],
        ['--3', 3],
        ['+4', 4],
        ['-+-5', 5],
        ['3 - -2', 5],
        ['3 * -2', -6],
      ]);
    });

    it('computes modulo with the sign of the dividend', () => {
      expectValues([
        ['7 % 3', 1],
        ['-7 % 3', -1],
        ['7.5 % 2', 1.5],
        ['1e308 % 1e-300', 1e308 % 1e-300],
        ['5 % 1e308', 5],
      ]);
    });
  });

  describe('constants and functions', () => {
    it('knows pi, e and tau, case-insensitively', () => {
      expectValues([
        ['pi', Math.PI],
        ['e', Math.E],
        ['tau', 2 * Math.PI],
        ['PI', Math.PI],
        ['2 * pi', 2 * Math.PI],
      ]);
    });

    it('computes the one-argument functions', () => {
      expectValues([
        ['sqrt(16)', 4],
        ['abs(-2.5)', 2.5],
        ['floor(2.7)', 2],
        ['ceil(2.1)', 3],
        ['round(2.5)', 3],
        ['trunc(-2.7)', -2],
        ['sign(-3)', -1],
        ['exp(0)', 1],
        ['log10(1000)', 3],
        ['log2(8)', 3],
        ['factorial(0)', 1],
        ['factorial(5)', 120],
        ['SQRT(9)', 3],
      ]);
      const close: Array<[string, number]> = [
        ['sin(pi / 2)', 1],
        ['cos(pi)', -1],
        ['tan(pi / 4)', 1],
        ['asin(1)', Math.PI / 2],
        ['acos(0)', Math.PI / 2],
        ['atan(1)', Math.PI / 4],
        ['sinh(1)', Math.sinh(1)],
        ['cosh(1)', Math.cosh(1)],
        ['tanh(1)', Math.tanh(1)],
        ['log(e)', 1],
        ['ln(e ^ 2)', 2],
      ];
      for (const [expression, value] of close) expect(evaluateExpression(expression), expression).to.be.closeTo(value, 1e-12);
    });

    it('computes the functions of several arguments', () => {
      expectValues([
        ['max(1, 5, 3)', 5],
        ['min(4, 2)', 2],
        ['min(7)', 7],
        ['pow(2, 10)', 1024],
        ['atan2(0, 1)', 0],
        ['max(1 + 1, sqrt(9), 2 ^ 2) * 2', 8],
      ]);
      expect(evaluateExpression('log(100, 10)')).to.be.closeTo(2, 1e-12);
      expect(evaluateExpression('log(8, 2)')).to.be.closeTo(3, 1e-12);
      expect(evaluateExpression('atan2(1, 1) * 4')).to.be.closeTo(Math.PI, 1e-12);
      expect(evaluateExpression('factorial(170)')).to.be.within(7.25e306, 7.26e306);
    });
  });

  describe('errors', () => {
    it('points at unexpected characters', () => {
      const error = refused('1 +$');
      expect(error.message).to.equal("unexpected character '$' at position 3");
      expect(error.position).to.equal(3);
      expect(error.name).to.equal('ExpressionError');
      expect(refused('2 = 2').message).to.equal("unexpected character '=' at position 2");
      expect(refused('1 + 😀').message).to.equal("unexpected character '😀' at position 4");
      expect(refused('1\u0000').message).to.equal('unexpected character U+0000 at position 1');
      // Code points in upper-case hex, four digits at least; format characters are not printed.
      expect(refused('1 +\u001b').message).to.equal('unexpected character U+001B at position 3');
      expect(refused('\u00ad').message).to.equal('unexpected character U+00AD at position 0');
      expect(refused('2 \u{e0001}').message).to.equal('unexpected character U+E0001 at position 2');
    });

    it('has a position only when there is one', () => {
      const tooLong = refused('1'.repeat(MAX_EXPRESSION_LENGTH + 1));
      expect(Object.hasOwn(tooLong, 'position'), 'an error without a position has no position property').to.equal(false);
      expect(Object.keys(new ExpressionError('no position'))).to.deep.equal(['name']);
      expect(new ExpressionError('at 0', 0)).to.include({ position: 0, message: 'at 0', name: 'ExpressionError' });
    });

    it('refuses an empty expression', () => {
      expect(refused('').message).to.equal('expression is empty');
      expect(refused('   ').message).to.equal('expression is empty');
    });

    it('refuses unbalanced parentheses', () => {
      expect(refused('(1 + 2').message).to.equal("unbalanced parenthesis: '(' at position 0 is never closed");
      expect(refused('1 + 2)').message).to.equal("unbalanced parenthesis: unexpected ')' at position 5");
      expect(refused('sqrt(4').message).to.equal("unbalanced parenthesis: 'sqrt(' at position 0 is never closed");
      expect(refused('(1 2)').message).to.equal("unexpected '2' at position 3; expected ')' to close '(' at position 0");
      expect(refused('()').message).to.equal("unexpected ')' at position 1; expected a number, a name or '('");
    });

    it('refuses incomplete and run-on expressions', () => {
      expect(refused('1 +').message).to.equal('unexpected end of expression at position 3');
      expect(refused('2 3').message).to.equal("unexpected '3' at position 2; expected an operator");
      expect(refused('2pi').message).to.equal("unexpected 'pi' at position 1; expected an operator");
      expect(refused('* 2').message).to.equal("unexpected '*' at position 0; expected a number, a name or '('");
      expect(refused('max(1,)').message).to.equal("unexpected ')' at position 6; expected a number, a name or '('");
    });

    it('names unknown names and functions, and lists what is available', () => {
      expect(refused('x + 1').message).to.equal("unknown name 'x' at position 0; constants: pi, e, tau");
      const unknownFunction = refused('1 + foo(1)');
      expect(unknownFunction.message).to.match(/^unknown function 'foo' at position 4; available: sqrt, abs, sin, .*, factorial$/);
      expect(unknownFunction.position).to.equal(4);
      expect(refused('pi(2)').message).to.equal("'pi' at position 0 is a constant, not a function");
      expect(refused('sqrt + 1').message).to.equal("'sqrt' at position 0 is a function; call it as sqrt(...)");
    });

    it('checks argument counts', () => {
      expect(refused('sqrt(1, 2)').message).to.equal('sqrt expects 1 argument, got 2');
      expect(refused('sqrt()').message).to.equal('sqrt expects 1 argument, got 0');
      expect(refused('atan2(1)').message).to.equal('atan2 expects 2 arguments, got 1');
      expect(refused('pow(1, 2, 3)').message).to.equal('pow expects 2 arguments, got 3');
      expect(refused('log(1, 2, 3)').message).to.equal('log expects 1 to 2 arguments, got 3');
      expect(refused('max()').message).to.equal('max expects at least 1 argument, got 0');
    });

    it('refuses division and modulo by zero', () => {
      expect(refused('1 / 0').message).to.equal('division by zero at position 2');
      expect(refused('1 / (2 - 2)').position).to.equal(2);
      expect(refused('1 / -0').message).to.equal('division by zero at position 2');
      expect(refused('5 % 0').message).to.equal('modulo by zero at position 2');
      expect(refused('0 ^ -1').message).to.equal('division by zero: 0 raised to a negative power at position 2');
      // 0 to the power 0 is 1, not a division by zero.
      expectValues([
        ['0 ^ 0', 1],
        ['0 ** -0', 1],
        ['pow(0, 0)', 1],
        ['0 ^ 2', 0],
      ]);
    });

    it('refuses results that are not finite real numbers', () => {
      expect(refused('10 ^ 400').message).to.equal('result is too large at position 3');
      expect(refused('0.1 ^ -400').message).to.equal('result is too large at position 4');
      expect(refused('pow(10, 400)').message).to.equal('result is too large at position 0');
      expect(refused('1e308 * 10').message).to.equal('result is too large: the product is not finite (position 6)');
      expect(refused('1e308 + 1e308').message).to.equal('result is too large: the sum is not finite (position 6)');
      expect(refused('-1e308 - 1e308').message).to.equal('result is too large: the difference is not finite (position 7)');
      expect(refused('1 / 1e-320').message).to.equal('result is too large: the quotient is not finite (position 2)');
      expect(refused('exp(1000)').message).to.equal('result is too large: exp(1000) is not finite (position 0)');
      expect(refused('log(0)').message).to.equal('result is too large: log(0) is not finite (position 0)');
      expect(refused('1e999').message).to.equal("number '1e999' at position 0 is too large");
      expect(refused('sqrt(-1)').message).to.equal('sqrt(-1) is not a real number (position 0)');
      expect(refused('asin(2)').message).to.equal('asin(2) is not a real number (position 0)');
      expect(refused('log(-1, 2)').message).to.equal('log(-1, 2) is not a real number (position 0)');
      // In full, even the longest: two arguments print in under 60 characters.
      expect(refused('1 + log(-1.2345678901234567e-300, 1.2345678901234567e-300)').message).to.equal(
        'log(-1.2345678901234568e-300, 1.2345678901234568e-300) is not a real number (position 4)',
      );
      expect(refused('(-8) ^ (1/3)').message).to.equal('the power is not a real number (position 5)');
    });

    it('limits factorial to integers from 0 to 170', () => {
      expect(refused('factorial(171)').message).to.equal('factorial expects an integer from 0 to 170, got 171');
      expect(refused('factorial(-1)').message).to.equal('factorial expects an integer from 0 to 170, got -1');
      expect(refused('factorial(2.5)').message).to.equal('factorial expects an integer from 0 to 170, got 2.5');
    });
  });

  describe('R17: a whitelist grammar with limits', () => {
    it('never reaches JavaScript objects or properties', () => {
      expect(refused('constructor').message).to.equal("unknown name 'constructor' at position 0; constants: pi, e, tau");
      expect(refused('__proto__').message).to.equal("unknown name '__proto__' at position 0; constants: pi, e, tau");
      expect(refused('toString()').message).to.match(/^unknown function 'toString' at position 0; available:/);
      expect(refused('hasOwnProperty(1)').message).to.match(/^unknown function 'hasOwnProperty'/);
      expect(refused('this').message).to.equal("unknown name 'this' at position 0; constants: pi, e, tau");
      expect(refused('process.exit()').message).to.equal("unexpected character '.' at position 7");
      expect(refused('process').message).to.equal("unknown name 'process' at position 0; constants: pi, e, tau");
      expect(refused('[]').message).to.equal("unexpected character '[' at position 0");
      expect(refused('{}').message).to.equal("unexpected character '{' at position 0");
      expect(refused('"x"').message).to.equal('unexpected character \'"\' at position 0');
      expect(refused('constructor.constructor("return process")()').message).to.equal("unexpected character '.' at position 11");
      expect(refused('sqrt.constructor').message).to.equal("unexpected character '.' at position 4");
      expect(refused('a = 1').message).to.equal("unexpected character '=' at position 2");
    });

    it('refuses huge exponents before computing them', () => {
      // The check before the power says "result is too large at position N"; a power computed to
      // Infinity and caught afterwards would say "the power is not finite".
      expect(refused('9^9^9^9').message).to.equal('result is too large at position 3');
      expect(refused('9^9^9^9^9^9^9^9^9^9').message).to.equal('result is too large at position 15');
      expect(refused('2 ** 1024').message).to.equal('result is too large at position 2');
      expect(refused('(-2) ** 1025').message).to.equal('result is too large at position 5');
      expect(evaluateExpression('2 ** 1023')).to.equal(2 ** 1023);
      expect(evaluateExpression('(-2) ** 1023')).to.equal(-(2 ** 1023));
    });

    it('refuses nesting deeper than 100 levels, however it is nested', () => {
      expect(evaluateExpression(`${'('.repeat(MAX_DEPTH)}1${')'.repeat(MAX_DEPTH)}`)).to.equal(1);
      const deep = refused(`${'('.repeat(MAX_DEPTH + 1)}1${')'.repeat(MAX_DEPTH + 1)}`);
      expect(deep.message).to.equal(`nesting deeper than 100 levels at position ${MAX_DEPTH}`);
      expect(deep.position).to.equal(MAX_DEPTH);
      expect(refused(`${'-'.repeat(200)}1`).message).to.equal('nesting deeper than 100 levels at position 100');
      expect(refused(`${'sqrt('.repeat(150)}1${')'.repeat(150)}`).message).to.match(/^nesting deeper than 100 levels/);
      expect(refused(Array.from({ length: 200 }, () => '1').join('^')).message).to.match(/^nesting deeper than 100 levels/);
    });

    it('counts the depth of nesting, not how many groups there are: many groups side by side are fine', () => {
      // Each group, call and sign is one level while it is parsed, and none once it is done.
      const groups = Array.from({ length: 99 }, () => '(1)').join('+');
      expect(evaluateExpression(groups)).to.equal(99);
      expect(evaluateExpression(Array.from({ length: 60 }, () => 'abs(-(1))').join('+'))).to.equal(60);
      expect(evaluateExpression(Array.from({ length: 60 }, () => '2^1').join('+'))).to.equal(120);
      expect(evaluateExpression(`${Array.from({ length: 60 }, () => '(1)').join('+')}+${'('.repeat(MAX_DEPTH)}1${')'.repeat(MAX_DEPTH)}`)).to.equal(61);
    });

    it('refuses input beyond the length and token limits before parsing it', () => {
      const tenThousandDeep = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
      expect(refused(tenThousandDeep).message).to.equal('expression is too long (20001 characters; the limit is 1000)');
      expect(refused('1'.repeat(1_000_000)).message).to.equal('expression is too long (1000000 characters; the limit is 1000)');
      expect(refused('1'.repeat(1_000_000)).position).to.equal(undefined);
      expect(evaluateExpression(`${' '.repeat(MAX_EXPRESSION_LENGTH - 2)}42`)).to.equal(42);
      expect(refused(`${' '.repeat(MAX_EXPRESSION_LENGTH - 1)}42`).message).to.equal('expression is too long (1001 characters; the limit is 1000)');
      const manyTokens = Array.from({ length: MAX_TOKENS / 2 + 1 }, () => '1').join('+');
      expect(refused(manyTokens).message).to.equal(`expression has too many tokens (the limit is ${MAX_TOKENS})`);
      expect(evaluateExpression(Array.from({ length: MAX_TOKENS / 2 }, () => '1').join('+'))).to.equal(MAX_TOKENS / 2);
    });
  });

  describe('properties', () => {
    /** A generated expression: its text, and its value computed from the same tree. */
    interface Expr {
      text: string;
      value: number;
      /** 3 for numbers, parenthesized and negated expressions; 2 for * and /; 1 for + and -. */
      precedence: number;
      divisionByZero: boolean;
    }

    const number = fc
      .tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom('int', 'decimal', 'scientific'))
      .map(([n, style]): Expr => {
        const text = style === 'int' ? String(n) : style === 'decimal' ? String(n / 100) : `${n}e-2`;
        return { text, value: Number(text), precedence: 3, divisionByZero: false };
      });

    const apply = (op: string, a: number, b: number): number => (op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b);

    /** `a op b`, with parentheses where precedence needs them (or, sometimes, where it does not). */
    const binaryExpr = (a: Expr, op: string, b: Expr, extraParens: boolean): Expr => {
      const precedence = op === '+' || op === '-' ? 1 : 2;
      const left = a.precedence < precedence || extraParens ? `(${a.text})` : a.text;
      const right = b.precedence <= precedence || extraParens ? `(${b.text})` : b.text;
      return {
        text: `${left} ${op} ${right}`,
        value: apply(op, a.value, b.value),
        precedence,
        divisionByZero: a.divisionByZero || b.divisionByZero || (op === '/' && b.value === 0),
      };
    };

    const negated = (a: Expr): Expr => ({
      text: a.precedence === 3 ? `-${a.text}` : `-(${a.text})`,
      value: -a.value,
      precedence: 3,
      divisionByZero: a.divisionByZero,
    });

    const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        number,
        fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/'), tie('expr'), fc.boolean()).map(([a, op, b, extra]) => binaryExpr(a, op, b, extra)),
        tie('expr').map(negated),
      ),
    }));

    it('well-formed expressions equal a reference evaluation of the same tree', () => {
      fc.assert(
        fc.property(expr, ({ text, value, divisionByZero }) => {
          if (divisionByZero) {
            expect(refused(text).message).to.match(/^division by zero at position \d+$/);
          } else if (!Number.isFinite(value)) {
            expect(refused(text).message).to.match(/^result is too large/);
          } else {
            const got = evaluateExpression(text);
            expect(Math.abs(got - value), `${text} = ${got}, expected ${value}`).to.be.at.most(1e-9 * Math.max(1, Math.abs(value)));
          }
        }),
        { numRuns: 400 },
      );
    });

    it('random strings evaluate to a finite number or throw an ExpressionError with a position inside the input', () => {
      const grammarish = fc.constantFrom(...'0123456789+-*/%^(),. eEpiqrtsnlogxabc_$[]{}"\'\\;=<>!&|'.split(''));
      const strings = fc.oneof(
        fc.string(),
        // Any code point, lone surrogates included (the 'binary' unit does the same, but slowly).
        fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)), maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.string({ unit: grammarish, maxLength: 40 }),
        fc.string({ unit: fc.constantFrom('(', ')', '-', '^', '9', '1e308', 'sqrt(', ',', '/0'), maxLength: 60 }),
      );
      fc.assert(
        fc.property(strings, (input) => {
          try {
            expect(Number.isFinite(evaluateExpression(input)), input).to.equal(true);
          } catch (error) {
            if (!(error instanceof ExpressionError)) throw error;
            expect(error.message).to.be.a('string').and.not.equal('');
            if (error.position !== undefined) expect(error.position).to.be.within(0, input.length);
          }
        }),
        { numRuns: 600 },
      );
    });
  });
});

