/**
 * Assembling a streamed `generateContent` answer. The SDK parses the server-sent events into
 * `GenerateContentResponse` chunks but, unlike the Anthropic and OpenAI SDKs, has no helper that
 * joins them: each chunk holds the parts generated since the last one. Text pieces in a row join
 * into one text part (a piece carrying a thought signature gives the joined part that signature;
 * two signatures keep their parts apart);
 * every other part (a function call, a thought, code execution) is kept whole. The last chunk's
 * usage, finish reason, response id and model version are the answer's.
 *
 * @module
 */
import type { GenerateContentResponse, Part } from '@google/genai';

/** Whether `part` is plain answer text that the next piece of text continues. */
function isAnswerText(part: Part | undefined): part is Part & { text: string } {
  if (part === undefined || typeof part.text !== 'string' || part.thought) return false;
  return Object.keys(part).every((key) => key === 'text' || key === 'thoughtSignature');
}

/** One streamed answer being put together. */
export class StreamAssembly {
  readonly #parts: Part[] = [];
  #last: GenerateContentResponse | undefined;
  #finishReason: string | undefined;

  /**
   * Adds a chunk; returns each piece of answer text it brings, with the text of its part so far
   * (for `onText`), in order.
   */
  add(chunk: GenerateContentResponse): { delta: string; snapshot: string }[] {
    this.#last = chunk;
    const candidate = chunk.candidates?.[0];
    if (candidate?.finishReason !== undefined) this.#finishReason = candidate.finishReason;
    const texts: { delta: string; snapshot: string }[] = [];
    for (const part of candidate?.content?.parts ?? []) {
      const previous = this.#parts.at(-1);
      if (isAnswerText(part) && isAnswerText(previous) && (previous.thoughtSignature === undefined || part.thoughtSignature === undefined)) {
        previous.text += part.text;
        if (part.thoughtSignature !== undefined) previous.thoughtSignature = part.thoughtSignature;
        if (part.text !== '') texts.push({ delta: part.text, snapshot: previous.text });
      } else {
        this.#parts.push({ ...part });
        if (isAnswerText(part) && part.text !== '') texts.push({ delta: part.text, snapshot: part.text });
      }
    }
    return texts;
  }

  /** Whether a chunk has brought any part yet (what time to first token measures). */
  hasContent(): boolean {
    return this.#parts.length > 0;
  }

  /** The whole answer, shaped as one response. */
  response(): GenerateContentResponse {
    const last = this.#last;
    const candidate = last?.candidates?.[0];
    const assembled = {
      responseId: last?.responseId,
      modelVersion: last?.modelVersion,
      usageMetadata: last?.usageMetadata,
      promptFeedback: last?.promptFeedback,
      sdkHttpResponse: last?.sdkHttpResponse,
      candidates: [{ ...candidate, content: { role: 'model', parts: this.#parts }, finishReason: this.#finishReason }],
    };
    return assembled as GenerateContentResponse;
  }
}
