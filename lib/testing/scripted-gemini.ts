/**
 * The offline scripted model behind the fake Gemini server: a `generateContent` request is read as
 * the Messages API request it stands for, answered by {@link scriptedAnswer} (the same decisions as
 * on Anthropic), and the answer is sent as a Gemini response (function calls without ids, as the
 * Gemini API sends them).
 *
 * @module
 */
import { functionCallsReply, geminiTextReply } from './gemini-replies.js';
import { type FakeGeminiOptions, type FakeGeminiServer, type GeminiResponder, startFakeGemini } from './gemini-server.js';
import { type Block, type Message, scriptedAnswer, type ScriptedRequest, type ToolDef } from './scripted-model.js';

type GeminiPart = { text?: unknown; functionCall?: { name?: unknown; id?: unknown }; functionResponse?: { name?: unknown; response?: Record<string, unknown> } };
type GeminiContent = { role?: unknown; parts?: GeminiPart[] };
type GeminiDeclaration = { name?: unknown; description?: unknown; parametersJsonSchema?: ToolDef['input_schema'] };
/** The parts of a `generateContent` body the scripted model reads. */
export type GeminiScriptedBody = { systemInstruction?: { parts?: GeminiPart[] }; contents?: GeminiContent[]; tools?: { functionDeclarations?: GeminiDeclaration[] }[] };

const partsOf = (content: { parts?: GeminiPart[] } | undefined): GeminiPart[] => (Array.isArray(content?.parts) ? content.parts : []);
const textOf = (parts: GeminiPart[]): string => parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join(' ');

/** The text of a function response's `{ output }` or `{ error }`, and whether it is an error. */
function responseText(response: Record<string, unknown> | undefined): { text: string; isError: boolean } {
  const value = response?.['error'] ?? response?.['output'] ?? response;
  return { text: typeof value === 'string' ? value : JSON.stringify(value ?? ''), isError: response?.['error'] !== undefined };
}

/**
 * The Messages API request a `generateContent` body stands for: the system instruction apart,
 * function calls as `tool_use` blocks and function responses as `tool_result` blocks, matched by
 * position (the call's id when it has one, else `call_<content>_<n>`).
 */
export function toScriptedGeminiRequest(body: GeminiScriptedBody): ScriptedRequest {
  const messages: Message[] = [];
  let callIds: string[] = [];
  for (const [i, content] of (Array.isArray(body.contents) ? body.contents : []).entries()) {
    const parts = partsOf(content);
    const blocks: Block[] = [];
    if (content.role === 'model') {
      const text = textOf(parts).trim();
      if (text) blocks.push({ type: 'text', text });
      callIds = [];
      for (const part of parts) {
        if (!part.functionCall) continue;
        const id = typeof part.functionCall.id === 'string' ? part.functionCall.id : `call_${i}_${callIds.length}`;
        callIds.push(id);
        blocks.push({ type: 'tool_use', id, name: part.functionCall.name });
      }
      messages.push({ role: 'assistant', content: blocks });
      continue;
    }
    let answered = 0;
    for (const part of parts) {
      if (part.functionResponse) {
        const { text, isError } = responseText(part.functionResponse.response);
        blocks.push({ type: 'tool_result', tool_use_id: callIds[answered++], content: text, is_error: isError });
      } else if (typeof part.text === 'string') {
        blocks.push({ type: 'text', text: part.text });
      }
    }
    messages.push({ role: 'user', content: blocks });
  }
  const tools: ToolDef[] = (Array.isArray(body.tools) ? body.tools : []).flatMap((tool) =>
    (tool.functionDeclarations ?? []).map((declaration) => ({ name: declaration.name, description: declaration.description, input_schema: declaration.parametersJsonSchema })),
  );
  return { system: textOf(partsOf(body.systemInstruction)), messages, tools };
}

/** A responder for the fake Gemini server that behaves like the scripted model (see `scriptedModel`). */
export function scriptedGeminiModel(): GeminiResponder {
  return (request) => {
    const answer = scriptedAnswer(toScriptedGeminiRequest((request.body ?? {}) as GeminiScriptedBody));
    const usage = { promptTokenCount: answer.inputTokens, candidatesTokenCount: answer.outputTokens };
    if (answer.calls.length === 0) return geminiTextReply(answer.text, { usage });
    return functionCallsReply(answer.calls.map((call) => ({ name: call.name, args: call.input })), { text: answer.text || undefined, usage });
  };
}

/** Starts a fake Gemini server answered by {@link scriptedGeminiModel}. */
export function startScriptedGemini(options: Omit<FakeGeminiOptions, 'responder'> = {}): Promise<FakeGeminiServer> {
  return startFakeGemini({ ...options, responder: scriptedGeminiModel() });
}
