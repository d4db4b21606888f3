/**
 * `llmproc/testing`: test LLM programs without the network. A fake Anthropic Messages API that the
 * real SDK talks to over HTTP and server-sent events, scripted replies and faults, the API's
 * request checks, and an offline scripted model.
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
export { scriptedModel, startScriptedModel } from './scripted-model.js';
export { asksForTime, findArithmetic, findFilePath, findForkPrompts, findSpawnRequest, findTimeZone } from './scripted-intents.js';
export type { SpawnRequest } from './scripted-intents.js';
export { connectModel, EXPLICIT_OFFLINE_NOTICE, OFFLINE_NOTICE } from './connect-model.js';
export type { ConnectModelOptions, ModelConnection } from './connect-model.js';
