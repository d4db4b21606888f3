/**
 * `llmproc/testing`: test LLM programs without the network. A fake Anthropic Messages API (also on
 * Vertex's paths, for the Vertex SDK), a fake OpenAI Chat Completions API and a fake Gemini API
 * (also on Vertex's paths) that the real SDKs talk to over HTTP and server-sent events, scripted replies and faults, the APIs' request checks,
 * and an offline scripted model.
 *
 * @module
 */
export { startFakeAnthropic } from './server.js';
export type { FakeAnthropicOptions, FakeAnthropicServer, RecordedRequest, Responder } from './server.js';
export { messageReply, textReply, toolUseReply } from './replies.js';
export type { MessageReplyOptions, MessageScript, ToolCallScript, ToolUseReplyOptions } from './replies.js';
export { delayed, dropConnection, errorReply, errorTypeFor, hang, malformedJson, streamDrop, streamError, streamHang } from './faults.js';
export type { ErrorReplyOptions, StreamFaultOptions } from './faults.js';
export type {
  AnyFakeReply,
  DelayedFakeReply,
  DropFakeReply,
  ErrorFakeReply,
  FakeReply,
  HangFakeReply,
  MalformedFakeReply,
  MessageFakeReply,
  StreamFaultFakeReply,
} from './fake-reply.js';
export { DEFAULT_USAGE } from './wire.js';
export type { WireContentBlock, WireMessage, WireTextBlock, WireToolUseBlock, WireUsage } from './wire.js';
export { formatSse, messageEvents } from './sse.js';
export type { SseEvent } from './sse.js';
export { checkMessagesRequest } from './check-request.js';
export { scriptedAnswer, scriptedModel, startScriptedModel } from './scripted-model.js';
export type { ScriptedAnswer, ScriptedRequest } from './scripted-model.js';
export { scriptedOpenAIModel, startScriptedOpenAI, toScriptedRequest } from './scripted-openai.js';
export type { CheckRequestOptions } from './check-request.js';
export type { IssuedThinking } from './check-thinking.js';
export type { VertexRoute } from './vertex-route.js';
export { asksForTime, findArithmetic, findFilePath, findFolderToList, findForkPrompts, findGotoRequest, findSavePath, findSpawnRequest, findTimeZone } from './scripted-intents.js';
export type { GotoRequest, SpawnRequest } from './scripted-intents.js';
export { connectModel, EXPLICIT_OFFLINE_NOTICE, OFFLINE_NOTICE, offlineNotice } from './connect-model.js';
export type { ConnectModelOptions, ModelConnection } from './connect-model.js';

// The fake OpenAI Chat Completions API (the faults above work for it too).
export { startFakeOpenAI } from './openai-server.js';
export type { FakeOpenAIOptions, FakeOpenAIServer, OpenAIResponder } from './openai-server.js';
export { chatReply, completionReply, openAIErrorFor, openAIErrorReply, toolCallsReply } from './openai-replies.js';
export type { ChatReplyOptions, CompletionScript, OpenAIErrorReplyOptions, ToolCallsReplyOptions, ToolCallsScript } from './openai-replies.js';
export type { CompletionFakeReply, OpenAIFakeReply } from './openai-fake-reply.js';
export { DEFAULT_OPENAI_USAGE, wireUsage } from './openai-wire.js';
export type { OpenAIUsageScript, WireChatChoice, WireChatCompletion, WireChatMessage, WireChatUsage, WireToolCall } from './openai-wire.js';
export { completionChunks, DONE_LINE, formatChunk } from './openai-sse.js';
export type { WireChatChunk } from './openai-sse.js';
export { checkChatCompletionsRequest } from './openai-check-request.js';
export type { FakeResponder, FakeServer, FakeServerOptions } from './fake-server.js';

// The fake Gemini API, on the Gemini API's and Vertex AI's paths (the faults above work for it too).
export { startFakeGemini } from './gemini-server.js';
export type { FakeGeminiOptions, FakeGeminiServer, GeminiResponder } from './gemini-server.js';
export { functionCallsReply, geminiErrorReply, geminiResponseReply, geminiTextReply } from './gemini-replies.js';
export type { FunctionCallScript, FunctionCallsReplyOptions, GeminiReplyOptions, GeminiResponseScript } from './gemini-replies.js';
export type { GeminiFakeReply, GeminiResponseFakeReply } from './gemini-fake-reply.js';
export { DEFAULT_GEMINI_USAGE, googleStatusFor, wireGeminiUsage } from './gemini-wire.js';
export type { GeminiUsageScript, WireGeminiCandidate, WireGeminiPart, WireGeminiResponse, WireGeminiUsage } from './gemini-wire.js';
export { formatGeminiChunk, geminiResponseChunks } from './gemini-sse.js';
export type { WireGeminiChunk } from './gemini-sse.js';
export { checkGenerateContentRequest } from './gemini-check-request.js';
export { geminiRoute } from './gemini-route.js';
export type { GeminiRoute } from './gemini-route.js';
export { scriptedGeminiModel, startScriptedGemini, toScriptedGeminiRequest } from './scripted-gemini.js';
export type { GeminiScriptedBody } from './scripted-gemini.js';

// Seams for test harnesses
export { observeProcessEvents } from '../process/observe.js';
export type { ObservedEvent, ProcessEventObserver } from '../process/observe.js';
export { forgetPriceLookups } from '../results/pricing.js';
