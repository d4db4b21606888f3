/**
 * An offline stand-in for the model, for demos and the CLI without an API key: it reads the
 * request and answers plausibly and deterministically. It calls the calculator for arithmetic,
 * `read_file` for a file path and a time tool for the time, sums up tool results, and otherwise
 * echoes what it was told.
 *
 * @module
 */
import { asksForTime, findArithmetic, findFilePath, findFolderToList, findForkPrompts, findGotoRequest, findSavePath, findSpawnRequest, findTimeZone } from './scripted-intents.js';
import { textReply, type ToolCallScript, toolUseReply } from './replies.js';
import { type FakeAnthropicOptions, type FakeAnthropicServer, type Responder, startFakeAnthropic } from './server.js';

/** A content block of a Messages API request, as the scripted model reads it. */
export type Block = { type?: unknown; text?: unknown; content?: unknown; is_error?: unknown; tool_use_id?: unknown; id?: unknown; name?: unknown };
/** A message of a Messages API request, as the scripted model reads it. */
export type Message = { role?: unknown; content?: unknown };
/** A tool of a Messages API request, as the scripted model reads it. */
export type ToolDef = { name?: unknown; description?: unknown; input_schema?: { properties?: Record<string, unknown>; required?: unknown } };

/** The longest tool output or user text quoted back. */
const QUOTE_LIMIT = 400;

const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

const quote = (text: string): string => (text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);

function blocksOf(message: Message | undefined): Block[] {
  if (typeof message?.content === 'string') return [{ type: 'text', text: message.content }];
  return Array.isArray(message?.content) ? (message.content as Block[]) : [];
}

/** The text of a tool result's content. */
function resultText(block: Block): string {
  const { content } = block;
  if (typeof content === 'string') return content.trim();
  if (!Array.isArray(content)) return '';
  return (content as Block[])
    .map((part) => (typeof part.text === 'string' ? part.text : `[${String(part.type)}]`))
    .join(' ')
    .trim();
}

/** One sentence per tool result, naming the tool its `tool_use` in the previous message called. */
function summarize(results: Block[], previous: Message | undefined): string {
  const names = new Map<unknown, string>();
  for (const block of blocksOf(previous)) if (block.type === 'tool_use') names.set(block.id, String(block.name));
  return results
    .map((block) => {
      const name = names.get(block.tool_use_id) ?? 'tool';
      const text = quote(resultText(block));
      if (block.is_error === true) return `Tool "${name}" failed: "${text}"`;
      if (name === 'calculator') return `The calculator says ${text}.`;
      return text === '' ? `Tool "${name}" returned nothing.` : `Tool "${name}" returned: ${text}`;
    })
    .join('\n');
}

const requiredOf = (tool: ToolDef): string[] => (Array.isArray(tool.input_schema?.required) ? tool.input_schema.required.map(String) : []);
const isZoneField = (field: string): boolean => /zone|^tz$/i.test(field);

/**
 * The time tool to call: one named `*get_current_time` or `*current_time` first, else any tool
 * with `time` in its name, among those whose required fields are all a time zone.
 */
function pickTimeTool(tools: ToolDef[]): ToolDef | undefined {
  const usable = tools.filter((tool) => /time/i.test(String(tool.name)) && requiredOf(tool).every(isZoneField));
  return usable.find((tool) => /current_time$/i.test(String(tool.name))) ?? usable[0];
}

/** A spoken line and the tool calls the user's words ask for, with the tools offered. */
interface Plan {
  say: string[];
  calls: ToolCallScript[];
}

/** The linked programs the `spawn` tool's description lists (`Linked programs: a, b.`). */
function linkedProgramsOf(spawn: ToolDef | undefined): string[] {
  const listed = /Linked programs: ([^.]*)\./.exec(String(spawn?.description ?? ''))?.[1] ?? '';
  return listed.split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== '(none)');
}

/** A call to `goto`, `spawn` or `fork` when the words ask for one: it takes the whole request. */
function planDelegation(text: string, tools: ToolDef[]): Plan | undefined {
  const back = tools.some((tool) => tool.name === 'goto') ? findGotoRequest(text) : undefined;
  if (back) return { say: [`I'll go back to ${back.position}.`], calls: [{ name: 'goto', input: { position: back.position, message: back.message } }] };
  const spawn = tools.find((tool) => tool.name === 'spawn');
  const request = spawn ? findSpawnRequest(text, linkedProgramsOf(spawn)) : undefined;
  if (request) {
    return { say: [`I'll ask ${request.program}.`], calls: [{ name: 'spawn', input: { program_name: request.program, query: request.query } }] };
  }
  const prompts = tools.some((tool) => tool.name === 'fork') ? findForkPrompts(text) : undefined;
  if (prompts) return { say: [`I'll fork ${prompts.length} ${prompts.length === 1 ? 'copy' : 'copies'} of myself.`], calls: [{ name: 'fork', input: { prompts } }] };
  return undefined;
}

function planToolCalls(text: string, tools: ToolDef[]): Plan {
  const delegation = planDelegation(text, tools);
  if (delegation) return delegation;
  const plan: Plan = { say: [], calls: [] };
  const offered = (name: string) => tools.some((tool) => tool.name === name);
  const timeTool = asksForTime(text) ? pickTimeTool(tools) : undefined;
  if (timeTool) {
    const zone = findTimeZone(text);
    const input: Record<string, unknown> = {};
    const required = requiredOf(timeTool);
    for (const field of Object.keys(timeTool.input_schema?.properties ?? {}).filter(isZoneField)) {
      if (required.includes(field) || zone !== undefined) input[field] = zone ?? 'UTC';
    }
    plan.say.push('Let me check the clock.');
    plan.calls.push({ name: String(timeTool.name), input });
  }
  const expression = offered('calculator') ? findArithmetic(text) : undefined;
  if (expression !== undefined) {
    plan.say.push(`I'll compute ${expression} with the calculator.`);
    plan.calls.push({ name: 'calculator', input: { expression } });
  }
  // The builtin read_file, or an MCP server's (`codemcp__read_file`).
  const reader = tools.find((tool) => tool.name === 'read_file') ?? tools.find((tool) => /__read_file$/.test(String(tool.name)));
  const path = reader ? findFilePath(text) : undefined;
  if (reader && path !== undefined) {
    plan.say.push(`I'll read ${path}.`);
    plan.calls.push({ name: String(reader.name), input: { path } });
  }
  const folder = offered('list_dir') && path === undefined ? findFolderToList(text) : undefined;
  if (folder !== undefined) {
    plan.say.push(`I'll list ${folder === '.' ? 'the folder' : folder}.`);
    plan.calls.push({ name: 'list_dir', input: { path: folder } });
  }
  return plan;
}

/**
 * What to do after tool results that name a file descriptor: after `<fd_result>` (a long result
 * was kept), read page 2 with `read_fd`; then, when the user asked to save it somewhere and
 * `fd_to_file` is offered, save it there. `undefined` when there is nothing to do.
 */
function planDescriptorCalls(results: Block[], tools: ToolDef[], words: string): Plan | undefined {
  const offered = (name: string) => tools.some((tool) => tool.name === name);
  const savePath = offered('fd_to_file') ? findSavePath(words) : undefined;
  for (const block of results) {
    const text = resultText(block);
    const kept = /^<fd_result fd="(fd:\d+)" pages="(\d+)"/.exec(text);
    const read = /^<fd_content fd="(fd:\d+)"/.exec(text);
    const fd = kept?.[1] ?? read?.[1];
    if (fd === undefined || block.is_error === true) continue;
    if (kept && Number(kept[2]) > 1 && offered('read_fd')) {
      return { say: [`The result was kept as ${fd} (${kept[2]} pages); I'll read page 2.`], calls: [{ name: 'read_fd', input: { fd, page: 2 } }] };
    }
    if (savePath !== undefined) return { say: [`I'll save ${fd} to ${savePath}.`], calls: [{ name: 'fd_to_file', input: { fd, path: savePath } }] };
  }
  return undefined;
}

/** The words of the last user message that has any. */
function lastWords(messages: Message[]): string {
  for (const message of [...messages].reverse()) {
    if (message.role !== 'user') continue;
    const words = blocksOf(message)
      .filter((block) => block.type === 'text' && typeof block.text === 'string')
      .map((block) => String(block.text))
      .join(' ')
      .trim();
    if (words !== '') return words;
  }
  return '';
}

/** What the scripted model answers: a text, or tool calls after a short text; with token counts. */
export interface ScriptedAnswer {
  text: string;
  calls: (ToolCallScript & { id: string })[];
  inputTokens: number;
  outputTokens: number;
}

/** The request the scripted model reads, in the Messages API's shape (other providers' requests are translated to it). */
export interface ScriptedRequest {
  system?: unknown;
  messages?: Message[];
  tools?: ToolDef[];
}

/**
 * What the scripted model answers to `body`, from its last user message:
 * - tool results: a text answer summing them up (`The calculator says 408.`, `Tool "x" returned:
 *   ...`, `Tool "x" failed: "..."`);
 * - arithmetic with a `calculator` tool offered: a call `{ expression }`; a file path with
 *   `read_file` (or an MCP `*__read_file`) offered: a call `{ path }`; a question about the time with a time tool offered
 *   (`*current_time`, `*time*`): a call with the time zone fields it requires (several at once
 *   when asked several things), after a short text;
 * - a request to list a folder (`List the folder docs`) with `list_dir` offered: a call `{ path }`;
 * - a tool result kept as a file descriptor (`<fd_result fd="fd:1" pages="3"`) with `read_fd`
 *   offered: a call reading page 2; then, when the user asked to save it (`... save it to
 *   copy.md`) and `fd_to_file` is offered, a call saving it there;
 * - `Ask <linked program>: <query>` with `spawn` offered: a `spawn` call; `Fork: <task>; <task>`
 *   (or `… in parallel: …`) with `fork` offered: a `fork` call with one prompt per task;
 *   `Go back to msg_3 and <message>` with `goto` offered: a `goto` call (the `[msg_N]` ids goto
 *   shows, and the note it leaves, are not read as the user's words);
 * - anything else: `[offline scripted model] You said: "<text>"` and a few words.
 *
 * Usage is about a token per 4 characters; tool call ids are `toolu_scripted_<turn>_<k>`.
 */
export function scriptedAnswer(body: ScriptedRequest): ScriptedAnswer {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = blocksOf(messages.at(-1));
  const inputTokens = tokens(JSON.stringify([body.system, messages, body.tools]));
  const answer = (text: string): ScriptedAnswer => ({ text, calls: [], inputTokens, outputTokens: tokens(text) });

  const said = last
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => String(block.text))
    .join(' ')
    // The ids goto shows (`[msg_3] `) and the note a goto leaves are not the user's words.
    .replace(/^\[msg_\d+\]\s*/, '')
    .replace(/<goto>[\s\S]*?<\/goto>\s*/, '')
    .trim();
  // Tool results with no new words (a forked copy gets both: its task is the words).
  const results = last.filter((block) => block.type === 'tool_result');
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const descriptorPlan = results.length > 0 && said === '' ? planDescriptorCalls(results, tools, lastWords(messages)) : undefined;
  if (descriptorPlan) return planned(descriptorPlan, messages.length, inputTokens);
  if (results.length > 0 && said === '') return answer(summarize(results, messages.at(-2)));
  const plan = planToolCalls(said, tools);
  if (plan.calls.length > 0) return planned(plan, messages.length, inputTokens);
  return answer(`[offline scripted model] You said: "${quote(said)}". I'm a scripted stand-in, so that is all I can do; set an API key for real answers.`);
}

/** The answer that says `plan`'s words and makes its calls (ids `toolu_scripted_<turn>_<k>`). */
function planned(plan: Plan, turn: number, inputTokens: number): ScriptedAnswer {
  const text = plan.say.join(' ');
  const calls = plan.calls.map((call, k) => ({ ...call, id: `toolu_scripted_${turn}_${k + 1}` }));
  return { text, calls, inputTokens, outputTokens: tokens(text) + tokens(JSON.stringify(calls)) };
}

/**
 * A responder for the fake Anthropic server that behaves like a small, predictable model: see
 * {@link scriptedAnswer}. It streams when asked to, like any reply.
 */
export function scriptedModel(): Responder {
  return (request) => {
    const answer = scriptedAnswer((request.body ?? {}) as ScriptedRequest);
    const usage = { input_tokens: answer.inputTokens, output_tokens: answer.outputTokens };
    return answer.calls.length > 0 ? toolUseReply(answer.calls, { text: answer.text, usage }) : textReply(answer.text, { usage });
  };
}

/** Starts a fake server answered by {@link scriptedModel}. */
export function startScriptedModel(options: Omit<FakeAnthropicOptions, 'responder'> = {}): Promise<FakeAnthropicServer> {
  return startFakeAnthropic({ ...options, responder: scriptedModel() });
}
