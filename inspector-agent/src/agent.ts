import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { enableAsyncCausality } from '@sigscope/core/node';
import { type WebSocket, WebSocketServer } from 'ws';
import { ClientSession, SharedFrame } from './client.js';
import { handleMessage } from './commands.js';
import type { AgentContext } from './context.js';
import { handleHttpRequest, parseRequestUrl, rejectUpgrade } from './http.js';
import type { Inspector, InspectorStats } from './index.js';
import type { AgentLog } from './logger.js';
import { formatHostForUrl, isLoopbackHost, type ResolvedOptions } from './options.js';
import { type HelloMessage, PROTOCOL_VERSION, type StatsMessage, WS_PATH } from './protocol.js';
import { Recorder } from './recorder.js';
import { AccessPolicy } from './security.js';

const AGENT_VERSION = readAgentVersion();

// A bundler may move this module away from package.json, so a failed read is not fatal.
function readAgentVersion(): string {
  try {
    const manifest = createRequire(import.meta.url)('../package.json') as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * When this process started, in milliseconds since the Unix epoch. Every agent the process starts
 * reports it as `hello.app.startedAt`, so a UI can distinguish an agent restart (same pid and time,
 * so it keeps its history) from an app restart (new pid or time, so it starts over).
 */
const PROCESS_STARTED_AT = Math.round(performance.timeOrigin);

/** Milliseconds stop() waits for clients to return the close frame before terminating them. */
const CLOSE_GRACE_MS = 250;

/** The running agent: HTTP and WebSocket servers, the recorder and the connected clients. */
export class Agent implements AgentContext {
  readonly recorder: Recorder;
  readonly app: HelloMessage['app'];
  stopped = false;
  exportsInFlight = 0;
  private readonly server: Server;
  private readonly webSocketServer: WebSocketServer;
  private readonly sessions = new Set<ClientSession>();
  private policy: AccessPolicy | undefined;
  private port = 0;
  private nextSessionId = 1;
  private retiredSlowClientDrops = 0;
  private batchTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private lastStats = { at: Date.now(), events: 0, emits: 0 };
  private disableAsyncCausality: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  private earlyFlush: NodeJS.Immediate | undefined;

  constructor(
    readonly options: ResolvedOptions,
    readonly log: AgentLog,
    private readonly usesDefaultLogger: boolean,
  ) {
    this.recorder = new Recorder(options, log, this.requestFlush);
    this.app = {
      name: options.appName,
      pid: process.pid,
      nodeVersion: process.version,
      startedAt: PROCESS_STARTED_AT,
    };
    this.server = createServer((request, response) => {
      if (this.policy === undefined) return;
      handleHttpRequest(request, response, this.policy, this).catch((error: unknown) => {
        this.log.warn(
          'SIGSCOPE_HTTP_FAILED',
          `inspector agent: an HTTP request failed: ${String(error)}`,
        );
        response.destroy();
      });
    });
    this.webSocketServer = new WebSocketServer({
      noServer: true,
      // Messages up to twice the limit arrive and get a clear `message_too_large` error;
      // larger ones make ws close the connection with code 1009.
      maxPayload: options.maxMessageBytes * 2,
      perMessageDeflate: false,
    });
  }

  async listen(): Promise<void> {
    if (!isLoopbackHost(this.options.host)) this.warnNonLoopbackHost();

    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });

    const address = this.server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : this.options.port;
    this.policy = new AccessPolicy({ ...this.options, port: this.port });

    this.server.on('error', (error) => {
      this.log.warn('SIGSCOPE_SERVER_ERROR', `inspector agent: server error: ${error.message}`);
    });
    this.server.on('connection', (socket: Socket) => socket.unref());
    this.server.on('upgrade', (request, socket, head) => {
      // An exception here would reach the app as an uncaught exception.
      try {
        this.onUpgrade(request, socket, head);
      } catch (error) {
        this.log.warn(
          'SIGSCOPE_UPGRADE_FAILED',
          `inspector agent: a WebSocket upgrade failed: ${String(error)}`,
        );
        socket.destroy();
      }
    });
    this.server.unref();

    this.disableAsyncCausality = enableAsyncCausality();
    this.recorder.start();
    this.batchTimer = setInterval(() => this.flushAndBroadcast(), this.options.batchIntervalMs);
    this.batchTimer.unref();
    this.statsTimer = setInterval(() => this.sendStats(), this.options.statsIntervalMs);
    this.statsTimer.unref();

    this.log.debug(
      `inspector agent: listening on http://${formatHostForUrl(this.options.host)}:${this.port} for ${this.options.appName} (replay ${this.options.allowReplay ? 'on' : 'off'})`,
    );
  }

  // Goes to process warnings even with a custom logger, because it widens who can connect.
  private warnNonLoopbackHost(): void {
    const code = 'SIGSCOPE_NON_LOOPBACK_HOST';
    const message = `inspector agent: listening on ${this.options.host}, which is not loopback, so other machines can reach the inspector (the token still guards data and commands)`;
    this.log.warn(code, message);
    if (!this.usesDefaultLogger) process.emitWarning(message, { type: 'SigscopeWarning', code });
  }

  flushAndBroadcast(): void {
    try {
      const batch = this.recorder.flush();
      const hasEvents = batch.entries.length > 0 || batch.dropped.length > 0;
      // Every subscribed client gets the same frame, so it is encoded at most once.
      const frame = new SharedFrame(batch.eventsJson);
      for (const session of this.sessions) {
        if (hasEvents) session.sendLive(batch, frame);
        else session.catchUp();
        session.resumeReadingIfDrained();
      }
    } catch (error) {
      this.log.warn(
        'SIGSCOPE_FLUSH_FAILED',
        `inspector agent: sending a batch failed: ${String(error)}`,
      );
    }
  }

  // Runs on the emit path when the pending queue is half full: flushes in the next turn of the
  // event loop instead of waiting for the batch timer, so a busy app overflows the queue later.
  private readonly requestFlush = (): void => {
    if (this.earlyFlush !== undefined || this.stopped) return;

    this.earlyFlush = setImmediate(() => {
      this.earlyFlush = undefined;
      this.flushAndBroadcast();
    });
    this.earlyFlush.unref();
  };

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => {
      this.log.debug(`inspector agent: upgrade socket error: ${error.message}`);
    });

    const policy = this.policy;
    const url = parseRequestUrl(request);
    if (policy === undefined || this.stopped) {
      socket.destroy();
      return;
    }
    if (url === undefined || url.pathname !== WS_PATH) {
      rejectUpgrade(
        socket,
        request,
        { status: 404, code: 'not_found', message: `the WebSocket endpoint is ${WS_PATH}` },
        this,
      );
      return;
    }

    const rejection =
      policy.checkHost(request) ??
      policy.checkOrigin(request) ??
      policy.checkToken(request, url, false);
    if (rejection !== undefined) {
      rejectUpgrade(socket, request, rejection, this);
      return;
    }
    // Checked after the token, so a client without it learns nothing about other clients.
    if (this.sessions.size >= this.options.maxClients) {
      rejectUpgrade(
        socket,
        request,
        {
          status: 503,
          code: 'too_many_clients',
          message: `${this.sessions.size} inspector clients are connected, the maxClients limit; close another inspector tab or start the inspector with a higher maxClients`,
        },
        this,
      );
      return;
    }

    this.webSocketServer.handleUpgrade(request, socket, head, (webSocket) => {
      this.onConnection(webSocket, request);
    });
  }

  private onConnection(webSocket: WebSocket, request: IncomingMessage): void {
    const session = new ClientSession(
      this.nextSessionId++,
      webSocket,
      this.options.slowClientBytes,
      this.log,
    );
    this.sessions.add(session);
    this.log.debug(
      `inspector agent: client ${session.id} connected from ${request.socket.remoteAddress ?? 'unknown'}`,
    );

    webSocket.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      handleMessage(buffer, isBinary, session, this).catch((error: unknown) => {
        this.log.warn(
          'SIGSCOPE_COMMAND_FAILED',
          `inspector agent: handling a message from client ${session.id} failed: ${String(error)}`,
        );
      });
    });
    webSocket.on('error', (error) => {
      this.log.warn(
        'SIGSCOPE_CLIENT_ERROR',
        `inspector agent: client ${session.id} error: ${error.message}`,
      );
    });
    webSocket.on('close', (code) => {
      this.sessions.delete(session);
      this.retiredSlowClientDrops += session.slowClientDrops;
      this.log.debug(`inspector agent: client ${session.id} disconnected (${code})`);
    });

    session.send(this.hello());
  }

  private hello(): HelloMessage {
    const buffer = this.recorder.buffer;
    return {
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      app: this.app,
      agentVersion: AGENT_VERSION,
      replayAllowed: this.options.allowReplay,
      recording: this.recorder.recording,
      firstSeq: buffer.firstSeq,
      lastSeq: this.recorder.lastSeq,
    };
  }

  private sendStats(): void {
    try {
      this.flushAndBroadcast();
      const now = Date.now();
      const { counters } = this.recorder;
      const seconds = Math.max((now - this.lastStats.at) / 1000, 0.001);
      const eventsPerSecond = (counters.events - this.lastStats.events) / seconds;
      const emitsPerSecond = (counters.emits - this.lastStats.emits) / seconds;
      this.lastStats = { at: now, events: counters.events, emits: counters.emits };

      const buffer = this.recorder.buffer;
      for (const session of this.sessions) {
        const message: StatsMessage = {
          type: 'stats',
          eventsPerSecond: Math.round(eventsPerSecond * 10) / 10,
          emitsPerSecond: Math.round(emitsPerSecond * 10) / 10,
          totalEvents: counters.events,
          dropped: {
            evicted: counters.evicted,
            overflow: counters.overflow,
            slowClient: session.slowClientDrops,
          },
          buffer: {
            count: buffer.count,
            bytes: buffer.bytes,
            maxCount: buffer.maxCount,
            maxBytes: buffer.maxBytes,
          },
          clients: this.sessions.size,
          recording: this.recorder.recording,
        };
        session.send(message);
      }
    } catch (error) {
      this.log.warn(
        'SIGSCOPE_STATS_FAILED',
        `inspector agent: sending stats failed: ${String(error)}`,
      );
    }
  }

  stats(): InspectorStats {
    const buffer = this.recorder.buffer;
    const { counters } = this.recorder;
    let slowClient = this.retiredSlowClientDrops;
    for (const session of this.sessions) slowClient += session.slowClientDrops;
    return {
      totalEvents: counters.events,
      totalEmits: counters.emits,
      dropped: { evicted: counters.evicted, overflow: counters.overflow, slowClient },
      buffer: {
        count: buffer.count,
        bytes: buffer.bytes,
        maxCount: buffer.maxCount,
        maxBytes: buffer.maxBytes,
        firstSeq: buffer.firstSeq,
        lastSeq: this.recorder.lastSeq,
      },
      captureStoreBytes: this.recorder.storeBytes,
      clients: this.sessions.size,
      recording: this.recorder.recording,
    };
  }

  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.batchTimer);
    clearInterval(this.statsTimer);
    clearImmediate(this.earlyFlush);
    this.recorder.stop();
    this.disableAsyncCausality?.();

    await Promise.all([...this.sessions].map((session) => closeGracefully(session.socket)));
    this.webSocketServer.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.log.debug(`inspector agent: stopped, port ${this.port} is free`);
  }

  toInspector(): Inspector {
    const agent = this;
    const { host, token } = this.options;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : formatHostForUrl(host);
    return {
      url: `http://${urlHost}:${this.port}/#token=${token}`,
      host,
      port: this.port,
      token,
      get recording() {
        return agent.recorder.recording;
      },
      stats: () => this.stats(),
      pause: () => {
        this.flushAndBroadcast();
        this.recorder.pause();
      },
      resume: () => this.recorder.resume(),
      clear: () => {
        this.flushAndBroadcast();
        this.recorder.clear();
      },
      flush: () => this.flushAndBroadcast(),
      exportNdjson: () => {
        this.flushAndBroadcast();
        return this.recorder.exportNdjson(this.app).ndjson;
      },
      stop: () => this.stop(),
    };
  }
}

function closeGracefully(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, CLOSE_GRACE_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1001, 'inspector stopped');
  });
}
