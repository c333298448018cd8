import type { AgentLog } from './logger.js';
import type { ResolvedOptions } from './options.js';
import type { ErrorCode, HelloMessage } from './protocol.js';
import type { Recorder } from './recorder.js';

/** A command failure with the protocol code the client receives. */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The parts of the running agent that command handlers use. */
export interface AgentContext {
  readonly options: ResolvedOptions;
  readonly recorder: Recorder;
  readonly log: AgentLog;
  readonly app: HelloMessage['app'];
  /** Flushes pending events to every subscribed client. */
  flushAndBroadcast(): void;
  /** True once `stop()` began; long commands such as replay check it between steps. */
  readonly stopped: boolean;
  /** HTTP export responses not yet closed; `maxClients` bounds them. */
  exportsInFlight: number;
}
