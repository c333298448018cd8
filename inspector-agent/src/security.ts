import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from './protocol.js';

/** The reason a request was rejected, with the HTTP status and a message for the body and the log. */
export interface Rejection {
  readonly status: 401 | 403 | 404 | 405 | 426 | 503;
  readonly code: ErrorCode;
  readonly message: string;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Decides which Host headers, Origin headers and tokens the agent accepts. Built once the port
 * is known, because the agent's own origins include it.
 */
export class AccessPolicy {
  private readonly allowedHosts: ReadonlySet<string>;
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly tokenDigest: Buffer;

  constructor(options: {
    readonly host: string;
    readonly port: number;
    readonly token: string;
    readonly allowedOrigins: readonly string[];
  }) {
    const ownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
    const hostNames = new Set([...LOOPBACK_NAMES, ownHost]);
    for (const origin of options.allowedOrigins) hostNames.add(new URL(origin).hostname);

    this.allowedHosts = hostNames;
    this.allowedOrigins = new Set([
      ...[...LOOPBACK_NAMES, ownHost].map((name) => `http://${name}:${options.port}`),
      ...options.allowedOrigins,
    ]);
    this.tokenDigest = digest(options.token);
  }

  /**
   * Checks the Host header, which defeats DNS rebinding: a foreign page whose domain resolves
   * to 127.0.0.1 still sends its own domain as Host.
   */
  checkHost(request: IncomingMessage): Rejection | undefined {
    const hostName = parseHostName(request.headers.host);
    if (hostName !== undefined && this.allowedHosts.has(hostName)) return undefined;

    return {
      status: 403,
      code: 'forbidden_host',
      message: `Host header ${JSON.stringify(request.headers.host ?? null)} is not a loopback name or the configured host; open the inspector through http://127.0.0.1 or add the origin to allowedOrigins`,
    };
  }

  /**
   * Checks the Origin header. A request without one comes from a non-browser client (curl, a
   * test, a script), which a foreign web page cannot be, so it passes here and still needs the
   * token.
   */
  checkOrigin(request: IncomingMessage): Rejection | undefined {
    const origin = request.headers.origin;
    if (origin === undefined || this.allowedOrigins.has(origin)) return undefined;

    return {
      status: 403,
      code: 'forbidden_origin',
      message: `Origin ${JSON.stringify(origin)} is not allowed; start the inspector with allowedOrigins: [${JSON.stringify(origin)}] to trust it`,
    };
  }

  /** Checks the token from `Authorization: Bearer <token>` or the `token` query parameter. */
  checkToken(request: IncomingMessage, url: URL, allowHeader: boolean): Rejection | undefined {
    const token = (allowHeader ? bearerToken(request) : undefined) ?? url.searchParams.get('token');
    if (token === null || token === undefined || token === '') {
      return {
        status: 401,
        code: 'unauthorized',
        message: allowHeader
          ? 'the token is missing; send "Authorization: Bearer <token>" or "?token=<token>" with the token from the inspector URL'
          : 'the token is missing; connect to /ws?token=<token> with the token from the inspector URL',
      };
    }
    if (!this.tokenMatches(token)) {
      return {
        status: 401,
        code: 'unauthorized',
        message: 'the token is wrong; use the token from the URL the inspector printed at start',
      };
    }
    return undefined;
  }

  /** Compares in constant time: both sides are hashed to equal-length digests first. */
  tokenMatches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;

  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Returns the lower-cased host name of a Host header, with brackets kept around IPv6. */
export function parseHostName(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;

  const lower = header.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end === -1 ? undefined : lower.slice(0, end + 1);
  }

  const colon = lower.indexOf(':');
  const name = colon === -1 ? lower : lower.slice(0, colon);
  // "localhost." is the same host as "localhost".
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
