import { describe, expect, it, vi } from 'vitest';
import {
  createSignal,
  createSyncSignal,
  experimental_replayEmit,
  ReplayError,
} from '../src/index.js';
import { recordTrace } from './support/record-trace.js';

function signalIdOf(name: string): number {
  const trace = recordTrace();
  const info = trace.ofType('snapshot')[0]!.signals.find((signal) => signal.name === name);
  trace.stop();
  if (info === undefined) throw new Error(`no live signal named ${name}`);
  return info.signalId;
}

describe('experimental_replayEmit', () => {
  it('emits on a live async signal and marks replayOf', async () => {
    const signal = createSignal<{ id: number }>({ name: 'replay-async' });
    const listener = vi.fn();
    signal.addListener(listener);
    const signalId = signalIdOf('replay-async');
    const trace = recordTrace();

    const result = await experimental_replayEmit(
      signalId,
      { id: 3 },
      { replayOf: 41, mode: 'async' },
    );

    expect(listener).toHaveBeenCalledWith({ id: 3 }, {});
    const started = trace.ofType('emit.started')[0]!;
    expect(started).toMatchObject({ emitId: result.emitId, replayOf: 41, mode: 'async' });
    expect(result.error).toBeUndefined();
  });

  it('waits for the emit to finish', async () => {
    const signal = createSyncSignal<void>({ name: 'replay-waits' });
    const calls: string[] = [];
    signal.addListener(async () => {
      await Promise.resolve();
      calls.push('listener');
    });

    await experimental_replayEmit(signalIdOf('replay-waits'), undefined, {
      replayOf: 1,
      mode: 'sync',
    });

    expect(calls).toEqual(['listener']);
  });

  it('resolves with the tryEmit error instead of rejecting', async () => {
    const signal = createSyncSignal<void>({ name: 'replay-try' });
    const failure = new Error('declined');
    signal.addListener(() => {
      throw failure;
    });
    const trace = recordTrace();

    const result = await experimental_replayEmit(signalIdOf('replay-try'), undefined, {
      replayOf: 7,
      mode: 'try',
    });

    expect(result.error).toBe(failure);
    expect(trace.ofType('chain.finished')[0]).toMatchObject({
      emitId: result.emitId,
      outcome: 'failed',
    });
  });

  it('uses emit for mode sync on an async signal', async () => {
    const signal = createSignal<void>({ name: 'replay-sync-on-async' });
    const listener = vi.fn();
    signal.addListener(listener);

    const result = await experimental_replayEmit(signalIdOf('replay-sync-on-async'), undefined, {
      replayOf: 2,
      mode: 'sync',
    });

    expect(listener).toHaveBeenCalledTimes(1);
    expect(result.error).toBeUndefined();
  });

  it('sends a sync emit failure to onError', async () => {
    const onError = vi.fn();
    const signal = createSyncSignal<void>({ name: 'replay-sync-error', onError });
    signal.addListener(() => {
      throw new Error('reported');
    });

    const result = await experimental_replayEmit(signalIdOf('replay-sync-error'), undefined, {
      replayOf: 2,
      mode: 'sync',
    });

    expect(result.error).toBeUndefined();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('passes the given ctx to listeners', async () => {
    const signal = createSyncSignal<void>({ name: 'replay-ctx' });
    const listener = vi.fn();
    signal.addListener(listener);
    const ctx = { traceId: 'replayed' };

    await experimental_replayEmit(signalIdOf('replay-ctx'), undefined, {
      replayOf: 2,
      mode: 'sync',
      ctx,
    });

    expect(listener).toHaveBeenCalledWith(undefined, ctx);
  });

  it('works while nobody subscribes', async () => {
    const signal = createSyncSignal<void>({ name: 'replay-untraced' });
    const listener = vi.fn();
    signal.addListener(listener);
    const signalId = signalIdOf('replay-untraced');

    const result = await experimental_replayEmit(signalId, undefined, { replayOf: 1, mode: 'try' });

    expect(listener).toHaveBeenCalledTimes(1);
    expect(result.emitId).toEqual(expect.any(Number));
  });

  it('rejects with signal_gone for an unknown id', async () => {
    const error = await experimental_replayEmit(-1, undefined, {
      replayOf: 1,
      mode: 'async',
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReplayError);
    expect(error).toMatchObject({ code: 'signal_gone' });
  });

  it('rejects with invalid_mode for try on an async signal', async () => {
    createSignal<void>({ name: 'replay-invalid' });

    await expect(
      experimental_replayEmit(signalIdOf('replay-invalid'), undefined, {
        replayOf: 1,
        mode: 'try',
      }),
    ).rejects.toMatchObject({ code: 'invalid_mode' });
  });

  it('rejects with invalid_mode for an unknown mode', async () => {
    createSyncSignal<void>({ name: 'replay-unknown-mode' });

    await expect(
      experimental_replayEmit(signalIdOf('replay-unknown-mode'), undefined, {
        replayOf: 1,
        mode: 'later' as never,
      }),
    ).rejects.toMatchObject({ code: 'invalid_mode' });
  });

  it('rejects a missing replayOf with a TypeError', async () => {
    createSyncSignal<void>({ name: 'replay-no-origin' });

    await expect(
      experimental_replayEmit(signalIdOf('replay-no-origin'), undefined, {
        mode: 'sync',
      } as never),
    ).rejects.toThrow(TypeError);
  });
});
