/**
 * Gemini `generateContent`'s checks on a request body, as a pure function: what the real API
 * answers 400 to, in its own words where we know them. Above all the rules of function calling:
 * a model turn's function calls are answered by the next user turn, one `functionResponse` per
 * `functionCall`, in order, by name (and by id when the call had one); a function response
 * answers a call or is refused; roles alternate `user`, `model`, `user`, ...
 *
 * @module
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A function's name: a letter or underscore, then letters, digits, `_ . : -`, at most 128 characters. */
const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}$/;

/** The fields of a part that hold its data: a part holds exactly one. */
const DATA_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'];

const COUNT_MISMATCH =
  'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
const RESPONSE_PLACEMENT = 'Please ensure that function response turn comes immediately after a function call turn.';
const CALL_PLACEMENT = 'Please ensure that function call turn comes immediately after a user turn or after a function response turn.';

/** The problem with one part, if any. */
function checkPart(part: unknown, role: string, at: string): string | undefined {
  if (!isObject(part)) return `Invalid value at '${at}': expected a Part object.`;
  const fields = DATA_FIELDS.filter((field) => part[field] !== undefined);
  if (fields.length === 0) return `Invalid value at '${at}': a part must hold one of ${DATA_FIELDS.join(', ')}.`;
  if (fields.length > 1) return `Invalid value at '${at}': a part holds only one of its data fields (got ${fields.join(' and ')}).`;
  if ('text' in part) {
    if (typeof part['text'] !== 'string') return `Invalid value at '${at}.text': expected a string.`;
    if (part['text'] === '' && part['thoughtSignature'] === undefined) return 'Unable to submit request because it has an empty text parameter. Add a value to the parameter and try again.';
  }
  if (part['inlineData'] !== undefined) {
    const data = part['inlineData'];
    if (!isObject(data) || typeof data['mimeType'] !== 'string' || typeof data['data'] !== 'string') return `Invalid value at '${at}.inline_data': expected { mimeType, data }.`;
  }
  if (part['functionCall'] !== undefined) {
    if (role !== 'model') return `Invalid value at '${at}.function_call': function calls are only allowed in model turns.`;
    const call = part['functionCall'];
    if (!isObject(call) || typeof call['name'] !== 'string' || !FUNCTION_NAME.test(call['name'])) return `Invalid value at '${at}.function_call.name'.`;
    if (call['args'] !== undefined && !isObject(call['args'])) return `Invalid value at '${at}.function_call.args': expected a JSON object.`;
  }
  if (part['functionResponse'] !== undefined) {
    if (role !== 'user') return `Invalid value at '${at}.function_response': function responses are only allowed in user turns.`;
    const response = part['functionResponse'];
    if (!isObject(response) || typeof response['name'] !== 'string') return `Invalid value at '${at}.function_response.name'.`;
    if (!isObject(response['response'])) return `Invalid value at '${at}.function_response.response': expected a JSON object.`;
  }
  return undefined;
}

/** A function call of a model turn, as its answer must match it. */
interface Call {
  name: string;
  id: string | undefined;
}

/** The problem with the function responses of the user turn after calls `calls`, if any. */
function checkAnswers(parts: Json[], calls: readonly Call[], at: string): string | undefined {
  const responses = parts.filter((part) => part['functionResponse'] !== undefined).map((part) => part['functionResponse'] as Json);
  if (calls.length === 0) return responses.length > 0 ? RESPONSE_PLACEMENT : undefined;
  if (responses.length !== calls.length) return COUNT_MISMATCH;
  for (const [i, call] of calls.entries()) {
    const response = responses[i]!;
    if (response['name'] !== call.name) {
      return `Invalid value at '${at}': function response ${i} is for "${String(response['name'])}", but function call ${i} of the function call turn is "${call.name}" (answer the calls in order).`;
    }
    if (call.id !== undefined && response['id'] !== call.id) {
      return `Invalid value at '${at}': function response ${i} must carry the id of function call ${i} ("${call.id}"), got ${JSON.stringify(response['id'])}.`;
    }
  }
  return undefined;
}

function checkContents(contents: unknown): string | undefined {
  if (!Array.isArray(contents) || contents.length === 0) return "* GenerateContentRequest.contents: contents is not specified";
  let calls: Call[] = [];
  let previousRole: string | undefined;
  for (const [i, content] of contents.entries()) {
    const at = `contents[${i}]`;
    if (!isObject(content)) return `Invalid value at '${at}': expected a Content object.`;
    const role = content['role'];
    if (role !== 'user' && role !== 'model') return `Please use a valid role: user, model. (got ${JSON.stringify(role)} at '${at}.role')`;
    if (i === 0 && role !== 'user') return 'Please ensure that multiturn requests alternate between user and model, starting with a user turn.';
    if (role === previousRole) return `Please ensure that multiturn requests alternate between user and model (${at} is a second ${role} turn in a row).`;
    const parts = content['parts'];
    if (!Array.isArray(parts) || parts.length === 0) return `* GenerateContentRequest.${at}.parts: contents.parts must not be empty.`;
    for (const [j, part] of parts.entries()) {
      const problem = checkPart(part, role, `${at}.parts[${j}]`);
      if (problem) return problem;
    }
    const typed = parts as Json[];
    if (role === 'user') {
      const problem = checkAnswers(typed, calls, at);
      if (problem) return problem;
      calls = [];
    } else {
      calls = typed.filter((part) => part['functionCall'] !== undefined).map((part) => {
        const call = part['functionCall'] as Json;
        return { name: String(call['name']), id: typeof call['id'] === 'string' ? call['id'] : undefined };
      });
      if (calls.length > 0 && i === 0) return CALL_PLACEMENT;
    }
    previousRole = role;
  }
  return undefined;
}

/** The declared function names, or the problem with the tools. */
function checkTools(tools: unknown): string[] | string {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) return "Invalid value at 'tools': expected an array.";
  const names: string[] = [];
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool)) return `Invalid value at 'tools[${i}]': expected a Tool object.`;
    const declarations = tool['functionDeclarations'];
    if (declarations === undefined) continue;
    if (!Array.isArray(declarations)) return `Invalid value at 'tools[${i}].function_declarations': expected an array.`;
    for (const [j, declaration] of declarations.entries()) {
      const at = `tools[${i}].function_declarations[${j}]`;
      const name = isObject(declaration) ? declaration['name'] : undefined;
      if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
        return `* GenerateContentRequest.${at}.name: Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:) or dashes (-), with a maximum length of 128.`;
      }
      if (names.includes(name)) return `* GenerateContentRequest.${at}.name: Duplicate function declaration name "${name}".`;
      const fields = declaration as Json;
      if (fields['parameters'] !== undefined && fields['parametersJsonSchema'] !== undefined) {
        return `Invalid value at '${at}': parameters and parameters_json_schema are mutually exclusive.`;
      }
      const schema = fields['parametersJsonSchema'];
      if (schema !== undefined && (!isObject(schema) || (schema['type'] !== undefined && schema['type'] !== 'object'))) {
        return `Invalid value at '${at}.parameters_json_schema': the schema must describe an object.`;
      }
      names.push(name);
    }
  }
  return names;
}

/** The thinking levels of Gemini 3 (the API takes them in either case). */
const THINKING_LEVELS = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];

function checkGenerationConfig(config: unknown): string | undefined {
  if (config === undefined) return undefined;
  if (!isObject(config)) return "Invalid value at 'generation_config': expected an object.";
  const { maxOutputTokens, temperature, topP, topK, stopSequences, thinkingConfig } = config;
  if (maxOutputTokens !== undefined && (typeof maxOutputTokens !== 'number' || !Number.isInteger(maxOutputTokens) || maxOutputTokens < 1)) {
    return "Invalid value at 'generation_config.max_output_tokens': expected a positive integer.";
  }
  if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 2)) return "Invalid value at 'generation_config.temperature': expected a number from 0 to 2.";
  if (topP !== undefined && (typeof topP !== 'number' || topP < 0 || topP > 1)) return "Invalid value at 'generation_config.top_p': expected a number from 0 to 1.";
  if (topK !== undefined && (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1)) return "Invalid value at 'generation_config.top_k': expected a positive integer.";
  if (Array.isArray(stopSequences) && stopSequences.length > 5) return "Invalid value at 'generation_config.stop_sequences': at most 5 stop sequences.";
  const budget = isObject(thinkingConfig) ? thinkingConfig['thinkingBudget'] : undefined;
  if (budget !== undefined && (typeof budget !== 'number' || !Number.isInteger(budget) || budget < -1)) {
    return "Invalid value at 'generation_config.thinking_config.thinking_budget': expected an integer of at least -1.";
  }
  const level = isObject(thinkingConfig) ? thinkingConfig['thinkingLevel'] : undefined;
  if (level !== undefined && !THINKING_LEVELS.includes(String(level).toUpperCase())) {
    return `Invalid value at 'generation_config.thinking_config.thinking_level' (${JSON.stringify(level)}).`;
  }
  if (budget !== undefined && level !== undefined) return 'thinking_budget and thinking_level are not supported together.';
  return undefined;
}

function checkToolConfig(toolConfig: unknown, names: readonly string[]): string | undefined {
  if (!isObject(toolConfig) || !isObject(toolConfig['functionCallingConfig'])) return undefined;
  const config = toolConfig['functionCallingConfig'];
  const mode = config['mode'];
  if (mode !== undefined && !['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED'].includes(String(mode))) return `Invalid value at 'tool_config.function_calling_config.mode' (${JSON.stringify(mode)}).`;
  const allowed = config['allowedFunctionNames'];
  if (allowed === undefined) return undefined;
  if (mode !== 'ANY' && mode !== 'VALIDATED') return 'allowed_function_names may only be set when the function calling mode is ANY.';
  for (const name of Array.isArray(allowed) ? allowed : []) {
    if (!names.includes(String(name))) return `allowed_function_names contains "${String(name)}", which is not a declared function.`;
  }
  return undefined;
}

/**
 * The first problem Gemini would answer 400 to in a `generateContent` request `body`, in words,
 * or `undefined` when it is valid. It checks the contents (roles that alternate from a first user
 * turn, non-empty parts each holding one kind of data, no empty text, function calls only from
 * the model and function responses only from the user, each call answered in the next turn in
 * order, by name and id), the system instruction, the function declarations (names, no duplicate,
 * one schema of an object), the generation config's ranges, and the function calling config.
 */
export function checkGenerateContentRequest(body: unknown): string | undefined {
  if (!isObject(body)) return 'The request body must be a JSON object.';
  const problem = checkContents(body['contents']);
  if (problem) return problem;
  const system = body['systemInstruction'];
  if (system !== undefined) {
    const parts = isObject(system) ? system['parts'] : undefined;
    if (!Array.isArray(parts) || parts.length === 0) return '* GenerateContentRequest.system_instruction.parts: must not be empty.';
    for (const [j, part] of parts.entries()) {
      const partProblem = checkPart(part, 'user', `system_instruction.parts[${j}]`);
      if (partProblem) return partProblem;
    }
  }
  const names = checkTools(body['tools']);
  if (typeof names === 'string') return names;
  return checkGenerationConfig(body['generationConfig']) ?? checkToolConfig(body['toolConfig'], names);
}
