import { describe, expect, it } from 'vitest';
import { runQuickStart } from '../../examples/quick-start.js';

describe('examples/quick-start', () => {
  it('prints the tour in order', async () => {
    const lines: string[] = [];

    await runQuickStart((line) => lines.push(line));

    expect(lines).toEqual([
      'email sent for order-1',
      'onError: listener 1 failed: Error: analytics is down',
      'validated order-2',
      'charged 25 for order-2',
      'trace: chain ok',
      // chain.finished is published as the chain ends, before the caller's catch runs.
      'trace: chain failed',
      'rejected: total must be positive, got 0',
      'trace: chain aborted',
      'cancelled: AbortError',
    ]);
  });
});
