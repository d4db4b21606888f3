/**
 * The offline scripted model behind the fake OpenAI Chat Completions server: a Chat Completions
 * request is read as the Messages API request it stands for, answered by {@link scriptedAnswer}
 * (the same decisions as on Anthropic), and the answer is sent as a completion.
 *
 * @module
 */
import { chatReply, toolCallsReply } from './openai-replies.js';
import { type FakeOpenAIOptions, type FakeOpenAIServer, type OpenAIResponder, startFakeOpenAI } from './openai-server.js';
import { type Block, type Message, scriptedAnswer, type ScriptedRequest, type ToolDef } from './scripted-model.js';

type ChatPart = { type?: unknown; text?: unknown };
type ChatToolCall = { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
type ChatMessage = { role?: unknown; content?: unknown; tool_calls?: ChatToolCall[]; tool_call_id?: unknown };
type ChatTool = { function?: { name?: unknown; description?: unknown; parameters?: ToolDef['input_schema'] } };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as ChatPart[]).map((part) => (typeof part.text === 'string' ? part.text : '')).join(' ');
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** A Chat Completions image or file part as the Messages API block it stands for; `undefined` for other parts. */
function mediaBlock(part: ChatPart & { image_url?: { url?: unknown }; file?: { file_data?: unknown; filename?: unknown } }): Block | undefined {
  const url = part.type === 'image_url' ? part.image_url?.url : part.type === 'file' ? part.file?.file_data : undefined;
  if (typeof url !== 'string') return undefined;
  const data = DATA_URL.exec(url);
  const source = data ? { type: 'base64', media_type: data[1], data: data[2] } : { type: 'url', url };
  const title = typeof part.file?.filename === 'string' ? part.file.filename.replace(/\.pdf$/i, '') : undefined;
  return { type: part.type === 'file' ? 'document' : 'image', source, ...(title === undefined ? {} : { title }) } as Block;
}

/** A user message's content as blocks: its text, then its images and files. */
function userBlocks(content: unknown): Block[] {
  const blocks: Block[] = [{ type: 'text', text: textOf(content) }];
  if (Array.isArray(content)) for (const part of content as ChatPart[]) blocks.push(...[mediaBlock(part)].filter((block): block is Block => block !== undefined));
  return blocks;
}

/** The Messages API request a Chat Completions request stands for: system apart, tool messages as tool_result blocks. */
export function toScriptedRequest(body: { messages?: ChatMessage[]; tools?: ChatTool[] }): ScriptedRequest {
  const messages: Message[] = [];
  const system: string[] = [];
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(textOf(message.content));
    } else if (message.role === 'tool') {
      const block: Block = { type: 'tool_result', tool_use_id: message.tool_call_id, content: textOf(message.content) };
      const last = messages.at(-1);
      if (last?.role === 'user' && Array.isArray(last.content) && (last.content as Block[]).every((b) => b.type === 'tool_result')) (last.content as Block[]).push(block);
      else messages.push({ role: 'user', content: [block] });
    } else if (message.role === 'assistant') {
      const blocks: Block[] = [];
      const text = textOf(message.content);
      if (text) blocks.push({ type: 'text', text });
      for (const call of message.tool_calls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.function?.name });
      messages.push({ role: 'assistant', content: blocks });
    } else {
      messages.push({ role: 'user', content: userBlocks(message.content) });
    }
  }
  const tools: ToolDef[] = (Array.isArray(body.tools) ? body.tools : []).map((tool) => ({
    name: tool.function?.name,
    description: tool.function?.description,
    input_schema: tool.function?.parameters,
  }));
  return { system: system.join('\n'), messages, tools };
}

/** A responder for the fake OpenAI server that behaves like the scripted model (see `scriptedModel`). */
export function scriptedOpenAIModel(): OpenAIResponder {
  return (request) => {
    const answer = scriptedAnswer(toScriptedRequest((request.body ?? {}) as Parameters<typeof toScriptedRequest>[0]));
    const usage = { prompt_tokens: answer.inputTokens, completion_tokens: answer.outputTokens };
    if (answer.calls.length === 0) return chatReply(answer.text, { usage });
    const calls = answer.calls.map((call) => ({ name: call.name, arguments: call.input, id: call.id.replace(/^toolu_/, 'call_') }));
    return toolCallsReply(calls, { text: answer.text || undefined, usage });
  };
}

/** Starts a fake OpenAI server answered by {@link scriptedOpenAIModel}. */
export function startScriptedOpenAI(options: Omit<FakeOpenAIOptions, 'responder'> = {}): Promise<FakeOpenAIServer> {
  return startFakeOpenAI({ ...options, responder: scriptedOpenAIModel() });
}
