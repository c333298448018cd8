import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSignal, createSyncSignal } from '@sigscope/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportHeader, HttpErrorBody } from '../src/protocol.js';
import { httpUrl, startTestInspector } from './helpers.js';

const SECRET_CONTENT = 'content-outside-the-ui-dir';

let uiDir: string;
let outside: string;

beforeEach(async () => {
  uiDir = await mkdtemp(join(tmpdir(), 'sigscope-ui-'));
  outside = await mkdtemp(join(tmpdir(), 'sigscope-outside-'));
  await writeFile(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');
  await mkdir(join(uiDir, 'assets'));
  await writeFile(join(uiDir, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(join(uiDir, 'assets', 'app.css'), 'body{}');
  await writeFile(join(outside, 'secret.txt'), SECRET_CONTENT);
  await symlink(join(outside, 'secret.txt'), join(uiDir, 'assets', 'link.txt'));
});

afterEach(async () => {
  await rm(uiDir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/** GET with the raw path, so `..` segments reach the server unnormalized. */
function rawGet(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          type: String(response.headers['content-type']),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('static UI serving', () => {
  it('serves index.html at the root', async () => {
    const { inspector } = await startTestInspector({ uiDir });

    const response = await fetch(httpUrl(inspector, '/'));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>ui</title>');
  });

  it.each([
    ['/assets/app.js', 'text/javascript; charset=utf-8'],
    ['/assets/app.css', 'text/css; charset=utf-8'],
  ])('serves %s with its content type', async (path, type) => {
    const { inspector } = await startTestInspector({ uiDir });

    const response = await fetch(httpUrl(inspector, path));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('answers a missing file with 404', async () => {
    const { inspector } = await startTestInspector({ uiDir });

    const response = await fetch(httpUrl(inspector, '/assets/missing.js'));

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it.each([
    '/../package.json',
    '/assets/../../secret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/link.txt',
    '/assets%00.js',
    '/assets',
  ])('rejects %s', async (path) => {
    const { inspector } = await startTestInspector({ uiDir });

    const response = await rawGet(inspector.port, path);

    expect(response.status).toBe(404);
    expect(response.body).not.toContain(SECRET_CONTENT);
  });

  it('rejects POST with 405', async () => {
    const { inspector } = await startTestInspector({ uiDir });

    const response = await rawGet(inspector.port, '/', 'POST');

    expect(response.status).toBe(405);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('explains a missing UI build', async () => {
    const { inspector } = await startTestInspector({ uiDir: join(uiDir, 'not-built') });

    const response = await fetch(httpUrl(inspector, '/'));

    expect(response.status).toBe(404);
    expect(await response.text()).toContain('inspector UI is not built');
  });

  it('answers a plain request to /ws with 426', async () => {
    const { inspector } = await startTestInspector({ uiDir });

    const response = await fetch(httpUrl(inspector, '/ws'));

    expect(response.status).toBe(426);
  });
});

describe('GET /api/export.ndjson', () => {
  it('exports with a bearer token', async () => {
    const { inspector } = await startTestInspector({ appName: 'http-export' });
    await createSignal<number>({ name: 'http' }).emit(1);

    const response = await fetch(httpUrl(inspector, '/api/export.ndjson'), {
      headers: { Authorization: `Bearer ${inspector.token}` },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await response.text()).trimEnd().split('\n');
    expect((JSON.parse(lines[0]!) as ExportHeader).app.name).toBe('http-export');
    expect(lines).toHaveLength(4);
  });

  it('exports with the token query parameter', async () => {
    const { inspector } = await startTestInspector();

    const response = await fetch(httpUrl(inspector, `/api/export.ndjson?token=${inspector.token}`));

    expect(response.status).toBe(200);
    expect((await response.text()).split('\n')[0]).toContain('"type":"sigscope-export"');
  });

  it('answers another API path with 404 after the token check', async () => {
    const { inspector } = await startTestInspector();

    const response = await fetch(httpUrl(inspector, `/api/other?token=${inspector.token}`));

    expect(response.status).toBe(404);
  });
});

describe('HTTP export limit', () => {
  it('rejects exports above maxClients in flight', async () => {
    let resolveExported: () => void = () => {};
    const exported = new Promise<void>((resolve) => {
      resolveExported = resolve;
    });
    const { inspector } = await startTestInspector({
      maxClients: 1,
      maxEvents: 20_000,
      logger: {
        debug: (message) => {
          if (message.includes('over HTTP')) resolveExported();
        },
        warn: () => {},
      },
    });
    const signal = createSyncSignal<Record<string, string>>();
    const payload = { a: 'a'.repeat(900), b: 'b'.repeat(900), c: 'c'.repeat(900) };
    for (let index = 0; index < 9000; index++) {
      signal.emit(payload);
      if (index % 1000 === 0) inspector.flush();
    }
    // A client that requests an export of about 25 MiB and never reads it.
    const stalled = connectTcp(inspector.port, '127.0.0.1');
    stalled.pause();
    stalled.write(
      `GET /api/export.ndjson?token=${inspector.token} HTTP/1.1\r\nHost: 127.0.0.1:${inspector.port}\r\n\r\n`,
    );
    await exported;

    const response = await fetch(httpUrl(inspector, `/api/export.ndjson?token=${inspector.token}`));

    expect(response.status).toBe(503);
    expect(((await response.json()) as HttpErrorBody).error.code).toBe('too_many_clients');
    stalled.destroy();
  }, 30_000);
});
