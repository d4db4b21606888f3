/**
 * Where a Gemini request went, read from its path: the Gemini API's
 * `/v1beta/models/{model}:generateContent` (or `:streamGenerateContent?alt=sse`), or Vertex AI's
 * `/v1beta1/projects/{project}/locations/{location}/publishers/google/models/{model}:...`.
 *
 * @module
 */

/** The parts of a Gemini request's path. */
export interface GeminiRoute {
  /** `gemini`: the Gemini API; `vertex`: Gemini on Vertex AI. */
  api: 'gemini' | 'vertex';
  /** The API version of the path (`v1beta`, `v1beta1`, ...). */
  version: string;
  /** The model, decoded. */
  model: string;
  /** `generateContent` answers with JSON, `streamGenerateContent` with server-sent events. */
  method: 'generateContent' | 'streamGenerateContent';
  /** Vertex: the project. */
  project?: string | undefined;
  /** Vertex: the location (region). */
  location?: string | undefined;
}

const GEMINI_PATH = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const VERTEX_PATH = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The route of `pathname`, or `undefined` when it is not a Gemini path. */
export function geminiRoute(pathname: string): GeminiRoute | undefined {
  const gemini = GEMINI_PATH.exec(pathname);
  if (gemini) return { api: 'gemini', version: gemini[1]!, model: decode(gemini[2]!), method: gemini[3] as GeminiRoute['method'] };
  const vertex = VERTEX_PATH.exec(pathname);
  if (!vertex) return undefined;
  return {
    api: 'vertex',
    version: vertex[1]!,
    project: decode(vertex[2]!),
    location: decode(vertex[3]!),
    model: decode(vertex[4]!),
    method: vertex[5] as GeminiRoute['method'],
  };
}
