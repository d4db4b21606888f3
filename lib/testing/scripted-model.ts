/**
 * An offline stand-in for the model, for demos and the CLI without an API key: it reads the
 * request and answers plausibly and deterministically. It calls the calculator for arithmetic,
 * read_file for a file name, a time tool for the time, and otherwise echoes.
 *
 * @module
 */
import { type FakeAnthropicOptions, type FakeAnthropicServer, type Responder, startFakeAnthropic } from './fake-anthropic-server.js';
import { type FakeReply, textReply, toolUseReply } from './replies.js';

type Block = { type: string; text?: string; content?: unknown; is_error?: boolean; tool_use_id?: string; name?: string; id?: string };
type Message = { role: string; content: string | Block[] };
type ToolDef = { name: string; input_schema?: { required?: string[]; properties?: Record<string, unknown> } };

const ARITHMETIC = /(?:sqrt|abs|sin|cos|tan|log|exp)?\(?[-\d.]+\s*(?:[-+*/^%×÷]\s*\(?\s*[-\d.]+\s*\)?\s*)+|(?:sqrt|abs|log|exp)\(\s*[-\d.]+\s*\)/i;
const FILE_NAME = /[\w./-]+\.(?:txt|md|toml|json|ts|js|py|csv|yaml|yml)\b/;

const blocksOf = (message: Message | undefined): Block[] =>
  !message ? [] : typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;

const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function resultText(block: Block): string {
  const content = block.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: Block) => part.text ?? `[${part.type}]`).join(' ');
  return '';
}

/** Names of the tools a previous assistant message called, by tool_use id. */
function toolNames(messages: Message[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) for (const block of blocksOf(message)) if (block.type === 'tool_use') names.set(block.id!, block.name!);
  return names;
}

function summarize(results: Block[], messages: Message[]): string {
  const names = toolNames(messages);
  return results
    .map((block) => {
      const name = names.get(block.tool_use_id ?? '') ?? 'the tool';
      const text = resultText(block).trim();
      if (block.is_error) return `The ${name} tool failed: ${text}`;
      if (name === 'calculator') return `The calculator says ${text}.`;
      return `${name} returned: ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`;
    })
    .join('\n');
}

/** The tool call the user's words ask for, if a matching tool is offered. */
function pickToolCall(text: string, tools: ToolDef[]): { name: string; input: Record<string, unknown>; say: string }[] {
  const calls: { name: string; input: Record<string, unknown>; say: string }[] = [];
  const has = (predicate: (tool: ToolDef) => boolean) => tools.find(predicate);
  const timeTool = has((tool) => /time/i.test(tool.name));
  if (timeTool && /\btime\b|\bclock\b|\bdate\b/i.test(text)) {
    const zone = /\b(?:in|at)\s+(Tokyo|Paris|London|New York|UTC)\b/i.exec(text)?.[1];
    const zones: Record<string, string> = { tokyo: 'Asia/Tokyo', paris: 'Europe/Paris', london: 'Europe/London', 'new york': 'America/New_York', utc: 'UTC' };
    const props = timeTool.input_schema?.properties ?? {};
    const input: Record<string, unknown> = {};
    const tzKey = Object.keys(props).find((key) => /zone/i.test(key));
    if (tzKey) input[tzKey] = zone ? zones[zone.toLowerCase()] : 'UTC';
    calls.push({ name: timeTool.name, input, say: 'Let me check the time.' });
  }
  const calculator = has((tool) => tool.name === 'calculator');
  const expression = ARITHMETIC.exec(text)?.[0]?.trim().replace(/×/g, '*').replace(/÷/g, '/');
  if (calculator && expression) calls.push({ name: 'calculator', input: { expression }, say: `I'll compute ${expression}.` });
  const reader = has((tool) => tool.name === 'read_file');
  const file = FILE_NAME.exec(text)?.[0];
  if (reader && file) calls.push({ name: 'read_file', input: { path: file }, say: `I'll read ${file}.` });
  return calls;
}

/** A responder that behaves like a small, predictable model. */
export function scriptedModel(): Responder {
  return (request) => {
    const body = request.body as { messages: Message[]; tools?: ToolDef[] };
    const messages = body.messages;
    const last = blocksOf(messages.at(-1));
    const results = last.filter((block) => block.type === 'tool_result');
    const inputTokens = tokens(JSON.stringify(messages));
    if (results.length > 0) {
      const text = summarize(results, messages);
      return textReply(text, { usage: { input_tokens: inputTokens, output_tokens: tokens(text) } });
    }
    const said = last.filter((block) => block.type === 'text').map((block) => block.text ?? '').join(' ').trim();
    const calls = pickToolCall(said, body.tools ?? []);
    if (calls.length > 0) {
      const text = calls.map((call) => call.say).join(' ');
      return toolUseReply(calls, { text, usage: { input_tokens: inputTokens, output_tokens: tokens(text) + 10 * calls.length } });
    }
    const text = `[offline scripted model] You said: "${said.length > 200 ? `${said.slice(0, 200)}…` : said}". I'm a scripted stand-in; set ANTHROPIC_API_KEY for real answers.`;
    return textReply(text, { usage: { input_tokens: inputTokens, output_tokens: tokens(text) } }) satisfies FakeReply;
  };
}

/** Starts a fake server answered by {@link scriptedModel}. */
export function startScriptedModel(options: Omit<FakeAnthropicOptions, 'responder'> = {}): Promise<FakeAnthropicServer> {
  return startFakeAnthropic({ ...options, responder: scriptedModel() });
}
