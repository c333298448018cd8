import type { ClientSession } from './client.js';
import { type AgentContext, CommandError } from './context.js';
import type {
  CommandMessage,
  ErrorCode,
  GetPayloadResult,
  RecordingResult,
  ReplayItem,
} from './protocol.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { replay } from './replay.js';

type CommandOf<T extends CommandMessage['type']> = Extract<CommandMessage, { type: T }>;

interface CommandHandler<T extends CommandMessage['type']> {
  /** Returns what is wrong with the message, or undefined when it is valid. */
  validate(message: Record<string, unknown>, context: AgentContext): string | undefined;
  /** Runs the command; returns the ack `result`. Throws {@link CommandError} to reject the command. */
  run(command: CommandOf<T>, session: ClientSession, context: AgentContext): unknown;
}

const MAX_ID_LENGTH = 128;
const MAX_HANDLE_LENGTH = 256;

/** One handler per command type. */
const HANDLERS: { readonly [T in CommandMessage['type']]: CommandHandler<T> } = {
  subscribe: {
    validate(message) {
      if (message.lastSeq !== undefined && !isSeq(message.lastSeq, 0)) {
        return '"lastSeq" must be an integer of 0 or more';
      }
      if (message.protocolVersion !== undefined && typeof message.protocolVersion !== 'number') {
        return '"protocolVersion" must be a number';
      }
      return undefined;
    },
    run(command, session, context) {
      if (command.protocolVersion !== undefined && command.protocolVersion !== PROTOCOL_VERSION) {
        throw new CommandError(
          'protocol_mismatch',
          `subscribe: the agent speaks protocol version ${PROTOCOL_VERSION}, the client ${command.protocolVersion}; use a matching inspector UI`,
        );
      }

      // Clients already subscribed get the pending events now, so the backfill can end here.
      context.flushAndBroadcast();
      const { recorder } = context;
      session.send({
        type: 'snapshot',
        seq: recorder.lastSeq,
        snapshot: recorder.takeSnapshot(),
      });
      return session.sendBackfill(recorder, command.lastSeq);
    },
  },

  replay: {
    validate(message, context) {
      const items = message.items;
      if (!Array.isArray(items) || items.length === 0) {
        return '"items" must be a non-empty array of { seq, payload? }';
      }
      if (items.length > context.options.maxReplayItems) {
        return `"items" holds ${items.length} items, more than maxReplayItems (${context.options.maxReplayItems})`;
      }
      for (const [index, item] of items.entries()) {
        if (typeof item !== 'object' || item === null || !isSeq((item as ReplayItem).seq, 1)) {
          return `"items[${index}].seq" must be the positive sequence number of a recorded emit.started`;
        }
      }
      if (message.keepTiming !== undefined && typeof message.keepTiming !== 'boolean') {
        return '"keepTiming" must be a boolean';
      }
      return undefined;
    },
    run(command, _session, context) {
      if (!context.options.allowReplay) {
        throw new CommandError(
          'replay_disabled',
          'replay: replay is off in this app; start the inspector with allowReplay: true to allow it',
        );
      }
      return replay(command, context);
    },
  },

  pause: {
    validate: () => undefined,
    run(_command, _session, context) {
      context.flushAndBroadcast();
      context.recorder.pause();
      context.log.debug('inspector agent: recording paused');
      return recordingResult(context);
    },
  },

  resume: {
    validate: () => undefined,
    run(_command, _session, context) {
      context.recorder.resume();
      context.log.debug('inspector agent: recording resumed');
      return recordingResult(context);
    },
  },

  clear: {
    validate: () => undefined,
    run(_command, _session, context) {
      context.flushAndBroadcast();
      context.recorder.clear();
      context.log.debug('inspector agent: recording cleared');
      return recordingResult(context);
    },
  },

  export: {
    validate: () => undefined,
    run(_command, _session, context) {
      context.flushAndBroadcast();
      return context.recorder.exportNdjson(context.app);
    },
  },

  getPayload: {
    validate(message) {
      const handle = message.handle;
      if (typeof handle !== 'string' || handle === '' || handle.length > MAX_HANDLE_LENGTH) {
        return '"handle" must be the non-empty handle string of a captured value';
      }
      return undefined;
    },
    run(command, _session, context): GetPayloadResult {
      context.flushAndBroadcast();
      const capture = context.recorder.getCapture(command.handle);
      if (capture === undefined) {
        throw new CommandError(
          'not_found',
          `getPayload: no full capture has handle ${JSON.stringify(command.handle)}; its event left the buffer or was cleared`,
        );
      }
      return {
        handle: command.handle,
        value: capture.value,
        bytes: capture.bytes,
        truncated: capture.truncated,
      };
    },
  },
};

function recordingResult(context: AgentContext): RecordingResult {
  return { recording: context.recorder.recording };
}

function isSeq(value: unknown, minimum: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= minimum;
}

/**
 * Handles one inbound WebSocket message: checks size, JSON and schema, runs the command's
 * handler and sends an `ack` or an `error`. Never throws.
 */
export async function handleMessage(
  data: Buffer,
  isBinary: boolean,
  session: ClientSession,
  context: AgentContext,
): Promise<void> {
  const reject = (code: ErrorCode, message: string, id?: string): void => {
    context.log.warn(
      `SIGSCOPE_${code.toUpperCase()}`,
      `inspector agent: rejected a message from client ${session.id}: ${message}`,
    );
    session.sendError(code, message, id);
  };

  if (isBinary) {
    reject('bad_message', 'binary frames are not accepted; send JSON text frames');
    return;
  }
  if (data.length > context.options.maxMessageBytes) {
    reject(
      'message_too_large',
      `the message has ${data.length} bytes, more than maxMessageBytes (${context.options.maxMessageBytes})`,
    );
    return;
  }

  let message: unknown;
  try {
    message = JSON.parse(data.toString('utf8'));
  } catch (error) {
    reject('bad_json', `the message is not valid JSON: ${(error as Error).message}`);
    return;
  }

  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    reject('bad_message', 'a command must be a JSON object with "type" and "id"');
    return;
  }
  const fields = message as Record<string, unknown>;
  const { id, type } = fields;
  const validId = typeof id === 'string' && id !== '' && id.length <= MAX_ID_LENGTH;
  // The type is checked first, so a client sending a command this agent lacks learns that,
  // rather than only that its id is malformed.
  if (typeof type !== 'string' || !Object.hasOwn(HANDLERS, type)) {
    reject(
      'unknown_command',
      `unknown command type ${JSON.stringify(type ?? null)}; expected one of ${Object.keys(HANDLERS).join(', ')}`,
      validId ? id : undefined,
    );
    return;
  }
  if (!validId) {
    reject('bad_message', `"id" must be a string of 1 to ${MAX_ID_LENGTH} characters`);
    return;
  }

  const handler = HANDLERS[type as CommandMessage['type']] as CommandHandler<
    CommandMessage['type']
  >;
  const problem = handler.validate(fields, context);
  if (problem !== undefined) {
    reject('bad_message', `${type}: ${problem}`, id);
    return;
  }

  // A subscribe or export response can contain the whole buffer, so a client that never reads
  // could otherwise make the agent queue one per command.
  // NOTE: commands have no rate limit. A client that reads every response can still send export
  // or subscribe in a loop, and each one costs the app's event loop time linear in the buffer.
  if (session.backlogged) {
    session.pauseReading();
    reject(
      'slow_client',
      `${type}: ${session.socket.bufferedAmount} bytes wait unread in this client's socket, more than slowClientBytes (${context.options.slowClientBytes}); read the pending messages, then send the command again`,
      id,
    );
    return;
  }

  try {
    // Only replay is asynchronous. Other responses are sent before this returns, so the backlog
    // check counts them when ws emits the next message of the same TCP chunk.
    const pending = handler.run(fields as unknown as CommandMessage, session, context);
    const result = pending instanceof Promise ? await pending : pending;
    session.send(
      result === undefined
        ? { type: 'ack', id, command: type as CommandMessage['type'] }
        : { type: 'ack', id, command: type as CommandMessage['type'], result },
    );
  } catch (error) {
    if (error instanceof CommandError) {
      reject(error.code, error.message, id);
      return;
    }
    context.log.warn(
      'SIGSCOPE_COMMAND_FAILED',
      `inspector agent: command ${type} from client ${session.id} failed: ${String(error)}`,
    );
    session.sendError('internal', `${type} failed inside the agent: ${String(error)}`, id);
  }
}
