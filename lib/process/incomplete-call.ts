/**
 * The `api:call` payload of a streamed call that broke off after the API began answering.
 *
 * @module
 */
import type { PartialUsage } from '../providers/types.js';
import { costOf, type ModelPrice } from '../results/pricing.js';
import type { ApiCallEvent } from './events.js';

/**
 * The payload recording a call that failed or was aborted midway: the usage `partial` reported
 * (what the API bills), `incomplete: true`, and as stop reason why it broke off (`error`,
 * `aborted`, `timeout`). `model` is the requested model, for a partial that names none.
 */
export function incompleteCallEvent(
  partial: PartialUsage,
  context: { model: string; durationMs: number; stopReason: string; price: (model: string) => ModelPrice | undefined },
): ApiCallEvent {
  const model = partial.model ?? context.model;
  return {
    model,
    usage: partial.usage,
    tokens: partial.tokens,
    stopReason: context.stopReason,
    id: partial.id ?? '',
    durationMs: context.durationMs,
    requestId: partial.requestId,
    costUsd: costOf(context.price(model), partial.tokens),
    incomplete: true,
  };
}
