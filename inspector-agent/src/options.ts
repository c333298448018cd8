import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InspectorLogger } from './logger.js';
import { DEFAULT_REDACT_PATTERNS, DEFAULT_SERIALIZE_LIMITS } from './serialize.js';

/** Options for {@link startInspector}. Every limit is a named option with a documented default. */
export interface InspectorOptions {
  /** The name the UI shows for this process. @default `name` in ./package.json, else `process.title` */
  readonly appName?: string;
  /**
   * The interface to listen on. Anything other than a loopback address exposes payloads to the
   * network (still behind the token) and emits a warning.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** The TCP port for HTTP and WebSocket; 0 picks a free one. @default 7777 */
  readonly port?: number;
  /**
   * The secret every WebSocket connection and data request must present: at least 16
   * characters from `A-Z a-z 0-9 - _ . ~`.
   * @default 32 random bytes, base64url-encoded
   */
  readonly token?: string;
  /**
   * Origins allowed besides the agent's own (`http://127.0.0.1:<port>`, `http://localhost:<port>`,
   * `http://[::1]:<port>`), such as a UI dev server `http://localhost:5173`. Their host names are
   * also accepted in the Host header.
   * @default []
   */
  readonly allowedOrigins?: readonly string[];
  /** Lets connected UIs replay recorded emits into the app's live signals. @default false */
  readonly allowReplay?: boolean;
  /**
   * WebSocket clients connected at once, and HTTP exports being sent at once. Each client can
   * keep `slowClientBytes` plus one backfill or export in the app's memory. Connections above the
   * limit get HTTP 503.
   * @default 16
   */
  readonly maxClients?: number;
  /**
   * Events the ring buffer keeps. The default is above what `maxBytes` can hold at its default,
   * so the byte bound is the one that applies.
   * @default 400000
   */
  readonly maxEvents?: number;
  /**
   * Estimated heap bytes the ring buffer holds: the JSON of the buffered events, counted whole
   * per batch string until its last event leaves, plus about 104 bytes per event.
   * @default 33554432 (32 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Captured events waiting for the next batch. When full, new events are dropped, counted and
   * reported to the UI as a gap.
   * @default 10000
   */
  readonly maxPendingEvents?: number;
  /**
   * Estimated bytes of the captured events waiting for the next batch: the preview bytes of their
   * payloads, errors and data plus a fixed estimate per event. When full, new events are dropped,
   * counted and reported to the UI as a gap.
   * @default 16777216 (16 MiB)
   */
  readonly maxPendingBytes?: number;
  /** Milliseconds between event batches sent to the UI. @default 25 */
  readonly batchIntervalMs?: number;
  /** Milliseconds between `stats` messages. @default 1000 */
  readonly statsIntervalMs?: number;
  /** Bytes an inbound WebSocket message may have. @default 1048576 (1 MiB) */
  readonly maxMessageBytes?: number;
  /**
   * Bytes waiting in a client's socket above which the agent stops sending it events. Skipped
   * events are counted, and the client gets a `gap` once its socket drains.
   * @default 8388608 (8 MiB)
   */
  readonly slowClientBytes?: number;
  /** Items one replay command may hold. @default 1000 */
  readonly maxReplayItems?: number;
  /** Cap in milliseconds on each recorded delay that a `keepTiming` replay waits. @default 5000 */
  readonly maxReplayDelayMs?: number;
  /** Nesting depth at which captured values are cut. @default 16 */
  readonly maxDepth?: number;
  /** Characters of a string kept in a preview. @default 1024 */
  readonly maxStringLength?: number;
  /** Items of an array, set, map or object kept in a preview. @default 100 */
  readonly maxItems?: number;
  /** Estimated JSON bytes of one value's preview. @default 4096 */
  readonly previewBytes?: number;
  /**
   * Estimated JSON bytes of the full capture kept behind a handle when the preview was cut.
   * @default 1048576 (1 MiB)
   */
  readonly fullCaptureBytes?: number;
  /** Bytes of full captures kept in all; the oldest go first. @default 33554432 (32 MiB) */
  readonly maxCaptureStoreBytes?: number;
  /** Bytes of binary data shown as hex in a preview. @default 64 */
  readonly maxBinaryPreviewBytes?: number;
  /**
   * Key patterns whose values are replaced by `{ $: 'redacted' }`; see `SerializeOptions.redact`.
   * @default DEFAULT_REDACT_PATTERNS (password, passwd, passphrase, secret, token, authorization,
   *   cookie, apikey, session, privatekey, credential, signature)
   */
  readonly redact?: readonly (string | RegExp)[];
  /** The directory of the built inspector UI. @default `ui` beside the agent's own module */
  readonly uiDir?: string;
  /** The destination of log lines. @default `debuglog('sigscope')` plus `process.emitWarning` for warnings */
  readonly logger?: InspectorLogger;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  readonly appName: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly allowedOrigins: readonly string[];
  readonly allowReplay: boolean;
  readonly maxClients: number;
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly maxPendingEvents: number;
  readonly maxPendingBytes: number;
  readonly batchIntervalMs: number;
  readonly statsIntervalMs: number;
  readonly maxMessageBytes: number;
  readonly slowClientBytes: number;
  readonly maxReplayItems: number;
  readonly maxReplayDelayMs: number;
  readonly maxDepth: number;
  readonly maxStringLength: number;
  readonly maxItems: number;
  readonly previewBytes: number;
  readonly fullCaptureBytes: number;
  readonly maxCaptureStoreBytes: number;
  readonly maxBinaryPreviewBytes: number;
  readonly redact: readonly (string | RegExp)[];
  readonly uiDir: string;
}

const MiB = 1024 * 1024;

/** Default values of the numeric options. */
export const DEFAULT_LIMITS = {
  port: 7777,
  maxClients: 16,
  maxEvents: 400_000,
  maxBytes: 32 * MiB,
  maxPendingEvents: 10_000,
  maxPendingBytes: 16 * MiB,
  batchIntervalMs: 25,
  statsIntervalMs: 1000,
  maxMessageBytes: MiB,
  slowClientBytes: 8 * MiB,
  maxReplayItems: 1000,
  maxReplayDelayMs: 5000,
  maxDepth: DEFAULT_SERIALIZE_LIMITS.maxDepth,
  maxStringLength: DEFAULT_SERIALIZE_LIMITS.maxStringLength,
  maxItems: DEFAULT_SERIALIZE_LIMITS.maxItems,
  previewBytes: 4096,
  fullCaptureBytes: MiB,
  maxCaptureStoreBytes: 32 * MiB,
  maxBinaryPreviewBytes: DEFAULT_SERIALIZE_LIMITS.maxBinaryPreviewBytes,
} as const;

const TOKEN_PATTERN = /^[A-Za-z0-9\-_.~]{16,}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

const POSITIVE_OPTIONS = [
  'maxClients',
  'maxEvents',
  'maxBytes',
  'maxPendingEvents',
  'maxPendingBytes',
  'batchIntervalMs',
  'statsIntervalMs',
  'maxMessageBytes',
  'slowClientBytes',
  'maxReplayItems',
  'maxDepth',
  'maxStringLength',
  'maxItems',
  'previewBytes',
  'fullCaptureBytes',
  'maxCaptureStoreBytes',
  'maxBinaryPreviewBytes',
] as const;

/** Returns whether `host` names the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

/**
 * Applies defaults and checks every option.
 * @throws {TypeError} naming the option, the value received and what it must be
 */
export function resolveOptions(options: InspectorOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `startInspector: "options" must be an object, received ${describe(options)}`,
    );
  }

  const limits: Record<(typeof POSITIVE_OPTIONS)[number], number> = { ...DEFAULT_LIMITS };
  for (const name of POSITIVE_OPTIONS) {
    const value = options[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(
        `startInspector: "${name}" must be a positive integer, received ${describe(value)}`,
      );
    }
    limits[name] = value;
  }

  if (limits.maxCaptureStoreBytes < limits.fullCaptureBytes) {
    throw new RangeError(
      `startInspector: "maxCaptureStoreBytes" (${limits.maxCaptureStoreBytes}) must be at least "fullCaptureBytes" (${limits.fullCaptureBytes}), or no full capture fits`,
    );
  }

  checkLogger(options.logger);

  return {
    ...limits,
    appName: resolveAppName(options.appName),
    host: resolveHost(options.host),
    port: resolvePort(options.port),
    token: resolveToken(options.token),
    allowedOrigins: resolveOrigins(options.allowedOrigins),
    allowReplay: resolveBoolean('allowReplay', options.allowReplay, false),
    maxReplayDelayMs: resolveDelay(options.maxReplayDelayMs),
    redact: resolveRedact(options.redact),
    uiDir: resolveUiDir(options.uiDir),
  };
}

function checkLogger(logger: InspectorLogger | undefined): void {
  if (logger === undefined) return;
  if (
    typeof logger !== 'object' ||
    logger === null ||
    typeof logger.debug !== 'function' ||
    typeof logger.warn !== 'function'
  ) {
    throw new TypeError(
      `startInspector: "logger" must be an object with debug(message) and warn(message, code) methods, received ${describe(logger)}`,
    );
  }
}

function resolveAppName(appName: string | undefined): string {
  if (appName === undefined) return readPackageName() ?? process.title;
  if (typeof appName !== 'string' || appName.trim() === '') {
    throw new TypeError(
      `startInspector: "appName" must be a non-empty string, received ${describe(appName)}`,
    );
  }
  return appName;
}

function readPackageName(): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
      name?: unknown;
    };
    return typeof manifest.name === 'string' && manifest.name !== '' ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}

function resolveHost(host: string | undefined): string {
  if (host === undefined) return '127.0.0.1';
  if (typeof host !== 'string' || host === '' || /[\s/[\]]/.test(host)) {
    throw new TypeError(
      `startInspector: "host" must be a host name or IP address without brackets, such as '127.0.0.1' or '::1', received ${describe(host)}`,
    );
  }
  return host.toLowerCase();
}

function resolvePort(port: number | undefined): number {
  if (port === undefined) return DEFAULT_LIMITS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(
      `startInspector: "port" must be an integer from 0 to 65535 (0 picks a free port), received ${describe(port)}`,
    );
  }
  return port;
}

function resolveToken(token: string | undefined): string {
  if (token === undefined) return randomBytes(32).toString('base64url');
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) {
    // The value itself is a secret, so the message describes it without quoting it.
    throw new TypeError(
      `startInspector: "token" must be at least 16 characters from A-Z a-z 0-9 - _ . ~ (received ${typeof token === 'string' ? `${token.length} characters` : describe(token)}); omit it to get a random one`,
    );
  }
  return token;
}

function resolveOrigins(origins: readonly string[] | undefined): readonly string[] {
  if (origins === undefined) return [];
  if (!Array.isArray(origins)) {
    throw new TypeError(
      `startInspector: "allowedOrigins" must be an array of origins such as 'http://localhost:5173', received ${describe(origins)}`,
    );
  }

  return origins.map((origin: unknown) => {
    let parsed: URL | undefined;
    try {
      parsed = typeof origin === 'string' ? new URL(origin) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new TypeError(
        `startInspector: every "allowedOrigins" entry must be an http(s) origin such as 'http://localhost:5173', received ${describe(origin)}`,
      );
    }
    return parsed.origin;
  });
}

function resolveBoolean(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`startInspector: "${name}" must be a boolean, received ${describe(value)}`);
  }
  return value;
}

function resolveDelay(value: number | undefined): number {
  if (value === undefined) return DEFAULT_LIMITS.maxReplayDelayMs;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      `startInspector: "maxReplayDelayMs" must be an integer of 0 or more, received ${describe(value)}`,
    );
  }
  return value;
}

function resolveRedact(
  redact: readonly (string | RegExp)[] | undefined,
): readonly (string | RegExp)[] {
  if (redact === undefined) return DEFAULT_REDACT_PATTERNS;
  const valid =
    Array.isArray(redact) &&
    redact.every(
      (pattern: unknown) =>
        (typeof pattern === 'string' && pattern !== '') || pattern instanceof RegExp,
    );
  if (!valid) {
    throw new TypeError(
      `startInspector: "redact" must be an array of non-empty strings and RegExps, received ${describe(redact)}; pass [] to turn redaction off`,
    );
  }
  return redact;
}

function resolveUiDir(uiDir: string | undefined): string {
  if (uiDir === undefined) return fileURLToPath(new URL('./ui/', import.meta.url));
  if (typeof uiDir !== 'string' || uiDir === '') {
    throw new TypeError(
      `startInspector: "uiDir" must be a directory path, received ${describe(uiDir)}`,
    );
  }
  return uiDir;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Formats `host` for a URL, with brackets around an IPv6 address. */
export function formatHostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
