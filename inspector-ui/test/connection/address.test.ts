import { describe, expect, it } from 'vitest';
import { agentAddressFromLocation } from '../../src/connection/address.js';

const at = (href: string) => new URL(href);

describe('agentAddressFromLocation', () => {
  it('uses the page host and the token', () => {
    const result = agentAddressFromLocation(at('http://127.0.0.1:9229/#token=abc'));

    expect(result).toEqual({
      ok: true,
      address: { url: 'ws://127.0.0.1:9229/ws?token=abc', httpOrigin: 'http://127.0.0.1:9229' },
    });
  });

  it('uses wss on an https page', () => {
    const result = agentAddressFromLocation(at('https://localhost:8443/ui/#token=abc'));

    expect(result.ok && result.address.url).toBe('wss://localhost:8443/ws?token=abc');
  });

  it('takes the agent address from the fragment', () => {
    const result = agentAddressFromLocation(
      at('http://localhost:5173/#token=abc&agent=ws://127.0.0.1:9000/ws'),
    );

    expect(result).toEqual({
      ok: true,
      address: { url: 'ws://127.0.0.1:9000/ws?token=abc', httpOrigin: 'http://127.0.0.1:9000' },
    });
  });

  it('reports a missing token', () => {
    const result = agentAddressFromLocation(at('http://127.0.0.1:9229/'));

    expect(result).toMatchObject({ ok: false, reason: 'no-token' });
  });

  it('rejects an agent address that is not ws', () => {
    const result = agentAddressFromLocation(at('http://x/#token=a&agent=http://127.0.0.1:1/ws'));

    expect(result).toMatchObject({ ok: false, reason: 'bad-agent-url' });
  });
});
