/**
 * A local OTLP/HTTP trace receiver on 127.0.0.1: collects every POST to /v1/traces (the JSON
 * protocol of @opentelemetry/exporter-trace-otlp-http) and decodes the spans.
 */
import { createServer, type IncomingMessage } from 'node:http';

/** A span as it arrived, its attributes decoded to plain values. */
export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  kind: number;
  status: { code?: number; message?: string };
  attributes: Record<string, unknown>;
  scope: string;
}

/** A POST the receiver got. */
export interface ReceivedRequest {
  path: string;
  contentType: string | undefined;
  body: string;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  requests: ReceivedRequest[];
  /** Every span of every request to /v1/traces. */
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: OtlpValue[] } };

function decode(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decode);
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a receiver on a free port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      requests.push({ path: request.url ?? '', contentType: request.headers['content-type'], body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('OTLP receiver: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    spans() {
      return requests
        .filter((request) => request.path === '/v1/traces')
        .flatMap((request) => {
          const payload = JSON.parse(request.body) as {
            resourceSpans?: Array<{ scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, unknown>> }> }>;
          };
          return (payload.resourceSpans ?? []).flatMap((resource) =>
            (resource.scopeSpans ?? []).flatMap((scope) =>
              (scope.spans ?? []).map((span) => ({
                name: span['name'] as string,
                traceId: span['traceId'] as string,
                spanId: span['spanId'] as string,
                parentSpanId: (span['parentSpanId'] as string | undefined) || undefined,
                kind: span['kind'] as number,
                status: (span['status'] ?? {}) as ReceivedSpan['status'],
                attributes: Object.fromEntries(((span['attributes'] ?? []) as Array<{ key: string; value: OtlpValue }>).map((a) => [a.key, decode(a.value)])),
                scope: scope.scope?.name ?? '',
              })),
            ),
          );
        });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
