/**
 * The program parameters Chat Completions has no equivalent for. An OpenAI program that sets one
 * is refused when it starts, naming the file and the key, rather than silently run without it.
 *
 * @module
 */
import { ProgramError } from '../../errors.js';
import type { ModelParameters } from '../types.js';

/** Each parameter OpenAI does not take: its name in code, in TOML, and why. */
const UNSUPPORTED: readonly { key: keyof ModelParameters; toml: string; why: string }[] = [
  { key: 'topK', toml: 'top_k', why: 'OpenAI samples with temperature and top_p only' },
  { key: 'thinking', toml: 'thinking', why: "it is Anthropic's extended thinking; use reasoning_effort with an OpenAI reasoning model" },
  { key: 'betas', toml: 'betas', why: 'they are Anthropic beta flags' },
];

/**
 * Throws when `parameters` set one OpenAI does not take. Key paths are the TOML ones
 * (`parameters.top_k`) for a program from a file, the code ones (`parameters.topK`) otherwise.
 *
 * @throws {ProgramError} naming the file and every such key path.
 */
export function refuseUnsupportedParameters(parameters: Readonly<ModelParameters> | undefined, file: string | undefined): void {
  if (!parameters) return;
  const found = UNSUPPORTED.filter(({ key }) => parameters[key] !== undefined);
  if (found.length === 0) return;
  const keyPaths = found.map(({ key, toml }) => `parameters.${file ? toml : key}`);
  const issues = found.map(({ why }, i) => `${keyPaths[i]}: the OpenAI provider does not take it (${why}); remove it from this provider = "openai" program`);
  throw new ProgramError(issues, { file, keyPath: keyPaths[0] });
}
