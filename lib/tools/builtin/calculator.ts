/**
 * The builtin `calculator` tool (`[tools] enabled = ["calculator"]`): evaluates an arithmetic
 * expression with the whitelist grammar of `calculator-grammar.ts`.
 *
 * @module
 */
import { errorResult, textResult, type Tool, type ToolResult } from '../tool.js';
import { evaluateExpression, ExpressionError } from './calculator-grammar.js';

/** Decimal places when the model does not ask for a precision. */
export const DEFAULT_PRECISION = 6;

/** `value` rounded to `precision` decimal places, trailing zeros trimmed, no `-0`. */
export function formatNumber(value: number, precision: number = DEFAULT_PRECISION): string {
  if (Object.is(value, -0)) return '0';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e21 || magnitude < 10 ** -precision)) {
    return value.toExponential(Math.min(precision, 15)).replace(/\.?0+e/, 'e');
  }
  const fixed = value.toFixed(precision);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

function run(input: Record<string, unknown>): ToolResult {
  const { expression, precision = DEFAULT_PRECISION } = input;
  if (typeof expression !== 'string') return errorResult('Error: "expression" must be a string, such as "2 * (3 + 4)".');
  if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 0 || precision > 15) {
    return errorResult('Error: "precision" must be an integer from 0 to 15.');
  }
  try {
    return textResult(formatNumber(evaluateExpression(expression), precision));
  } catch (error) {
    if (error instanceof ExpressionError) return errorResult(`Error: ${error.message}`);
    throw error;
  }
}

/** The builtin calculator tool. */
export const calculatorTool: Tool = {
  name: 'calculator',
  description:
    'Evaluates a mathematical expression and returns the result. Supports + - * / % and ^ (power), parentheses, ' +
    'the constants pi, e and tau, and the functions sqrt, abs, sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, ' +
    'log (natural, or log(x, base)), ln, log10, log2, exp, floor, ceil, round, trunc, sign, min, max, pow and factorial.',
  inputSchema: {
    type: 'object',
    properties: {
      expression: { type: 'string', description: 'The expression to evaluate, e.g. "2 * (3 + 4)" or "sqrt(16) + sin(pi / 2)".' },
      precision: { type: 'integer', minimum: 0, maximum: 15, description: `Decimal places of the result (default ${DEFAULT_PRECISION}).` },
    },
    required: ['expression'],
    additionalProperties: false,
  },
  source: { kind: 'builtin' },
  run: async (input) => run(input),
};
