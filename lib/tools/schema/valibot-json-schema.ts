/**
 * The JSON Schema of a valibot schema, through `@valibot/to-json-schema` (valibot does not have
 * the Standard JSON Schema hook). A part JSON Schema cannot express is named by key path.
 *
 * @module
 */
import type { ConversionConfig } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ToolDefinitionError } from '../../errors.js';
import { requirePackage } from '../../require-package.js';

type Converter = typeof import('@valibot/to-json-schema').toJsonSchema;
let converter: Converter | undefined;

/** `@valibot/to-json-schema`'s converter, loaded when the first valibot tool is defined. */
function toJsonSchema(...args: Parameters<Converter>): ReturnType<Converter> {
  converter ??= (requirePackage('@valibot/to-json-schema') as typeof import('@valibot/to-json-schema')).toJsonSchema;
  return converter(...args);
}

/**
 * How input schemas are converted. `typeMode: 'input'` describes what the model must send (a pipe
 * stops before its first transform). An action JSON Schema cannot express (`v.check`, `v.trim`)
 * only loosens the JSON Schema: it is left out there and still enforced when the input is validated.
 */
const CONVERSION: ConversionConfig = {
  typeMode: 'input',
  errorMode: 'throw',
  overrideAction: ({ jsonSchema, errors }) => (errors ? jsonSchema : undefined),
};

/** The parts of a valibot schema object walked to find what cannot be converted. */
interface SchemaNode {
  kind?: unknown;
  entries?: Record<string, unknown>;
  wrapped?: unknown;
  item?: unknown;
  value?: unknown;
  options?: unknown;
}

/** Whether `value` is a valibot schema object. */
function isSchema(value: unknown): value is SchemaNode & v.GenericSchema {
  return typeof value === 'object' && value !== null && (value as SchemaNode).kind === 'schema';
}

/** The message of converting `schema` to JSON Schema, or `undefined` when it converts. */
function conversionError(schema: v.GenericSchema): string | undefined {
  try {
    toJsonSchema(schema, CONVERSION);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The schemas inside `node`, each with the key-path segment that leads to it. */
function childrenOf(node: SchemaNode): Array<[segment: string, child: v.GenericSchema]> {
  const candidates: Array<[string, unknown]> = [
    ...Object.entries(node.entries ?? {}).map(([key, entry]): [string, unknown] => [`.${key}`, entry]),
    ['', node.wrapped],
    ['[]', node.item],
    ['.*', node.value],
    ...(Array.isArray(node.options) ? node.options.map((option): [string, unknown] => ['', option]) : []),
  ];
  return candidates.filter((candidate): candidate is [string, v.GenericSchema & SchemaNode] => isSchema(candidate[1]));
}

/** The key path of the innermost part of `schema` that cannot be converted: `location.when`, `tags[]`. */
function unconvertiblePart(schema: v.GenericSchema, at = ''): string {
  for (const [segment, child] of childrenOf(schema as SchemaNode)) {
    if (conversionError(child) !== undefined) return unconvertiblePart(child, at + segment);
  }
  return at.replace(/^\./, '') || '(the input itself)';
}

/**
 * The JSON Schema of the valibot schema `schema` (sync or async), describing what the model must
 * send.
 * @throws {ToolDefinitionError} naming the tool and the key path of a part JSON Schema cannot express.
 */
export function valibotJsonSchema(toolName: string, schema: unknown): Record<string, unknown> {
  const valibotSchema = schema as v.GenericSchema;
  try {
    return { ...toJsonSchema(valibotSchema, CONVERSION) };
  } catch (error) {
    throw new ToolDefinitionError(
      toolName,
      `its input schema cannot be converted to the JSON Schema the model needs, at ${unconvertiblePart(valibotSchema)}: ` +
        `${error instanceof Error ? error.message : String(error)} Use schemas JSON can carry (strings, numbers, booleans, objects, arrays, picklists).`,
      { cause: error },
    );
  }
}
