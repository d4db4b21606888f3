/**
 * `llmproc/testing`: test LLM programs without the network. A fake Anthropic Messages API that the
 * real SDK talks to over HTTP and SSE, scripted replies and faults, the API's request checks, and an
 * offline scripted model.
 *
 * @module
 */
export { startFakeAnthropic } from './fake-anthropic-server.js';
export type { FakeAnthropicOptions, FakeAnthropicServer, RecordedRequest, Responder } from './fake-anthropic-server.js';
export {
  delayed,
  dropConnection,
  errorReply,
  hang,
  malformedJson,
  messageReply,
  streamDrop,
  streamError,
  textReply,
  toolUseReply,
} from './replies.js';
export type {
  ErrorReplyOptions,
  FakeReply,
  MessageReplyOptions,
  StreamFaultOptions,
  ToolCallScript,
  WireContentBlock,
  WireMessage,
  WireUsage,
} from './replies.js';
export { checkMessagesRequest } from './check-request.js';
export { scriptedModel, startScriptedModel } from './scripted-model.js';
export { connectModel, OFFLINE_NOTICE } from './connect-model.js';
export type { ConnectModelOptions, ModelConnection } from './connect-model.js';
