/**
 * Claude on Vertex AI's wire shape, for the fake server: the model's path
 * (`/v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict`, or
 * `:streamRawPredict` to stream), the body's differences from the Messages API's (no `model`; an
 * `anthropic_version`), Google's bearer credentials and Google's error body.
 *
 * @module
 */

/** Where a Vertex request went: the parts of its path. */
export interface VertexRoute {
  project: string;
  region: string;
  /** The model, decoded (`claude-3-5-haiku@20241022`). */
  model: string;
  /** `rawPredict` answers with JSON, `streamRawPredict` with server-sent events. */
  method: 'rawPredict' | 'streamRawPredict';
}

const ROUTE = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/;

/** The Vertex route of `pathname`, or `undefined` when it is not one. */
export function vertexRoute(pathname: string): VertexRoute | undefined {
  const match = ROUTE.exec(pathname);
  if (!match) return undefined;
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return { project: decode(match[1]!), region: decode(match[2]!), model: decode(match[3]!), method: match[4] as VertexRoute['method'] };
}

/** The versions Vertex takes in `anthropic_version`: `vertex-2023-10-16`, or an API version date. */
const VERSION = /^(vertex-)?\d{4}-\d{2}-\d{2}$/;

/** What Vertex refuses in a body the Messages API would take, or `undefined`. */
export function checkVertexBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the request body must be a JSON object';
  const fields = body as Record<string, unknown>;
  if ('model' in fields) return 'model: Extra inputs are not permitted (on Vertex AI the model is in the URL)';
  const version = fields['anthropic_version'];
  if (typeof version !== 'string' || !VERSION.test(version)) {
    return `anthropic_version: Field required (e.g. "vertex-2023-10-16"), received ${JSON.stringify(version)}`;
  }
  return undefined;
}

/** The bearer token of an `authorization` header, or `undefined`. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
}

/** Google's error body: `{ error: { code, message, status } }`. */
export function googleErrorBody(code: number, status: string, message: string): unknown {
  return { error: { code, message, status } };
}

/** The full name Vertex gives a model in its "not found" message. */
export function publisherModelName(route: VertexRoute): string {
  return `projects/${route.project}/locations/${route.region}/publishers/anthropic/models/${route.model}`;
}
