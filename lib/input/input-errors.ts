/**
 * The errors of a run's input that has content parts: a part that is malformed, and a part the
 * process's provider cannot take. Both are thrown by `run()` before the input enters the
 * conversation or anything is sent, so the conversation is as it was (R6).
 *
 * @module
 */
import { InvalidArgumentError, LLMProcError } from '../errors.js';

/**
 * A content part of a run's input is malformed: not a known part type, an image of a media type the
 * model APIs do not take or whose bytes are of another format, data that is not base64, a PDF that
 * is not one. Also an {@link InvalidArgumentError} whose `argument` is the part's path
 * (`input[1].mediaType`).
 */
export class InvalidInputPartError extends InvalidArgumentError {
  /** The part's index in the input array. */
  readonly index: number;
  /** The part's field at fault (`mediaType`, `data`, `url`), if one is. */
  readonly field: string | undefined;
  /** What was expected there, in words. */
  readonly expected: string;
  /** What was found, in words (never the data itself). */
  readonly received: string;

  constructor(index: number, field: string | undefined, expected: string, received: string) {
    super(`input[${index}]${field ? `.${field}` : ''}`, `expected ${expected}, received ${received}`);
    this.index = index;
    this.field = field;
    this.expected = expected;
    this.received = received;
  }
}

/**
 * A content part of a run's input is one the process's provider cannot take for its model (an
 * image by URL on Claude on Vertex, a PDF on a model without vision, an image over the API's size
 * limit): refused by `run()` rather than sent to be answered with a 400.
 */
export class UnsupportedInputError extends LLMProcError {
  /** The provider, as in `[model] provider`. */
  readonly provider: string;
  /** The model the process calls. */
  readonly model: string;
  /** The part's index in the input array. */
  readonly index: number;
  /** The part's type (`image`, `image_url`, `document`). */
  readonly partType: string;
  /** What the provider does not take, in words. */
  readonly reason: string;

  constructor(options: { provider: string; model: string; index: number; partType: string; reason: string }) {
    super(`input[${options.index}]: the ${options.provider} provider cannot take this ${options.partType} part for ${options.model}: ${options.reason}. Nothing was sent.`);
    this.provider = options.provider;
    this.model = options.model;
    this.index = options.index;
    this.partType = options.partType;
    this.reason = options.reason;
  }
}
