import { describe, expect, it } from 'vitest';
import { countOf, formatClockDuration, formatDuration } from '../../src/store/listener-stats.js';

describe('countOf', () => {
  it('uses the singular for 1', () => {
    expect(countOf(1, 'listener')).toBe('1 listener');
    expect(countOf(1, 'success', 'successes')).toBe('1 success');
  });

  it('uses the plural otherwise', () => {
    expect(countOf(0, 'emit')).toBe('0 emits');
    expect(countOf(2, 'trial call')).toBe('2 trial calls');
    expect(countOf(3, 'success', 'successes')).toBe('3 successes');
  });

  it('groups thousands', () => {
    expect(countOf(5402, 'emit')).toBe(`${(5402).toLocaleString()} emits`);
  });
});

describe('formatClockDuration', () => {
  it('prints zero as under 1 ms', () => {
    expect(formatClockDuration(0)).toBe('<1 ms');
  });

  it('formats other values as formatDuration does', () => {
    expect(formatClockDuration(12)).toBe(formatDuration(12));
    expect(formatClockDuration(undefined)).toBe('–');
  });
});
