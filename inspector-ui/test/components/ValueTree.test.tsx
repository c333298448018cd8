import type { SerializedValue } from '@sigscope/inspector-agent/protocol';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ValueTree } from '../../src/components/ValueTree.js';

function renderTree(value: SerializedValue) {
  render(<ValueTree value={value} label="Payload" openDepth={5} />);
  return screen.getByRole('region', { name: 'Payload' }).textContent;
}

describe('ValueTree', () => {
  it('shows truncation, circular and redaction markers', () => {
    const text = renderTree({
      $: 'object',
      entries: {
        self: { $: 'circular', path: '$' },
        password: { $: 'redacted' },
        deep: { $: 'truncated', reason: 'depth', className: 'Order' },
        note: { $: 'string', preview: 'abc', length: 5000 },
        items: { $: 'array', items: [1, 2], length: 10 },
      },
      size: 7,
    });

    expect(text).toContain('circular reference to $');
    expect(text).toContain('redacted');
    expect(text).toContain('truncated Order (depth limit)');
    expect(text).toContain('truncated: 3 of 5000 characters');
    expect(text).toContain('… 8 more items not captured');
    expect(text).toContain('… 2 more keys not captured');
  });

  it('renders special values faithfully', () => {
    const text = renderTree({
      $: 'array',
      items: [
        { $: 'bigint', value: '12' },
        { $: 'number', value: 'NaN' },
        { $: 'undefined' },
        { $: 'date', iso: '2024-01-01T00:00:00.000Z' },
        { $: 'opaque', className: 'WeakMap' },
        { $: 'unreadable', reason: 'getter' },
      ],
      length: 6,
    });

    expect(text).toContain('12n');
    expect(text).toContain('NaN');
    expect(text).toContain('undefined');
    expect(text).toContain('2024-01-01T00:00:00.000Z');
    expect(text).toContain('WeakMap (not inspected)');
    expect(text).toContain('unreadable: getter');
  });
});
