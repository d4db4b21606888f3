/**
 * The builtin `calculator` tool (`[tools] enabled = ["calculator"]`): evaluates an arithmetic
 * expression with the whitelist grammar of `calculator-grammar.ts` and returns the result as text.
 * Its `run` checks its own input and never throws: every problem is an `is_error` result.
 *
 * @module
 */
import { errorResult, textResult, type Tool, type ToolResult } from '../tool.js';
import { evaluateExpression, ExpressionError } from './calculator-grammar.js';

/** Decimal places when the model does not ask for a precision. */
export const DEFAULT_PRECISION = 6;
/** The most decimal places the model may ask for. */
export const MAX_PRECISION = 15;

/** Below this magnitude a nonzero result is shown in exponent notation, never rounded to `0`. */
const TINY = 1e-6;

/** `toExponential` text without trailing zeros in the mantissa: `1.500e-7` → `1.5e-7`. */
function trimExponential(text: string): string {
  return text.replace(/\.?0+e/, 'e');
}

/**
 * `value` rounded to `precision` decimal places (an integer from 0 to 15, clamped), with trailing
 * zeros trimmed and without `-0`: `formatNumber(1 / 3)` is `0.333333`, `formatNumber(2.5 * 2)` is
 * `5`. Nonzero values below `1e-6` and values from `1e21` up use exponent notation (`1.5e-7`,
 * `1e+25`) rather than `0` or a long run of digits. `NaN` and the infinities come out as
 * `String(value)` (`toFixed` prints them so).
 */
export function formatNumber(value: number, precision: number = DEFAULT_PRECISION): string {
  const places = Math.min(MAX_PRECISION, Math.max(0, Math.trunc(precision) || 0));
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude < TINY) return trimExponential(value.toExponential(places));
  // Number(...) drops the digits toFixed invents beyond double precision; String(-0) is "0".
  return String(Number(value.toFixed(places)));
}

/** The checked input of one call, or the error message for the model. */
type CalculatorInput = { expression: string; precision: number } | { error: string };

const KNOWN_FIELDS = new Set(['expression', 'precision']);

/** Checks the input by hand (the model does not always follow the schema). */
function readInput(input: unknown): CalculatorInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { error: 'Error: the input must be an object such as {"expression": "2 * (3 + 4)"}.' };
  }
  const unknown = Object.keys(input).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) return { error: `Error: unknown field ${JSON.stringify(unknown[0])}; the fields are "expression" and "precision".` };
  const fields = input as Record<string, unknown>;
  const expression = Object.hasOwn(fields, 'expression') ? fields['expression'] : undefined;
  if (expression === undefined) return { error: 'Error: "expression" is required: a string such as "2 * (3 + 4)".' };
  if (typeof expression !== 'string') return { error: `Error: "expression" must be a string such as "2 * (3 + 4)", got ${describeType(expression)}.` };
  const precision = Object.hasOwn(fields, 'precision') ? fields['precision'] : undefined;
  if (precision === undefined) return { expression, precision: DEFAULT_PRECISION };
  if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 0 || precision > MAX_PRECISION) {
    return { error: `Error: "precision" must be an integer from 0 to ${MAX_PRECISION} (decimal places), got ${describeType(precision)}.` };
  }
  return { expression, precision };
}

/** What a bad value is, for messages: `number 2.5`, `null`, `array`. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `${value}`;
  return `a ${typeof value}`;
}

/** One call: checks, evaluates, formats; never throws. */
function calculate(input: unknown): ToolResult {
  try {
    const checked = readInput(input);
    if ('error' in checked) return errorResult(checked.error);
    return textResult(formatNumber(evaluateExpression(checked.expression), checked.precision));
  } catch (error) {
    if (error instanceof ExpressionError) return errorResult(`Error: ${error.message}`);
    return errorResult(`Error: the calculator failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The builtin calculator tool: `{ expression: string, precision?: integer }` in, the result as
 * text out (`"408"`, `"0.333333"`), or an `is_error` result such as `Error: division by zero at
 * position 2`.
 */
export const calculatorTool: Tool = {
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression exactly as written and returns the numeric result. Use it for any ' +
    'calculation instead of computing in your head. Supports numbers (2, 1.5, .5, 1e3), + - * / % (modulo), ' +
    '^ or ** (power; -2^2 is -4), parentheses, the constants pi, e and tau, and the functions sqrt, abs, sin, cos, ' +
    'tan, asin, acos, atan, atan2(y, x), sinh, cosh, tanh, log (natural, or log(x, base)), ln, log10, log2, exp, ' +
    'floor, ceil, round, trunc, sign, min, max, pow(x, y) and factorial(n). Angles are in radians. ' +
    'No variables or assignments; at most 1000 characters.',
  inputSchema: {
    type: 'object',
    properties: {
      expression: {
        type: 'string',
        description: 'The expression to evaluate, e.g. "2 * (3 + 4)", "sqrt(16) + sin(pi / 2)" or "log(8, 2)".',
      },
      precision: {
        type: 'integer',
        minimum: 0,
        maximum: MAX_PRECISION,
        description: `Decimal places to round the result to (default ${DEFAULT_PRECISION}); trailing zeros are dropped.`,
      },
    },
    required: ['expression'],
    additionalProperties: false,
  },
  source: { kind: 'builtin' },
  run: (input) => Promise.resolve(calculate(input)),
};
