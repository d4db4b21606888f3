/**
 * What the offline scripted model reads in a user's words: an arithmetic expression, a file path,
 * a question about the time. Pure, deterministic functions.
 *
 * @module
 */

const FUNCTIONS = 'sqrt|abs|sin|cos|tan|asin|acos|atan|log10|log2|log|ln|exp|floor|ceil|round|trunc|factorial|pow|min|max';
/** A run of characters an expression can be made of. */
const EXPRESSION_RUN = new RegExp(String.raw`(?:(?:${FUNCTIONS})\s*\(|\bpi\b|\d|[-+*/^%×÷().,]|[ \t])+`, 'gi');
/** Two operands joined by an operator, or a function call: what makes a run arithmetic. */
const ARITHMETIC = new RegExp(String.raw`[\d)]\s*(?:\*\*|[-+*/^%×÷])\s*[-\d(a-z.]|\b(?:${FUNCTIONS})\s*\(\s*[-\d(.]`, 'i');

/** `text` without the parentheses that have no partner. */
function balanceParentheses(text: string): string {
  const chars = [...text];
  const open: number[] = [];
  for (const [i, char] of chars.entries()) {
    if (char === '(') open.push(i);
    else if (char === ')' && open.pop() === undefined) chars[i] = '';
  }
  for (const i of open) chars[i] = '';
  return chars.join('');
}

/**
 * The first arithmetic expression in `text` (`12*34`, `(3+4)^2`, `sqrt(16) + 1`), in the
 * calculator's syntax (`×` and `÷` become `*` and `/`), or `undefined`.
 */
export function findArithmetic(text: string): string | undefined {
  for (const [run] of text.matchAll(EXPRESSION_RUN)) {
    const candidate = balanceParentheses(run)
      .replace(/[\s,.]+$/, '')
      // A leading '.' is punctuation unless a digit follows: '.25 * 4' keeps its decimal point.
      .replace(/^(?:[\s,]|\.(?!\d))+/, '')
      .replace(/[-+*/^%×÷\s]+$/, '')
      .trim();
    if (/\d/.test(candidate) && ARITHMETIC.test(candidate)) return candidate.replace(/×/g, '*').replace(/÷/g, '/');
  }
  return undefined;
}

const FILE_PATH = /(?:[\w.-]*\/)*[\w-][\w.-]*\.(?:txt|md|markdown|toml|json|ya?ml|csv|log|ts|js|py)\b/;

/** The first file path in `text` (`notes.txt`, `docs/guide.md`, `./config.toml`), or `undefined`. */
export function findFilePath(text: string): string | undefined {
  return FILE_PATH.exec(text)?.[0];
}

const TIME_QUESTION =
  /\bwhat(?:'s| is)?\s+(?:the\s+)?(?:current\s+|local\s+)?(?:time|date)\b|\btime is it\b|\bcurrent (?:time|date)\b|\btime (?:right )?now\b|\bclock\b|\btoday's date\b/i;

/** Whether `text` asks for the time or the date. */
export function asksForTime(text: string): boolean {
  return TIME_QUESTION.test(text);
}

const PLACES: Readonly<Record<string, string>> = {
  tokyo: 'Asia/Tokyo',
  paris: 'Europe/Paris',
  london: 'Europe/London',
  berlin: 'Europe/Berlin',
  'new york': 'America/New_York',
  'los angeles': 'America/Los_Angeles',
  sydney: 'Australia/Sydney',
  utc: 'UTC',
  gmt: 'UTC',
};

/** The IANA time zone `text` names (`Asia/Tokyo`, or a city such as Tokyo), or `undefined`. */
export function findTimeZone(text: string): string | undefined {
  const iana = /\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/.exec(text)?.[0];
  if (iana) return iana;
  const place = Object.keys(PLACES).find((name) => new RegExp(`\\b${name}\\b`, 'i').test(text));
  return place === undefined ? undefined : PLACES[place];
}

/** What a user asks a linked program to do: the program's name and the query for it. */
export interface SpawnRequest {
  program: string;
  query: string;
}

const ASK = /\bask\s+(?:the\s+)?([\w-]+)\b[\s,:]*(?:(?:to|about)\s+)?([\s\S]*)$/i;

/**
 * A request to ask one of `programs` something: `Ask repo_expert: what is llmproc?` gives
 * `{ program: 'repo_expert', query: 'what is llmproc?' }`. Names match case-insensitively and come
 * back as declared; the query is the rest of the text, or the whole text when nothing follows.
 */
export function findSpawnRequest(text: string, programs: readonly string[]): SpawnRequest | undefined {
  const match = ASK.exec(text);
  if (!match) return undefined;
  const program = programs.find((name) => name.toLowerCase() === match[1]!.toLowerCase());
  if (program === undefined) return undefined;
  const query = match[2]!.trim();
  return { program, query: query === '' ? text.trim() : query };
}

const FORK = /\b(?:fork|in parallel)\b[^:\n]*:\s*([\s\S]+)$/i;

/**
 * The tasks of a request to work on several things at once: `Fork: what is 2+2; what is 3*3`
 * (or `… in parallel: …`) gives `['what is 2+2', 'what is 3*3']`; tasks are split at `;` and new
 * lines. `undefined` when the text asks for no such thing.
 */
export function findForkPrompts(text: string): string[] | undefined {
  const match = FORK.exec(text);
  if (!match) return undefined;
  const prompts = match[1]!
    .split(/\s*(?:;|\n)\s*/)
    .map((prompt) => prompt.trim())
    .filter((prompt) => prompt !== '');
  return prompts.length > 0 ? prompts : undefined;
}

/** Strips the sentence's closing punctuation from a path-like token (`docs.` → `docs`), keeping `.` and `..`. */
const trimPunctuation = (token: string): string => (/^\.+$/.test(token) ? token : token.replace(/[.,;:!?]+$/, ''));

const LIST = /\b(?:list|ls)\b((?:\s+(?:the|all|files|contents|entries|of|in|folder|directory|dir))*)(?:\s+([\w./-]+))?|\bwhat(?:'s| is| files are)\s+in\s+(?:the\s+(?:folder|directory)\s+)?([\w./-]+)/i;

/**
 * The folder a request asks to list: `List the folder docs` and `What files are in docs?` give
 * `docs`; `List the files` gives `.`. `undefined` when the text asks for no listing.
 */
export function findFolderToList(text: string): string | undefined {
  const match = LIST.exec(text);
  if (!match) return undefined;
  const token = match[2] ?? match[3];
  return token === undefined ? '.' : trimPunctuation(token) || '.';
}

const SAVE = /\b(?:save|write|copy|export)\b[^\n]*?\b(?:to|as|into)\s+([\w./-]*[\w-]\.\w+)/i;

/** Where a request asks to save something: `... and save it to out/copy.md` gives `out/copy.md`; else `undefined`. */
export function findSavePath(text: string): string | undefined {
  const found = SAVE.exec(text)?.[1];
  return found === undefined ? undefined : trimPunctuation(found);
}

/** Where a user asks to go back to (`msg_3`), and the message to go on with there. */
export interface GotoRequest {
  position: string;
  message: string;
}

const GOTO = /\b(?:go back to|goto|return to)\s+(msg_\d+)\b[\s,:;.-]*(?:and\s+)?([\s\S]*)$/i;

/**
 * A request to go back in the conversation: `Go back to msg_0 and compute 2^10 instead` gives
 * `{ position: 'msg_0', message: 'compute 2^10 instead' }`; with nothing after the id, the message
 * is `Start again from here.`. `undefined` when the text asks for no such thing.
 */
export function findGotoRequest(text: string): GotoRequest | undefined {
  const match = GOTO.exec(text);
  if (!match) return undefined;
  const message = match[2]!.trim();
  return { position: match[1]!.toLowerCase(), message: message === '' ? 'Start again from here.' : message };
}
