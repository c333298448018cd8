import { request } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { AccessPolicy, parseHostName } from '../src/security.js';
import { connect, rejectedUpgrade, startTestInspector, wsUrl } from './helpers.js';

/** Sends a raw HTTP request, so tests can set any Host and Origin header. */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('WebSocket upgrade checks', () => {
  it('rejects a missing token', async () => {
    const { inspector, log } = await startTestInspector();

    const answer = await rejectedUpgrade(wsUrl(inspector, null));

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
    expect(answer.body.error.message).toContain('token is missing');
    expect(log.lines.some((line) => line.code === 'SIGSCOPE_UNAUTHORIZED')).toBe(true);
  });

  it('rejects a wrong token', async () => {
    const { inspector } = await startTestInspector();

    const answer = await rejectedUpgrade(wsUrl(inspector, 'wrong-token-of-some-length'));

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
    expect(answer.body.error.message).toContain('token is wrong');
  });

  it('rejects a foreign Origin', async () => {
    const { inspector, log } = await startTestInspector();

    const answer = await rejectedUpgrade(wsUrl(inspector), { Origin: 'https://evil.example' });

    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden_origin');
    expect(log.lines.some((line) => line.code === 'SIGSCOPE_FORBIDDEN_ORIGIN')).toBe(true);
  });

  it('rejects a foreign Host', async () => {
    const { inspector } = await startTestInspector();

    const answer = await rejectedUpgrade(wsUrl(inspector), {
      Host: `rebind.evil.example:${inspector.port}`,
    });

    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden_host');
  });

  it('rejects another path', async () => {
    const { inspector } = await startTestInspector();

    const answer = await rejectedUpgrade(
      `ws://127.0.0.1:${inspector.port}/other?token=${inspector.token}`,
    );

    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });

  it('accepts the own origin', async () => {
    const { inspector } = await startTestInspector();

    const client = await connect(inspector, {
      headers: { Origin: `http://localhost:${inspector.port}` },
    });

    expect(client.received[0]?.type).toBe('hello');
  });

  it('accepts a configured origin', async () => {
    const { inspector } = await startTestInspector({ allowedOrigins: ['http://localhost:5173'] });

    const client = await connect(inspector, { headers: { Origin: 'http://localhost:5173' } });

    expect(client.received[0]?.type).toBe('hello');
  });

  it('rejects a client above maxClients', async () => {
    const { inspector, log } = await startTestInspector({ maxClients: 2 });
    await connect(inspector);
    await connect(inspector);

    const { status, body } = await rejectedUpgrade(wsUrl(inspector));

    expect(status).toBe(503);
    expect(body.error.code).toBe('too_many_clients');
    expect(body.error.message).toMatch(/maxClients/);
    expect(log.lines.some((line) => line.code === 'SIGSCOPE_TOO_MANY_CLIENTS')).toBe(true);
  });

  it('accepts a client after another left', async () => {
    const { inspector } = await startTestInspector({ maxClients: 1 });
    const first = await connect(inspector);
    await first.close();
    // The client's close event can come before the agent's, which frees the slot.
    await vi.waitFor(() => expect(inspector.stats().clients).toBe(0));

    const second = await connect(inspector);

    expect(second.received[0]).toMatchObject({ type: 'hello' });
  });

  it('rejects a wrong token before maxClients', async () => {
    const { inspector } = await startTestInspector({ maxClients: 1 });
    await connect(inspector);

    const { status } = await rejectedUpgrade(wsUrl(inspector, 'wrong-token-wrong-token'));

    expect(status).toBe(401);
  });

  it('accepts no Origin with the token', async () => {
    const { inspector } = await startTestInspector();

    const client = await connect(inspector);

    expect(client.received[0]?.type).toBe('hello');
  });
});

describe('HTTP data request checks', () => {
  it('rejects the export without token', async () => {
    const { inspector } = await startTestInspector();

    const answer = await rawGet(inspector.port, '/api/export.ndjson');

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('rejects the export with a wrong bearer token', async () => {
    const { inspector } = await startTestInspector();

    const answer = await rawGet(inspector.port, '/api/export.ndjson', {
      Authorization: 'Bearer wrong-token-of-some-length',
    });

    expect(answer.status).toBe(401);
  });

  it('rejects the export from a foreign Origin', async () => {
    const { inspector } = await startTestInspector();

    const answer = await rawGet(inspector.port, `/api/export.ndjson?token=${inspector.token}`, {
      Origin: 'https://evil.example',
    });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  it('rejects a foreign Host even for static files', async () => {
    const { inspector } = await startTestInspector();

    const answer = await rawGet(inspector.port, '/', { Host: 'rebind.evil.example' });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'forbidden_host' } });
  });

  it('never logs the token', async () => {
    const { inspector, log } = await startTestInspector();
    await rawGet(inspector.port, `/api/nothing?token=${inspector.token}`);
    await rejectedUpgrade(wsUrl(inspector), { Origin: 'https://evil.example' });

    const text = log.lines.map((line) => line.message).join('\n');

    expect(log.lines.length).toBeGreaterThan(1);
    expect(text).not.toContain(inspector.token);
  });
});

describe('AccessPolicy', () => {
  const policy = new AccessPolicy({
    host: '127.0.0.1',
    port: 7777,
    token: 'a-token-with-enough-length',
    allowedOrigins: ['http://dev.local:5173'],
  });

  it('matches the token in constant time', () => {
    expect(policy.tokenMatches('a-token-with-enough-length')).toBe(true);
    expect(policy.tokenMatches('a-token')).toBe(false);
    expect(policy.tokenMatches('')).toBe(false);
  });

  it.each([
    ['localhost:7777', 'localhost'],
    ['LOCALHOST.:7777', 'localhost'],
    ['[::1]:7777', '[::1]'],
    ['127.0.0.1', '127.0.0.1'],
  ])('parses Host %s', (header, expected) => {
    expect(parseHostName(header)).toBe(expected);
  });

  it('accepts hosts of configured origins', () => {
    const refusal = policy.checkHost({ headers: { host: 'dev.local:7777' } } as never);

    expect(refusal).toBeUndefined();
  });
});
