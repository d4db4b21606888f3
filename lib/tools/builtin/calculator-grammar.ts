/**
 * The calculator's grammar: a whitelist recursive-descent parser and evaluator. There is no
 * `eval`, no `Function` and no expression library; a name is only ever looked up in the `Map`s
 * below, so `constructor`, `__proto__` and friends are unknown names (RELIABILITY.md R17).
 *
 * ```
 * expression := term (("+" | "-") term)*
 * term       := unary (("*" | "/" | "%") unary)*
 * unary      := ("+" | "-") unary | power
 * power      := primary (("^" | "**") unary)?        right-associative; -2^2 = -4, 2^-1 = 0.5
 * primary    := number | constant | function "(" expression ("," expression)* ")" | "(" expression ")"
 * ```
 *
 * Limits: {@link MAX_EXPRESSION_LENGTH} characters, {@link MAX_TOKENS} tokens, {@link MAX_DEPTH}
 * levels of nesting; every intermediate result must be a finite real number, and powers that would
 * overflow are refused before they are computed.
 *
 * @module
 */

import { LLMProcError } from '../../errors.js';

/** A bad expression; the message says what is wrong and, when it can, where. */
export class ExpressionError extends LLMProcError {
  /**
   * 0-based character position of the problem, when there is one. Declared, not a class field: a
   * field would give every error an own `position: undefined`, the one without a position too.
   */
  declare readonly position?: number;

  /** @param position 0-based character position of the problem. */
  constructor(message: string, position?: number) {
    super(message);
    if (position !== undefined) this.position = position;
  }
}

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** The most tokens (numbers, names, operators, parentheses, commas) accepted. */
export const MAX_TOKENS = 500;
/** The deepest nesting of parentheses, calls, unary signs and powers accepted. */
export const MAX_DEPTH = 100;
/** The largest `n` for which `factorial(n)` is a finite double. */
const MAX_FACTORIAL = 170;

// ---------------------------------------------------------------------------------------------
// Names

const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
  ['tau', 2 * Math.PI],
]);

/** A function: how many arguments it takes (`[min, max]`), and what it computes. */
interface MathFunction {
  readonly arity: readonly [number, number];
  readonly apply: (args: readonly number[], at: number) => number;
}

const unary = (apply: (x: number) => number): MathFunction => ({ arity: [1, 1], apply: ([x = NaN]) => apply(x) });
const binary = (apply: (x: number, y: number, at: number) => number): MathFunction => ({
  arity: [2, 2],
  apply: ([x = NaN, y = NaN], at) => apply(x, y, at),
});
const variadic = (apply: (...args: number[]) => number): MathFunction => ({ arity: [1, Infinity], apply: (args) => apply(...args) });

const FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map([
  ['sqrt', unary(Math.sqrt)],
  ['abs', unary(Math.abs)],
  ['sin', unary(Math.sin)],
  ['cos', unary(Math.cos)],
  ['tan', unary(Math.tan)],
  ['asin', unary(Math.asin)],
  ['acos', unary(Math.acos)],
  ['atan', unary(Math.atan)],
  ['atan2', binary(Math.atan2)],
  ['sinh', unary(Math.sinh)],
  ['cosh', unary(Math.cosh)],
  ['tanh', unary(Math.tanh)],
  ['log', { arity: [1, 2], apply: ([x = NaN, base]) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)) }],
  ['ln', unary(Math.log)],
  ['log10', unary(Math.log10)],
  ['log2', unary(Math.log2)],
  ['exp', unary(Math.exp)],
  ['floor', unary(Math.floor)],
  ['ceil', unary(Math.ceil)],
  ['round', unary(Math.round)],
  ['trunc', unary(Math.trunc)],
  ['sign', unary(Math.sign)],
  ['min', variadic(Math.min)],
  ['max', variadic(Math.max)],
  ['pow', binary(power)],
  ['factorial', { arity: [1, 1], apply: ([n = NaN], at) => factorial(n, at) }],
]);

/** The names of the constants, for error messages. */
const CONSTANT_NAMES = [...CONSTANTS.keys()].join(', ');
/** The names of the functions, for error messages. */
const FUNCTION_NAMES = [...FUNCTIONS.keys()].join(', ');

// ---------------------------------------------------------------------------------------------
// Arithmetic with checks

/** `n!` for an integer from 0 to 170 (above, the result is not a finite double). */
function factorial(n: number, at: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_FACTORIAL) {
    throw new ExpressionError(`factorial expects an integer from 0 to ${MAX_FACTORIAL}, got ${n}`, at);
  }
  let result = 1;
  for (let i = 2; i <= n; i++) result *= i;
  return result;
}

/** `base ** exponent`, refusing `0` to a negative power and overflows before computing them. */
function power(base: number, exponent: number, at: number): number {
  if (base === 0 && exponent < 0) throw new ExpressionError(`division by zero: 0 raised to a negative power at position ${at}`, at);
  // |base|^exponent >= 2^1024 (beyond the largest double) exactly when log2|base| * exponent >= 1024.
  if (Math.log2(Math.abs(base)) * exponent >= 1024) throw new ExpressionError(`result is too large at position ${at}`, at);
  return finite(base ** exponent, 'the power', at);
}

/** `value` when it is a finite real number; an ExpressionError naming `what` otherwise. */
function finite(value: number, what: string, at: number): number {
  if (Number.isNaN(value)) throw new ExpressionError(`${what} is not a real number (position ${at})`, at);
  if (!Number.isFinite(value)) throw new ExpressionError(`result is too large: ${what} is not finite (position ${at})`, at);
  return value;
}

/**
 * `a / b` or `a % b`, refusing a zero divisor. A quotient can overflow (`1 / 1e-320`); a remainder
 * of finite numbers cannot (it is smaller than `a`), so it is not checked.
 */
function divide(op: '/' | '%', a: number, b: number, at: number): number {
  if (b === 0) throw new ExpressionError(`${op === '/' ? 'division' : 'modulo'} by zero at position ${at}`, at);
  return op === '/' ? finite(a / b, 'the quotient', at) : a % b;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: 'number'; value: number; text: string; at: number }
  | { kind: 'name'; text: string; at: number }
  | { kind: 'op'; text: string; at: number };

const SPACE = /\s+/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATOR = /\*\*|[-+*/%^(),]/y;

/** The text `pattern` matches at `at` in `source`, if any. */
function matchAt(pattern: RegExp, source: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(source)?.[0];
}

/** A character as an error message shows it: itself when printable, `U+XXXX` otherwise. */
function describeCharacter(source: string, at: number): string {
  const char = String.fromCodePoint(source.codePointAt(at) ?? 0);
  // `char` is one code point, so the class needs no anchors.
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(char) ? `'${char}'` : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The token that starts at `at` (which is not whitespace). */
function readToken(source: string, at: number): Token {
  const number = matchAt(NUMBER, source, at);
  if (number !== undefined) {
    const value = Number(number);
    if (!Number.isFinite(value)) throw new ExpressionError(`number '${number}' at position ${at} is too large`, at);
    return { kind: 'number', value, text: number, at };
  }
  const name = matchAt(NAME, source, at);
  if (name !== undefined) return { kind: 'name', text: name, at };
  const op = matchAt(OPERATOR, source, at);
  if (op !== undefined) return { kind: 'op', text: op, at };
  throw new ExpressionError(`unexpected character ${describeCharacter(source, at)} at position ${at}`, at);
}

/** Splits `source` into tokens, refusing unknown characters and more than {@link MAX_TOKENS}. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    at += matchAt(SPACE, source, at)?.length ?? 0;
    if (at >= source.length) return tokens;
    if (tokens.length === MAX_TOKENS) throw new ExpressionError(`expression has too many tokens (the limit is ${MAX_TOKENS})`, at);
    const token = readToken(source, at);
    tokens.push(token);
    at += token.text.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Parser and evaluator

/** Describes a token for an error message: `'+'`. */
function describeToken(token: Token): string {
  return `'${token.text}'`;
}

/** Evaluates the tokens of one expression while parsing them (see the grammar above). */
class Parser {
  #index = 0;
  #depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly length: number,
  ) {}

  /** The value of the whole expression; every token must be used. */
  parse(): number {
    if (this.tokens.length === 0) throw new ExpressionError('expression is empty', 0);
    const value = this.expression();
    const next = this.peek();
    if (next === undefined) return value;
    if (next.text === ')') throw new ExpressionError(`unbalanced parenthesis: unexpected ')' at position ${next.at}`, next.at);
    throw new ExpressionError(`unexpected ${describeToken(next)} at position ${next.at}; expected an operator`, next.at);
  }

  private peek(): Token | undefined {
    return this.tokens[this.#index];
  }

  /** The position of the next token, or the end of the input. */
  private here(): number {
    return this.peek()?.at ?? this.length;
  }

  /** Consumes the next token when it is one of the operators `ops`. */
  private take<Op extends string>(...ops: Op[]): Op | undefined {
    const next = this.peek();
    if (next?.kind !== 'op' || !(ops as string[]).includes(next.text)) return undefined;
    this.#index++;
    return next.text as Op;
  }

  /** Runs `parse` one nesting level deeper, refusing more than {@link MAX_DEPTH} levels. */
  private nested<T>(at: number, parse: () => T): T {
    if (this.#depth >= MAX_DEPTH) throw new ExpressionError(`nesting deeper than ${MAX_DEPTH} levels at position ${at}`, at);
    this.#depth++;
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  private expression(): number {
    let value = this.term();
    for (;;) {
      const at = this.here();
      const op = this.take('+', '-');
      if (op === undefined) return value;
      const right = this.term();
      value = finite(op === '+' ? value + right : value - right, op === '+' ? 'the sum' : 'the difference', at);
    }
  }

  private term(): number {
    let value = this.unary();
    for (;;) {
      const at = this.here();
      const op = this.take('*', '/', '%');
      if (op === undefined) return value;
      const right = this.unary();
      value = op === '*' ? finite(value * right, 'the product', at) : divide(op, value, right, at);
    }
  }

  private unary(): number {
    const at = this.here();
    const sign = this.take('+', '-');
    if (sign === undefined) return this.power();
    const value = this.nested(at, () => this.unary());
    return sign === '-' ? -value : value;
  }

  private power(): number {
    const base = this.primary();
    const at = this.here();
    if (this.take('^', '**') === undefined) return base;
    return power(base, this.nested(at, () => this.unary()), at);
  }

  private primary(): number {
    const token = this.peek();
    if (token === undefined) throw new ExpressionError(`unexpected end of expression at position ${this.length}`, this.length);
    this.#index++;
    if (token.kind === 'number') return token.value;
    if (token.kind === 'name') return this.name(token);
    if (token.text === '(') return this.parenthesized(token.at);
    throw new ExpressionError(`unexpected ${describeToken(token)} at position ${token.at}; expected a number, a name or '('`, token.at);
  }

  private parenthesized(at: number): number {
    const value = this.nested(at, () => this.expression());
    if (this.take(')') === undefined) this.unclosed('(', at);
    return value;
  }

  /** Fails for a `(` that is not followed by `)` where one is due. */
  private unclosed(opener: string, at: number): never {
    const next = this.peek();
    if (next === undefined) throw new ExpressionError(`unbalanced parenthesis: '${opener}' at position ${at} is never closed`, at);
    throw new ExpressionError(`unexpected ${describeToken(next)} at position ${next.at}; expected ')' to close '${opener}' at position ${at}`, next.at);
  }

  /** A constant, or a function call when the name is followed by `(`. */
  private name(token: Token): number {
    const key = token.text.toLowerCase();
    const called = this.peek()?.text === '(';
    if (called) return this.call(token.text, key, token.at);
    const constant = CONSTANTS.get(key);
    if (constant !== undefined) return constant;
    if (FUNCTIONS.has(key)) throw new ExpressionError(`'${token.text}' at position ${token.at} is a function; call it as ${key}(...)`, token.at);
    throw new ExpressionError(`unknown name '${token.text}' at position ${token.at}; constants: ${CONSTANT_NAMES}`, token.at);
  }

  private call(name: string, key: string, at: number): number {
    const definition = FUNCTIONS.get(key);
    if (definition === undefined) {
      const message = CONSTANTS.has(key)
        ? `'${name}' at position ${at} is a constant, not a function`
        : `unknown function '${name}' at position ${at}; available: ${FUNCTION_NAMES}`;
      throw new ExpressionError(message, at);
    }
    this.#index++; // "("
    const args = this.nested(at, () => this.arguments(`${name}(`, at));
    checkArity(key, definition.arity, args.length, at);
    // The arguments are listed in full: only functions of one or two arguments (`log(x, base)`)
    // can give a result that is not finite, so the message stays short.
    return finite(definition.apply(args, at), `${key}(${args.join(', ')})`, at);
  }

  private arguments(opener: string, at: number): number[] {
    const args: number[] = [];
    if (this.take(')') !== undefined) return args;
    do args.push(this.expression());
    while (this.take(',') !== undefined);
    if (this.take(')') === undefined) this.unclosed(opener, at);
    return args;
  }
}

/** Fails unless `count` arguments fit the function's `[min, max]` arity. */
function checkArity(name: string, [min, max]: readonly [number, number], count: number, at: number): void {
  if (count >= min && count <= max) return;
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  const expected = min === max ? plural(min) : max === Infinity ? `at least ${plural(min)}` : `${min} to ${plural(max)}`;
  throw new ExpressionError(`${name} expects ${expected}, got ${count}`, at);
}

/**
 * Evaluates an arithmetic expression: numbers (`2`, `1.5`, `.5`, `1e3`), `+ - * / %`, powers
 * (`^` or `**`, right-associative, tighter than a leading minus: `-2^2` is `-4`), parentheses,
 * unary signs, the constants `pi`, `e`, `tau` and the functions `sqrt abs sin cos tan asin acos
 * atan atan2 sinh cosh tanh log ln log10 log2 exp floor ceil round trunc sign min max pow
 * factorial` (`log(x)` is natural, `log(x, base)` any base). Names are case-insensitive.
 *
 * @returns a finite number.
 * @throws {ExpressionError} for anything else (unknown characters or names, wrong argument
 * counts, unbalanced parentheses, division by zero, results that are not finite real numbers,
 * inputs beyond the length, token and nesting limits), with a message that says what and where.
 */
export function evaluateExpression(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is too long (${expression.length} characters; the limit is ${MAX_EXPRESSION_LENGTH})`);
  }
  return new Parser(tokenize(expression), expression.length).parse();
}
