/**
 * The Google credentials Claude on Vertex sends, as the `authClient` the Vertex SDK asks for its
 * request headers: a fixed access token, or the client of a `GoogleAuth` given to `start()`. Each
 * remembers the tokens it hands out, so that no error can carry one (R19).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';

/** What the Vertex SDK uses of a google-auth-library `AuthClient`. */
export interface VertexAuthClient {
  /** The project of the credentials, when they name one. */
  readonly projectId?: string | null | undefined;
  /** The headers of one request: `Authorization: Bearer <token>` (and the quota project). */
  getRequestHeaders(url?: string | URL): Promise<Headers>;
}

/** What llmproc uses of a google-auth-library `GoogleAuth`. */
interface GoogleAuthLike {
  getClient(): Promise<VertexAuthClient>;
}

/** The most tokens remembered (a token lives an hour; a long-running process gets many). */
const MAX_TOKENS = 32;

/** The access tokens credentials have handed out, newest last. */
export class TokenJar {
  readonly #tokens: string[] = [];

  /** Remembers the bearer token of `headers`, if it has one. */
  recordFrom(headers: Headers): void {
    const match = /^Bearer\s+(\S+)/i.exec(headers.get('authorization') ?? '');
    if (match) this.record(match[1]!);
  }

  /** Remembers `token`. */
  record(token: string): void {
    if (token === '' || this.#tokens.includes(token)) return;
    this.#tokens.push(token);
    if (this.#tokens.length > MAX_TOKENS) this.#tokens.shift();
  }

  /** The tokens remembered. */
  tokens(): readonly string[] {
    return this.#tokens;
  }
}

/** An auth client that always sends `Authorization: Bearer <token>` (no Google network). */
export function accessTokenAuthClient(token: string, jar: TokenJar): VertexAuthClient {
  jar.record(token);
  return { projectId: undefined, getRequestHeaders: async () => new Headers({ authorization: `Bearer ${token}` }) };
}

/**
 * An auth client taking its headers from `googleAuth`'s client, fetched on the first request (so
 * a credential failure surfaces there, as the SDK's connection error, and never as an unhandled
 * rejection of a process that has not run yet).
 *
 * @throws {InvalidArgumentError} when `googleAuth` has no `getClient()`.
 */
export function googleAuthClient(googleAuth: unknown, jar: TokenJar): VertexAuthClient {
  if (typeof (googleAuth as Partial<GoogleAuthLike> | null)?.getClient !== 'function') {
    throw new InvalidArgumentError('options.googleAuth', 'expected a GoogleAuth instance from google-auth-library (an object with getClient())');
  }
  const auth = googleAuth as GoogleAuthLike;
  let client: Promise<VertexAuthClient> | undefined;
  let resolved: VertexAuthClient | undefined;
  return {
    get projectId() {
      return resolved?.projectId;
    },
    async getRequestHeaders(url) {
      client ??= auth.getClient();
      try {
        resolved = await client;
      } catch (error) {
        client = undefined;
        throw error;
      }
      const headers = await resolved.getRequestHeaders(url);
      jar.recordFrom(headers);
      return headers;
    },
  };
}

/**
 * Google OAuth access tokens (`ya29.` and the rest of the token) found in an error's message or
 * body: the tokens of credentials llmproc did not create (Application Default Credentials, or a
 * client given to `start()`), redacted like the remembered ones.
 */
export function googleTokensIn(error: unknown): string[] {
  if (error === null || typeof error !== 'object') return [];
  const fields = error as { message?: unknown; error?: unknown };
  let text = typeof fields.message === 'string' ? fields.message : '';
  try {
    text += ` ${JSON.stringify(fields.error ?? null)}`;
  } catch {
    // A body that cannot be serialized holds no string we could find anyway.
  }
  return [...new Set(text.match(/ya29\.[\w.-]+/g) ?? [])];
}
