/**
 * The parameter rules that depend on the program's provider, or on several parameters at once,
 * checked when a program loads (from TOML or from code), so that a program the API would refuse
 * never starts: which provider takes which parameter (`top_k` is Anthropic's and Gemini's, `seed` OpenAI's and Gemini's),
 * Anthropic's narrower temperature range, each provider's service tiers and metadata, and what
 * extended thinking requires (a budget below `max_tokens`, temperature 1, no `top_k`, `top_p` of
 * at least 0.95, no forced tool use).
 *
 * @module
 */
import { dottedPath } from '../key-path.js';
import { DEFAULT_MAX_TOKENS } from '../providers/anthropic/mapping.js';
import type { ModelParameters } from '../providers/types.js';
import type { FormattedIssue, IssueDialect } from './format-issues.js';
import { snakeCase } from './key-case.js';
import { PROVIDERS, type ProviderFacts, type ProviderFamily, type ProviderName } from './provider-names.js';

type Field = keyof ModelParameters;

/** The parameters each family does not take (the other families' own, and those it has no equivalent for). */
const NOT_TAKEN: Readonly<Record<ProviderFamily, readonly Field[]>> = {
  anthropic: ['frequencyPenalty', 'presencePenalty', 'reasoningEffort', 'seed', 'responseFormat'],
  openai: ['topK', 'thinking', 'betas'],
  // Gemini samples with temperature, top_p, top_k, seed and the penalties, and thinks with a budget
  // (`thinking`, Gemini 2.5) or a level (`reasoningEffort`, Gemini 3); it has no request metadata in
  // the Gemini API and no Anthropic betas.
  gemini: ['metadata', 'serviceTier', 'betas'],
};

const SERVICE_TIERS: Readonly<Partial<Record<ProviderFamily, readonly string[]>>> = {
  anthropic: ['auto', 'standard_only'],
  openai: ['auto', 'default', 'flex', 'scale', 'priority'],
};

/** OpenAI's limits on `metadata` and `stop`. */
const OPENAI_LIMITS = { metadataEntries: 16, metadataKey: 64, metadataValue: 512, stopSequences: 4 };

/** Gemini's limit on `stopSequences`. */
const GEMINI_STOP_SEQUENCES = 5;

/** Names keys the way the program spells them: `top_k` in TOML, `topK` in code. */
class KeyNames {
  constructor(private readonly dialect: IssueDialect) {}

  /** A key as written (`budgetTokens` → `budget_tokens` in TOML). */
  name(key: string): string {
    return this.dialect === 'toml' ? snakeCase(key) : key;
  }

  /** The key path of a parameter, or of a key inside it. */
  path(field: Field, ...inner: string[]): string {
    return dottedPath(['parameters', this.name(field), ...inner.map((key) => this.name(key))]);
  }

  /** The key path of a user-named key (a metadata entry) inside a parameter, as written. */
  entry(field: Field, key: string): string {
    return dottedPath(['parameters', this.name(field), key]);
  }
}

/** The issues of one program's parameters, collected in order. */
class Issues {
  readonly list: FormattedIssue[] = [];
  add(keyPath: string, text: string): void {
    this.list.push({ keyPath, text: `${keyPath}: ${text}` });
  }
}

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function checkProviderKeys(family: ProviderFacts, parameters: ModelParameters, keys: KeyNames, issues: Issues): void {
  for (const field of NOT_TAKEN[family.family]) {
    if (parameters[field] !== undefined) issues.add(keys.path(field), `${family.label} does not take ${keys.name(field)}`);
  }
}

function checkRanges(family: ProviderFacts, parameters: ModelParameters, keys: KeyNames, issues: Issues): void {
  const { temperature, serviceTier, metadata, stopSequences } = parameters;
  if (family.family === 'anthropic' && temperature !== undefined && temperature > 1) {
    issues.add(keys.path('temperature'), `expected a number from 0 to 1 for ${family.label}, received ${temperature}`);
  }
  const tiers = SERVICE_TIERS[family.family];
  if (tiers && serviceTier !== undefined && !tiers.includes(serviceTier)) {
    issues.add(keys.path('serviceTier'), `unknown value ${shown(serviceTier)}; ${family.label} takes one of: ${tiers.join(', ')}`);
  }
  if (metadata !== undefined && family.family === 'anthropic') {
    for (const key of Object.keys(metadata).filter((name) => name !== 'user_id')) {
      issues.add(keys.entry('metadata', key), `${family.label} takes only metadata.user_id`);
    }
  }
  if (family.family === 'gemini') return checkGemini(parameters, keys, issues);
  if (family.family !== 'openai') return;
  if (metadata !== undefined) {
    const entries = Object.entries(metadata);
    if (entries.length > OPENAI_LIMITS.metadataEntries) {
      issues.add(keys.path('metadata'), `OpenAI takes at most ${OPENAI_LIMITS.metadataEntries} entries, received ${entries.length}`);
    }
    for (const [key, value] of entries) {
      if (key.length > OPENAI_LIMITS.metadataKey) issues.add(keys.entry('metadata', key), `OpenAI takes keys of at most ${OPENAI_LIMITS.metadataKey} characters`);
      if (value.length > OPENAI_LIMITS.metadataValue) issues.add(keys.entry('metadata', key), `OpenAI takes values of at most ${OPENAI_LIMITS.metadataValue} characters`);
    }
  }
  if (stopSequences !== undefined && stopSequences.length > OPENAI_LIMITS.stopSequences) {
    issues.add(keys.path('stopSequences'), `OpenAI takes at most ${OPENAI_LIMITS.stopSequences} stop sequences, received ${stopSequences.length}`);
  }
}

/**
 * Gemini's limits: at most five stop sequences, no way to turn parallel function calls off, and a
 * thinking budget or a thinking level, not both (the API answers 400 to both).
 */
function checkGemini(parameters: ModelParameters, keys: KeyNames, issues: Issues): void {
  const { stopSequences, toolChoice, thinking, reasoningEffort } = parameters;
  if (thinking !== undefined && reasoningEffort !== undefined) {
    issues.add(
      keys.path('reasoningEffort'),
      `Gemini takes either ${keys.name('thinking')} (a thinking budget, Gemini 2.5) or ${keys.name('reasoningEffort')} (a thinking level, Gemini 3), not both`,
    );
  }
  if (stopSequences !== undefined && stopSequences.length > GEMINI_STOP_SEQUENCES) {
    issues.add(keys.path('stopSequences'), `Gemini takes at most ${GEMINI_STOP_SEQUENCES} stop sequences, received ${stopSequences.length}`);
  }
  if (toolChoice?.disableParallelToolUse !== undefined) {
    issues.add(keys.path('toolChoice', 'disableParallelToolUse'), 'Gemini has no switch for parallel function calls; remove it');
  }
}

/** What the Messages API requires of a request with extended thinking on. */
function checkThinking(parameters: ModelParameters, keys: KeyNames, issues: Issues): void {
  const { thinking, maxTokens, temperature, topK, topP, toolChoice } = parameters;
  if (thinking?.type !== 'enabled') return;
  const limit = maxTokens ?? DEFAULT_MAX_TOKENS;
  if (thinking.budgetTokens >= limit) {
    const which = maxTokens === undefined ? `${keys.name('maxTokens')} (${limit}, the default)` : `${keys.name('maxTokens')} (${limit})`;
    issues.add(keys.path('thinking', 'budgetTokens'), `expected less than ${which}, received ${thinking.budgetTokens}`);
  }
  const thinkingKey = keys.path('thinking');
  if (temperature !== undefined && temperature !== 1) {
    issues.add(keys.path('temperature'), `extended thinking (${thinkingKey}) takes temperature 1 or none, received ${temperature}`);
  }
  if (topK !== undefined) issues.add(keys.path('topK'), `extended thinking (${thinkingKey}) does not take ${keys.name('topK')}`);
  if (topP !== undefined && topP < 0.95) {
    issues.add(keys.path('topP'), `extended thinking (${thinkingKey}) takes ${keys.name('topP')} from 0.95 to 1 or none, received ${topP}`);
  }
  if (toolChoice?.type === 'any' || toolChoice?.type === 'tool') {
    issues.add(keys.path('toolChoice'), `extended thinking (${thinkingKey}) cannot force tool use; expected type "auto" or "none", received ${shown(toolChoice.type)}`);
  }
}

/**
 * The problems of `parameters` for a program of `provider`, one line each, keyed by the path the
 * program spells (`parameters.top_k` in TOML, `parameters.topK` in code). Empty when the
 * parameters suit the provider.
 */
export function providerParameterIssues(provider: ProviderName, parameters: ModelParameters, dialect: IssueDialect): FormattedIssue[] {
  const family: ProviderFacts = PROVIDERS[provider];
  const keys = new KeyNames(dialect);
  const issues = new Issues();
  checkProviderKeys(family, parameters, keys, issues);
  checkRanges(family, parameters, keys, issues);
  if (family.family === 'anthropic') checkThinking(parameters, keys, issues);
  return issues.list;
}
