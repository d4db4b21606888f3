/**
 * The calculator's grammar: a whitelist recursive-descent parser and evaluator. There is no
 * `eval`, no `Function` and no expression library; a name is only ever looked up in the tables
 * below, so `constructor`, `__proto__` and friends are unknown names (RELIABILITY.md R17).
 *
 * ```
 * expression := term (("+" | "-") term)*
 * term       := unary (("*" | "/" | "%") unary)*
 * unary      := ("+" | "-") unary | power
 * power      := primary (("^" | "**") unary)?        right-associative; -2^2 = -4
 * primary    := number | name | name "(" arguments ")" | "(" expression ")"
 * ```
 *
 * @module
 */

/** A bad expression; the message says what is wrong and where. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  /** 0-based character position of the problem, when there is one. */
  readonly position: number | undefined;
  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}

/** The longest expression accepted. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** The deepest nesting of parentheses, calls and unary signs accepted. */
export const MAX_DEPTH = 100;

const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
  ['tau', 2 * Math.PI],
]);

/** A function: how many arguments it takes (`[min, max]`), and what it computes. */
interface MathFunction {
  arity: readonly [number, number];
  apply: (...args: number[]) => number;
}

const fn = (min: number, max: number, apply: (...args: number[]) => number): MathFunction => ({ arity: [min, max], apply });

function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 170) throw new ExpressionError(`factorial expects an integer from 0 to 170, got ${n}`);
  let result = 1;
  for (let i = 2; i <= n; i++) result *= i;
  return result;
}

const FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map([
  ['sqrt', fn(1, 1, Math.sqrt)],
  ['abs', fn(1, 1, Math.abs)],
  ['sin', fn(1, 1, Math.sin)],
  ['cos', fn(1, 1, Math.cos)],
  ['tan', fn(1, 1, Math.tan)],
  ['asin', fn(1, 1, Math.asin)],
  ['acos', fn(1, 1, Math.acos)],
  ['atan', fn(1, 1, Math.atan)],
  ['atan2', fn(2, 2, Math.atan2)],
  ['sinh', fn(1, 1, Math.sinh)],
  ['cosh', fn(1, 1, Math.cosh)],
  ['tanh', fn(1, 1, Math.tanh)],
  ['log', fn(1, 2, (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)))],
  ['ln', fn(1, 1, Math.log)],
  ['log10', fn(1, 1, Math.log10)],
  ['log2', fn(1, 1, Math.log2)],
  ['exp', fn(1, 1, Math.exp)],
  ['floor', fn(1, 1, Math.floor)],
  ['ceil', fn(1, 1, Math.ceil)],
  ['round', fn(1, 1, Math.round)],
  ['trunc', fn(1, 1, Math.trunc)],
  ['sign', fn(1, 1, Math.sign)],
  ['min', fn(1, Infinity, Math.min)],
  ['max', fn(1, Infinity, Math.max)],
  ['pow', fn(2, 2, (x, y) => power(x, y))],
  ['factorial', fn(1, 1, factorial)],
]);

type Token = { kind: 'number'; value: number; at: number } | { kind: 'name'; value: string; at: number } | { kind: 'op'; value: string; at: number };

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = ['**', '+', '-', '*', '/', '%', '^', '(', ')', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at });
      at += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0], at });
      at += name[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!op) throw new ExpressionError(`unexpected character ${JSON.stringify(rest[0])} at position ${at}`, at);
    tokens.push({ kind: 'op', value: op, at });
    at += op.length;
  }
  return tokens;
}

/** `x ** y`, refusing results too large before computing the ones that could not finish. */
function power(x: number, y: number): number {
  const result = x ** y;
  if (!Number.isFinite(result) && Number.isFinite(x) && Number.isFinite(y)) throw new ExpressionError('result is too large');
  return result;
}

function checked(value: number, what: string): number {
  if (Number.isNaN(value)) throw new ExpressionError(`${what} is not a real number`);
  if (!Number.isFinite(value)) throw new ExpressionError('result is too large');
  return value;
}

class Parser {
  #index = 0;
  #depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): number {
    const value = this.expression();
    const next = this.peek();
    if (next) {
      throw new ExpressionError(
        next.value === ')' ? `unbalanced parenthesis: unexpected ")" at position ${next.at}` : `unexpected ${JSON.stringify(String(next.value))} at position ${next.at}`,
        next.at,
      );
    }
    return value;
  }

  private peek(): Token | undefined {
    return this.tokens[this.#index];
  }

  private take(op: string): boolean {
    const next = this.peek();
    if (next?.kind === 'op' && next.value === op) {
      this.#index++;
      return true;
    }
    return false;
  }

  private nested<T>(at: number, parse: () => T): T {
    if (++this.#depth > MAX_DEPTH) throw new ExpressionError(`nesting deeper than ${MAX_DEPTH} levels at position ${at}`, at);
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  private expression(): number {
    let value = this.term();
    for (;;) {
      if (this.take('+')) value = checked(value + this.term(), 'the sum');
      else if (this.take('-')) value = checked(value - this.term(), 'the difference');
      else return value;
    }
  }

  private term(): number {
    let value = this.unary();
    for (;;) {
      const at = this.peek()?.at ?? this.length;
      if (this.take('*')) value = checked(value * this.unary(), 'the product');
      else if (this.take('/')) {
        const divisor = this.unary();
        if (divisor === 0) throw new ExpressionError(`division by zero at position ${at}`, at);
        value = checked(value / divisor, 'the quotient');
      } else if (this.take('%')) {
        const divisor = this.unary();
        if (divisor === 0) throw new ExpressionError(`modulo by zero at position ${at}`, at);
        value = value % divisor;
      } else return value;
    }
  }

  private unary(): number {
    const at = this.peek()?.at ?? this.length;
    if (this.take('-')) return this.nested(at, () => -this.unary());
    if (this.take('+')) return this.nested(at, () => this.unary());
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    const at = this.peek()?.at ?? this.length;
    if (this.take('^') || this.take('**')) return this.nested(at, () => checked(power(base, this.unary()), 'the power'));
    return base;
  }

  private primary(): number {
    const token = this.peek();
    if (!token) throw new ExpressionError(this.tokens.length === 0 ? 'expression is empty' : `unexpected end of expression at position ${this.length}`, this.length);
    this.#index++;
    if (token.kind === 'number') return token.value;
    if (token.kind === 'op') {
      if (token.value !== '(') throw new ExpressionError(`unexpected ${JSON.stringify(token.value)} at position ${token.at}`, token.at);
      const value = this.nested(token.at, () => this.expression());
      if (!this.take(')')) throw new ExpressionError(`unbalanced parenthesis: "(" at position ${token.at} is never closed`, token.at);
      return value;
    }
    const next = this.peek();
    if (next?.kind === 'op' && next.value === '(') return this.call(token.value, token.at);
    const constant = CONSTANTS.get(token.value.toLowerCase());
    if (constant !== undefined) return constant;
    throw new ExpressionError(
      `unknown name ${JSON.stringify(token.value)} at position ${token.at}; constants: ${[...CONSTANTS.keys()].join(', ')}`,
      token.at,
    );
  }

  private call(name: string, at: number): number {
    const definition = FUNCTIONS.get(name.toLowerCase());
    if (!definition) {
      throw new ExpressionError(`unknown function ${JSON.stringify(name)} at position ${at}; available: ${[...FUNCTIONS.keys()].join(', ')}`, at);
    }
    this.#index++; // "("
    const args = this.nested(at, () => {
      const list: number[] = [];
      if (this.take(')')) return list;
      do list.push(this.expression());
      while (this.take(','));
      if (!this.take(')')) throw new ExpressionError(`unbalanced parenthesis: "${name}(" at position ${at} is never closed`, at);
      return list;
    });
    const [min, max] = definition.arity;
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min} argument${min === 1 ? '' : 's'}` : max === Infinity ? `at least ${min} argument` : `${min} to ${max} arguments`;
      throw new ExpressionError(`${name} expects ${expected}, got ${args.length}`, at);
    }
    return checked(definition.apply(...args), `${name}(${args.join(', ')})`);
  }
}

/**
 * Evaluates an arithmetic expression: numbers, `+ - * / %`, powers (`^` or `**`), parentheses,
 * unary signs, the constants `pi`, `e`, `tau` and common math functions.
 *
 * @throws {ExpressionError} for anything else, with a message that says what and where.
 */
export function evaluateExpression(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is too long (${expression.length} characters; the limit is ${MAX_EXPRESSION_LENGTH})`);
  }
  return new Parser(tokenize(expression), expression.length).parse();
}
