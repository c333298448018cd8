import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceChannel } from '@sigscope/core';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { startInspector } from '../src/index.js';
import { connectSubscribed, createCapturedLog, startTestInspector } from './helpers.js';

const fromRepo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Resolves once `port` can be bound again on 127.0.0.1. */
function bindOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

describe('startInspector()', () => {
  it('returns a URL with the token in the fragment', async () => {
    const { inspector } = await startTestInspector();

    expect(inspector.url).toBe(`http://127.0.0.1:${inspector.port}/#token=${inspector.token}`);
    expect(inspector.host).toBe('127.0.0.1');
    expect(inspector.port).toBeGreaterThan(0);
  });

  it('generates a 32-byte base64url token', async () => {
    const { inspector } = await startTestInspector();

    expect(inspector.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('uses a given token', async () => {
    const { inspector } = await startTestInspector({ token: 'a-fixed-token-for-tests' });

    expect(inspector.token).toBe('a-fixed-token-for-tests');
  });

  it.each([
    [{ port: 70_000 }, /"port" must be an integer from 0 to 65535/],
    [{ port: -1 }, /"port"/],
    [{ token: 'short' }, /"token" must be at least 16 characters/],
    [{ maxEvents: 0 }, /"maxEvents" must be a positive integer/],
    [{ allowedOrigins: ['not a url'] }, /"allowedOrigins"/],
    [{ allowReplay: 'yes' }, /"allowReplay" must be a boolean/],
    [{ redact: [''] }, /"redact"/],
    [{ host: 'http://localhost' }, /"host"/],
    [{ fullCaptureBytes: 100, maxCaptureStoreBytes: 10 }, /"maxCaptureStoreBytes"/],
    [{ logger: { debug() {} } }, /"logger" must be an object with debug/],
  ])('rejects invalid option %j', async (options, message) => {
    await expect(startInspector(options as never)).rejects.toThrow(message);
  });

  it('never puts the token in an option error', async () => {
    const secret = 'not valid because of spaces in it';

    await expect(startInspector({ token: secret })).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('warns for a non-loopback host', async () => {
    const log = createCapturedLog();
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    const inspector = await startInspector({ host: '0.0.0.0', port: 0, logger: log });
    await inspector.stop();

    expect(log.lines.some((line) => line.code === 'SIGSCOPE_NON_LOOPBACK_HOST')).toBe(true);
    expect(await warned).toMatchObject({
      name: 'SigscopeWarning',
      code: 'SIGSCOPE_NON_LOOPBACK_HOST',
    });
    expect(inspector.url.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('records with no client attached', async () => {
    const { inspector } = await startTestInspector();
    const { createSignal } = await import('@sigscope/core');

    await createSignal<number>().emit(1);
    inspector.flush();

    expect(inspector.stats().buffer.count).toBe(3);
  });
});

describe('Inspector.stop()', () => {
  it('frees the port', async () => {
    const inspector = await startInspector({ port: 0, logger: createCapturedLog() });
    await connectSubscribed(inspector);

    await inspector.stop();

    await expect(bindOnce(inspector.port)).resolves.toBeUndefined();
  });

  it('lets a new agent bind the same port', async () => {
    const first = await startInspector({ port: 0, logger: createCapturedLog() });
    await first.stop();

    const second = await startInspector({ port: first.port, logger: createCapturedLog() });

    expect(second.port).toBe(first.port);
    await second.stop();
  });

  it('is idempotent', async () => {
    const inspector = await startInspector({ port: 0, logger: createCapturedLog() });

    await Promise.all([inspector.stop(), inspector.stop()]);
    await inspector.stop();

    expect(inspector.recording).toBe(false);
    expect(traceChannel.hasSubscribers).toBe(false);
  });

  it('closes connected clients with 1001', async () => {
    const inspector = await startInspector({ port: 0, logger: createCapturedLog() });
    const client = await connectSubscribed(inspector);
    const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));

    await inspector.stop();

    expect(await closed).toBe(1001);
  });

  it('rejects EADDRINUSE for a taken port', async () => {
    const { inspector } = await startTestInspector();

    await expect(
      startInspector({ port: inspector.port, logger: createCapturedLog() }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('process lifetime', () => {
  it('does not keep the process alive', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'sigscope-child-'));
    try {
      const entry = join(workDir, 'entry.mjs');
      await writeFile(
        entry,
        [
          `import { createSignal } from '@sigscope/core';`,
          `import { startInspector } from '@sigscope/inspector-agent';`,
          'const inspector = await startInspector({ port: 0, logger: { debug() {}, warn() {} } });',
          `await createSignal({ name: 'child' }).emit(1);`,
          "console.log('started', inspector.port);",
        ].join('\n'),
      );
      // Bundle the TypeScript sources into one file that plain node can run.
      await build({
        configFile: false,
        logLevel: 'silent',
        root: workDir,
        resolve: {
          alias: [
            { find: /^@sigscope\/core$/, replacement: fromRepo('core/src/index.ts') },
            { find: /^@sigscope\/core\/node$/, replacement: fromRepo('core/src/node.ts') },
            {
              find: /^@sigscope\/inspector-agent$/,
              replacement: fromRepo('inspector-agent/src/index.ts'),
            },
          ],
        },
        ssr: { noExternal: true },
        build: {
          ssr: entry,
          outDir: join(workDir, 'dist'),
          rollupOptions: { output: { format: 'es', entryFileNames: 'child.mjs' } },
        },
      });

      const child = spawn(process.execPath, [join(workDir, 'dist', 'child.mjs')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      // A child that stays alive fails the test; kill it so it does not outlive the run.
      const guard = setTimeout(() => child.kill(), 20_000);
      const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      clearTimeout(guard);

      expect(output).toMatch(/started \d+/);
      expect(exitCode, output).toBe(0);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }, 30_000);
});
