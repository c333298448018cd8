/**
 * The shop's HTTP API on node:http. JSON in and out; every error is
 * `{ "error": { "code", "message" } }` with a message that names the field and the fix.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Shop } from '../shop.js';
import { HttpError } from './errors.js';
import { type ApiRoute, createRoutes, type InspectorControl } from './routes.js';

export type { InspectorControl } from './routes.js';

export interface ApiServerOptions {
  /** Request bodies larger than this many bytes get a 413. @default 65536 */
  readonly maxBodyBytes?: number;
  /** Restarts the inspector agent; absent when the demo runs without one. */
  readonly inspector?: InspectorControl;
  /** Receives errors that became a 500. @default writes one line to stderr */
  readonly onInternalError?: (error: unknown, request: string) => void;
}

export interface ApiServer {
  readonly server: Server;
  /** `http://host:port`, once {@link listen} resolved. */
  readonly url: string;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export function createApiServer(shop: Shop, options: ApiServerOptions = {}): ApiServer {
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const onInternalError = options.onInternalError ?? logInternalError;
  const routes = createRoutes(shop, { maxBodyBytes, inspector: options.inspector });
  let requestCount = 0;
  let url = '';

  const server = createServer((request, response) => {
    requestCount += 1;
    const requestId = `req-${requestCount}`;
    handle(routes, request, response, requestId).catch((error: unknown) => {
      onInternalError(error, `${request.method} ${request.url} (${requestId})`);
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: {
            code: 'internal',
            message: 'the demo failed to handle the request; see its stderr',
          },
        });
      } else {
        response.destroy();
      }
    });
  });

  return {
    server,
    get url() {
      return url;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          url = `http://${formatHost(address.address)}:${address.port}`;
          resolve(url);
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

async function handle(
  routes: readonly ApiRoute[],
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const matches = routes
    .map((route) => ({ route, params: route.pattern.exec(url.pathname) }))
    .filter((match) => match.params !== null);

  try {
    if (matches.length === 0) {
      throw new HttpError(
        404,
        'not_found',
        `no route for ${url.pathname}; see the demo README for the API`,
      );
    }
    const match = matches.find((candidate) => candidate.route.method === request.method);
    if (match === undefined) {
      const allowed = matches.map((candidate) => candidate.route.method).join(', ');
      throw new HttpError(
        405,
        'method_not_allowed',
        `${request.method} is not allowed on ${url.pathname}; use ${allowed}`,
        {
          allow: allowed,
        },
      );
    }

    const result = await match.route.handle({
      request,
      url,
      params: match.params!.groups ?? {},
      ctx: { traceId: requestId },
    });
    sendJson(response, result.status, result.body);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;

    // A 413 leaves the rest of the body unread, so close the connection instead of reusing it.
    const headers =
      error.status === 413 ? { ...error.headers, connection: 'close' } : error.headers;
    sendJson(
      response,
      error.status,
      { error: { code: error.code, message: error.message } },
      headers,
    );
    if (error.status === 413) request.resume();
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

function formatHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function logInternalError(error: unknown, request: string): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`[demo] ${request} failed with a 500: ${detail}`);
}
