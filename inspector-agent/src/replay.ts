import { experimental_replayEmit } from '@sigscope/core';
import { type AgentContext, CommandError } from './context.js';
import type {
  CapturedValue,
  ReplayCommand,
  ReplayResult,
  ReplayResultItem,
  WireTraceEvent,
} from './protocol.js';
import { DeserializeError, deserialize } from './serialize.js';

type RecordedEmit = Extract<WireTraceEvent, { type: 'emit.started' }>;

interface PlannedEmit {
  readonly seq: number;
  readonly event: RecordedEmit;
  readonly payload: unknown;
}

/**
 * Replays recorded emits into their live signals, in order, through core's
 * `experimental_replayEmit`, so each new `emit.started` carries `replayOf`. Every item is checked
 * and its payload rebuilt before the first one runs, so a bad item replays nothing.
 */
export async function replay(command: ReplayCommand, context: AgentContext): Promise<ReplayResult> {
  context.flushAndBroadcast();
  const plan = command.items.map((item) => planEmit(item.seq, item, context));
  const results: ReplayResultItem[] = [];

  for (const [index, planned] of plan.entries()) {
    if (command.keepTiming === true && index > 0) {
      const recordedGap = planned.event.ts - plan[index - 1]!.event.ts;
      await delay(Math.min(Math.max(recordedGap, 0), context.options.maxReplayDelayMs));
    }
    if (context.stopped) {
      throw new CommandError(
        'internal',
        `replay: the inspector stopped after ${results.length} of ${plan.length} emits`,
      );
    }

    results.push(await replayOne(planned, results.length, plan.length, context));
  }

  context.log.debug(`inspector agent: replayed ${results.length} emits`);
  return { items: results };
}

function planEmit(
  seq: number,
  item: ReplayCommand['items'][number],
  context: AgentContext,
): PlannedEmit {
  const recorded = context.recorder.findEvent(seq);
  if (recorded === undefined) {
    throw new CommandError(
      'not_found',
      `replay: no event with seq ${seq} is buffered; it was evicted or cleared`,
    );
  }
  if (recorded.event.type !== 'emit.started') {
    throw new CommandError(
      'bad_message',
      `replay: seq ${seq} is a ${recorded.event.type} event; replay takes the seq of an emit.started`,
    );
  }

  const event = recorded.event;
  const payload = Object.hasOwn(item, 'payload')
    ? item.payload
    : rebuildPayload(seq, event.payload, context);
  return { seq, event, payload };
}

function rebuildPayload(
  seq: number,
  captured: CapturedValue | undefined,
  context: AgentContext,
): unknown {
  if (captured === undefined) return undefined;

  let serialized = captured.preview;
  if (captured.handle !== undefined) {
    const full = context.recorder.getCapture(captured.handle);
    if (full === undefined) {
      throw new CommandError(
        'invalid_payload',
        `replay: the full payload of seq ${seq} is no longer stored; send an edited payload instead`,
      );
    }
    serialized = full.value;
  }

  try {
    return deserialize(serialized);
  } catch (error) {
    if (error instanceof DeserializeError) {
      throw new CommandError(
        'invalid_payload',
        `replay: the payload of seq ${seq}: ${error.message}`,
      );
    }
    throw error;
  }
}

async function replayOne(
  planned: PlannedEmit,
  done: number,
  total: number,
  context: AgentContext,
): Promise<ReplayResultItem> {
  const { event, seq } = planned;
  try {
    const outcome = await experimental_replayEmit(event.signalId, planned.payload, {
      replayOf: event.emitId,
      mode: event.mode,
    });
    const error: CapturedValue | null =
      outcome.error === undefined ? null : context.recorder.capture(outcome.error);
    return { seq, emitId: outcome.emitId, error };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'signal_gone') {
      throw new CommandError(
        'signal_gone',
        `replay: signal "${event.signalName}" (id ${event.signalId}) of seq ${seq} is gone; ${done} of ${total} emits were replayed`,
      );
    }
    throw new CommandError(
      'internal',
      `replay: replaying seq ${seq} failed after ${done} of ${total} emits: ${String(error)}`,
    );
  }
}

function delay(milliseconds: number): Promise<void> {
  if (milliseconds <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    setTimeout(resolve, milliseconds).unref?.();
  });
}
