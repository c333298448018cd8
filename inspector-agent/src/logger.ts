import { debuglog } from 'node:util';

/**
 * The destination of the agent's log lines. The agent never passes the token to a logger.
 *
 * @example
 * startInspector({ logger: { debug: () => {}, warn: (message, code) => myLog.warn({ code }, message) } });
 */
export interface InspectorLogger {
  /** Starts, stops, connections and other routine lines. */
  debug(message: string): void;
  /** Rejected requests, errors the agent caught and risky settings, with a stable `code` such as `SIGSCOPE_FORBIDDEN_ORIGIN`. */
  warn(message: string, code: string): void;
}

/**
 * Creates the default logger: debug lines through `util.debuglog('sigscope')` (shown with
 * `NODE_DEBUG=sigscope`), warnings through `process.emitWarning` with their code.
 */
export function createDefaultLogger(): InspectorLogger {
  const debug = debuglog('sigscope');
  return {
    debug: (message) => debug('%s', message),
    warn: (message, code) => process.emitWarning(message, { type: 'SigscopeWarning', code }),
  };
}

/**
 * Wraps a logger so that a warning repeated under the same code is written on its 1st, 10th,
 * 100th, ... occurrence with the count, instead of every time. A hostile page that retries a
 * rejected connection in a loop then cannot flood the log.
 */
export class AgentLog {
  private readonly counts = new Map<string, number>();

  constructor(private readonly logger: InspectorLogger) {}

  debug(message: string): void {
    try {
      this.logger.debug(message);
    } catch {
      // A throwing logger must not break the agent or the app.
    }
  }

  warn(code: string, message: string): void {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (!isPowerOfTen(count)) return;

    try {
      this.logger.warn(count === 1 ? message : `${message} (seen ${count} times)`, code);
    } catch {
      // A throwing logger must not break the agent or the app.
    }
  }

  /** Returns how many warnings were reported under `code`, logged or not. */
  count(code: string): number {
    return this.counts.get(code) ?? 0;
  }
}

function isPowerOfTen(count: number): boolean {
  let value = count;
  while (value >= 10 && value % 10 === 0) value /= 10;
  return value === 1;
}
