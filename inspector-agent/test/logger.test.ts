import { describe, expect, it } from 'vitest';
import { AgentLog } from '../src/logger.js';
import { createCapturedLog } from './helpers.js';

describe('AgentLog', () => {
  it('counts repeated warnings', () => {
    const captured = createCapturedLog();
    const log = new AgentLog(captured);

    for (let index = 0; index < 120; index++) log.warn('SIGSCOPE_TEST', 'rejected');

    expect(captured.lines.map((line) => line.message)).toEqual([
      'rejected',
      'rejected (seen 10 times)',
      'rejected (seen 100 times)',
    ]);
    expect(log.count('SIGSCOPE_TEST')).toBe(120);
  });

  it('counts each code apart', () => {
    const captured = createCapturedLog();
    const log = new AgentLog(captured);

    log.warn('SIGSCOPE_A', 'a');
    log.warn('SIGSCOPE_B', 'b');

    expect(captured.lines.map((line) => line.code)).toEqual(['SIGSCOPE_A', 'SIGSCOPE_B']);
  });

  it('survives a throwing logger', () => {
    const log = new AgentLog({
      debug: () => {
        throw new Error('debug failed');
      },
      warn: () => {
        throw new Error('warn failed');
      },
    });

    expect(() => log.debug('x')).not.toThrow();
    expect(() => log.warn('SIGSCOPE_X', 'x')).not.toThrow();
  });
});
