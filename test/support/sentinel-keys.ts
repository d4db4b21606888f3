/**
 * The recognizable API keys the tests give the SDK; nothing may ever print or emit them (R19). In
 * a module of their own, with no imports, so that the secret watch can name them without loading
 * llmproc before the tests do.
 */

/** The key of `setupTest()` and most tests. */
export const SENTINEL_API_KEY = 'sk-ant-sentinel-0123456789abcdef';

/** The key the reliability suite's MCP, security and secrets tests start processes with. */
export const RELIABILITY_API_KEY = 'sk-ant-SENTINEL-reliability-7f3a9c1e5b';

/** The key of the OpenAI provider tests. */
export const OPENAI_SENTINEL_API_KEY = 'sk-proj-openai-sentinel-0123456789abcdef';

/** The key of the Gemini provider tests. */
export const GEMINI_SENTINEL_API_KEY = 'AIza-gemini-sentinel-0123456789abcdef';
