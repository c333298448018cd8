import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import type { AgentContext } from './context.js';
import { EXPORT_PATH, type HttpErrorBody, WS_PATH } from './protocol.js';
import type { AccessPolicy, Rejection } from './security.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Sent with every response: no MIME sniffing, no framing by other pages, no Referer leaks.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const STATUS_TEXT: Readonly<Record<Rejection['status'], string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  426: 'Upgrade Required',
  503: 'Service Unavailable',
};

/** Parses the request URL against a fixed base; the Host header is checked separately. */
export function parseRequestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://agent.invalid');
  } catch {
    return undefined;
  }
}

/**
 * Serves one HTTP request: the NDJSON export (token and Origin checked), the UI's static files
 * (no token, because they contain no data), and rejections for everything else.
 */
export async function handleHttpRequest(
  request: IncomingMessage,
  response: ServerResponse,
  policy: AccessPolicy,
  context: AgentContext,
): Promise<void> {
  const url = parseRequestUrl(request);
  const hostRejection = policy.checkHost(request);
  if (hostRejection !== undefined || url === undefined) {
    rejectHttp(response, request, hostRejection ?? notFound(request.url ?? ''), context);
    return;
  }

  if (url.pathname === WS_PATH) {
    rejectHttp(
      response,
      request,
      {
        status: 426,
        code: 'upgrade_required',
        message: `${WS_PATH} is the WebSocket endpoint; connect with a WebSocket client to ${WS_PATH}?token=<token>`,
      },
      context,
    );
    return;
  }

  if (url.pathname.startsWith('/api/')) {
    const rejection =
      policy.checkOrigin(request) ??
      policy.checkToken(request, url, true) ??
      (url.pathname === EXPORT_PATH ? methodRejection(request) : notFound(url.pathname));
    if (rejection !== undefined) {
      rejectHttp(response, request, rejection, context);
      return;
    }
    sendExport(request, response, context);
    return;
  }

  const rejection = methodRejection(request);
  if (rejection !== undefined) {
    rejectHttp(response, request, rejection, context);
    return;
  }
  await serveStatic(request, response, url.pathname, context);
}

function methodRejection(request: IncomingMessage): Rejection | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  return {
    status: 405,
    code: 'method_not_allowed',
    message: `method ${request.method ?? '(none)'} is not allowed; use GET`,
  };
}

function notFound(pathname: string): Rejection {
  return {
    status: 404,
    code: 'not_found',
    message: `nothing is served at ${JSON.stringify(pathname.slice(0, 200))}`,
  };
}

function sendExport(
  request: IncomingMessage,
  response: ServerResponse,
  context: AgentContext,
): void {
  // Each unfinished response keeps a whole export in memory until its client reads it.
  if (context.exportsInFlight >= context.options.maxClients) {
    rejectHttp(
      response,
      request,
      {
        status: 503,
        code: 'too_many_clients',
        message: `${context.exportsInFlight} exports are still being sent, the maxClients limit; retry once one of them finished`,
      },
      context,
    );
    return;
  }
  context.exportsInFlight++;
  response.once('close', () => {
    context.exportsInFlight--;
  });

  context.flushAndBroadcast();
  const { ndjson, events } = context.recorder.exportNdjson(context.app);
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/x-ndjson; charset=utf-8',
    'Content-Length': Buffer.byteLength(ndjson),
    'Content-Disposition': 'attachment; filename="sigscope-export.ndjson"',
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : ndjson);
  context.log.debug(`inspector agent: exported ${events} events over HTTP`);
}

async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  context: AgentContext,
): Promise<void> {
  const uiRoot = resolve(context.options.uiDir);
  const file = await resolveStaticFile(uiRoot, pathname);
  if (file === undefined) {
    if (pathname === '/' || pathname === '/index.html') {
      sendMissingUi(response, uiRoot);
      return;
    }
    rejectHttp(response, request, notFound(pathname), context);
    return;
  }

  const isIndex = file.path.endsWith(`${sep}index.html`);
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': file.size,
    // Built assets carry a content hash in their names; index.html must always be fresh.
    'Cache-Control': isIndex ? 'no-cache' : 'public, max-age=3600',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }

  const stream = createReadStream(file.path);
  stream.on('error', (error) => {
    context.log.warn(
      'SIGSCOPE_STATIC_READ_FAILED',
      `inspector agent: reading ${file.path} failed: ${error.message}`,
    );
    response.destroy(error);
  });
  stream.pipe(response);
}

/**
 * Maps a URL path to a regular file inside `uiRoot`, or undefined. Rejects encoded NULs and any
 * path, symbolic links included, that resolves outside `uiRoot`.
 */
async function resolveStaticFile(
  uiRoot: string,
  pathname: string,
): Promise<{ path: string; size: number } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;

  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const candidate = resolve(uiRoot, relative);
  try {
    const realRoot = await realpath(uiRoot);
    const realFile = await realpath(candidate);
    if (!realFile.startsWith(realRoot + sep)) return undefined;

    const info = await stat(realFile);
    return info.isFile() ? { path: realFile, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

function sendMissingUi(response: ServerResponse, uiRoot: string): void {
  const body = `<!doctype html><meta charset="utf-8"><title>Sigscope inspector</title>
<p>The Sigscope agent is running, but the inspector UI is not built: ${escapeHtml(uiRoot)} has no index.html.
Build @sigscope/inspector-ui and then @sigscope/inspector-agent, or pass uiDir to startInspector.</p>`;
  response.writeHead(404, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function rejectionBody(rejection: Rejection): string {
  const body: HttpErrorBody = { error: { code: rejection.code, message: rejection.message } };
  return JSON.stringify(body);
}

/** Sends the rejection's status and JSON body as the response, and logs it. */
export function rejectHttp(
  response: ServerResponse,
  request: IncomingMessage,
  rejection: Rejection,
  context: AgentContext,
): void {
  logRejection(request, rejection, context);
  const body = rejectionBody(rejection);
  response.writeHead(rejection.status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Writes the rejection as the HTTP response to a WebSocket upgrade and closes the socket. */
export function rejectUpgrade(
  socket: Duplex,
  request: IncomingMessage,
  rejection: Rejection,
  context: AgentContext,
): void {
  logRejection(request, rejection, context);
  const body = rejectionBody(rejection);
  socket.end(
    `HTTP/1.1 ${rejection.status} ${STATUS_TEXT[rejection.status]}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function logRejection(request: IncomingMessage, rejection: Rejection, context: AgentContext): void {
  // The path only: a query string may carry the token.
  const path = (request.url ?? '').split('?')[0]!.slice(0, 200);
  const level = rejection.status === 404 ? 'debug' : 'warn';
  const line = `inspector agent: rejected ${request.method ?? ''} ${path} from ${request.socket.remoteAddress ?? 'unknown'} with ${rejection.status} ${rejection.code}: ${rejection.message}`;
  if (level === 'debug') context.log.debug(line);
  else context.log.warn(`SIGSCOPE_${rejection.code.toUpperCase()}`, line);
}
