/**
 * Playwright fixtures for the Sigscope end-to-end suite. Every test gets its own demo shop in
 * its own Node process on free loopback ports, and a page with the inspector open and
 * connected. Helpers call the shop's HTTP API and save a screenshot of each view.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import type { DemoOptions } from '@sigscope/demo';

const E2E_DIR = dirname(fileURLToPath(import.meta.url));

/** Folder of the view screenshots that the suite keeps as artifacts. */
export const SCREENSHOT_DIR = join(E2E_DIR, 'artifacts', 'screenshots');

/** The inspector UI's production build, which `pnpm build` writes before the suite runs. */
export const UI_DIST_DIR = join(E2E_DIR, '..', 'inspector-ui', 'dist');

/** The script that starts one demo process. Its header describes the output. */
const START_DEMO_SCRIPT = join(E2E_DIR, 'scripts', 'start-demo.mjs');

/** Milliseconds a demo process may take to print its URLs, or to exit after SIGTERM. */
const DEMO_PROCESS_TIMEOUT_MS = 15_000;

/**
 * Milliseconds the payment breaker stays open before a trial call. The demo's default is 10 s,
 * which would dominate the suite's run time.
 */
export const BREAKER_RECOVERY_MS = 500;

/** Tab names of the inspector, in the order the tab list shows them. */
export type ViewName = 'Graph' | 'Timeline' | 'Sync chains' | 'Breakers' | 'Sagas' | 'Replay';

/** One response of the demo's API: the HTTP status and the parsed JSON body. */
export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
}

/** The fields of an order that the tests read back. */
export interface Order {
  readonly id: string;
  readonly status: 'rejected' | 'pending' | 'confirmed' | 'cancelled';
  readonly rejection?: {
    readonly code: string;
    readonly listener: string;
    readonly message: string;
  };
  readonly cancellation?: { readonly failedStep: string; readonly reason: string };
}

/**
 * Calls the demo shop's HTTP API with fetch. `get` and `post` resolve on any HTTP status, while
 * `registerUser` and `placeOrder` throw when the response lacks the user or order.
 */
export class DemoApi {
  readonly #apiUrl: string;

  constructor(apiUrl: string) {
    this.#apiUrl = apiUrl;
  }

  /** Sends a GET request to `path`, such as `/api/state`. */
  async get<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> {
    return this.#request<T>('GET', path, undefined);
  }

  /** Sends a POST request to `path` with `body` as JSON, or with no body. */
  async post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.#request<T>('POST', path, body);
  }

  /** Registers a user and returns the user id, such as `u-1`. */
  async registerUser(email: string, name: string): Promise<string> {
    const response = await this.post<{ user: { id: string } }>('/api/users', { email, name });
    if (response.status !== 201) {
      throw new Error(
        `DemoApi.registerUser: POST /api/users for "${email}" returned ${response.status}, expected 201: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body.user.id;
  }

  /** Places an order and returns it, whatever its status. */
  async placeOrder(order: {
    readonly customerId: string;
    readonly items: readonly OrderItem[];
    readonly shippingAddress?: string;
  }): Promise<Order> {
    const response = await this.post<{ order?: Order }>('/api/orders', {
      shippingAddress: '1 Elm Street',
      ...order,
    });
    if (response.body.order === undefined) {
      throw new Error(
        `DemoApi.placeOrder: POST /api/orders returned ${response.status} with no order: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body.order;
  }

  /** Returns the body of `GET /api/state`. */
  async state(): Promise<ShopState> {
    return (await this.get<ShopState>('/api/state')).body;
  }

  async #request<T>(method: 'GET' | 'POST', path: string, body: unknown): Promise<ApiResponse<T>> {
    const init: RequestInit =
      body === undefined
        ? { method }
        : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const response = await fetch(new URL(path, this.#apiUrl), init);
    return { status: response.status, body: (await response.json()) as T };
  }
}

/** The parts of `GET /api/state` that the tests read. */
export interface ShopState {
  readonly breaker: { readonly state: string };
  readonly replays: {
    readonly total: number;
    readonly bySignal: Readonly<Record<string, number>>;
  };
}

/** A demo shop started for one test in its own Node process. */
export interface DemoHandle {
  readonly apiUrl: string;
  /** The inspector URL with its token in the fragment, as the demo prints it. */
  readonly inspectorUrl: string;
  readonly token: string;
  /** Process id of the demo, which the inspector header shows. */
  readonly pid: number;
  readonly api: DemoApi;
}

/** A static file server for the inspector UI with no agent behind it. */
export interface StaticUiServer {
  /** The page's URL, such as `http://127.0.0.1:41234/`. */
  readonly url: string;
}

interface Fixtures {
  /**
   * Options passed to `startDemo` as JSON, so function-valued options are dropped. Override them
   * with `test.use({ demoOptions })`.
   */
  demoOptions: DemoOptions;
  demo: DemoHandle;
  /** A page with the inspector open and its status `connected`. */
  inspector: Page;
  /** The inspector UI's build served on a free loopback port, with no agent. */
  staticUi: StaticUiServer;
}

export const test = base.extend<Fixtures>({
  demoOptions: [
    {
      port: 0,
      inspector: { port: 0, allowReplay: true },
      traffic: false,
      shop: { payment: { recoveryTimeoutMs: BREAKER_RECOVERY_MS } },
    },
    { option: true },
  ],

  demo: async ({ demoOptions }, use, testInfo) => {
    const child = await startDemoProcess(demoOptions);
    try {
      await use({ ...child.info, api: new DemoApi(child.info.apiUrl) });
    } finally {
      await child.stop();
      if (child.stderr() !== '') {
        await testInfo.attach('demo stderr', { body: child.stderr(), contentType: 'text/plain' });
      }
    }
  },

  inspector: async ({ page, demo }, use) => {
    // An exception the UI does not catch fails the test, even when the view still renders.
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));

    await page.goto(demo.inspectorUrl);
    await expect(connectionStatus(page)).toContainText('connected');
    await use(page);

    expect(pageErrors, 'uncaught exceptions in the inspector page').toEqual([]);
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires the destructuring pattern.
  staticUi: async ({}, use) => {
    const server = await serveStatic(UI_DIST_DIR);
    try {
      await use({ url: server.url });
    } finally {
      await server.close();
    }
  },
});

export { expect };

/** Returns the header's connection status, whose text starts with the status badge. */
export function connectionStatus(page: Page) {
  return page.getByRole('status', { name: 'Connection' });
}

/** Opens the view `name` through its tab and returns the view's region. */
export async function openView(page: Page, name: ViewName) {
  await page.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name }).click();
  const view = page.getByRole('tabpanel', { name }).getByRole('region', { name, exact: true });
  await expect(view).toBeVisible();
  return view;
}

/**
 * Saves a full-page screenshot of the current view as `artifacts/screenshots/<file>.png` and
 * attaches it to the test's report.
 */
export async function saveViewScreenshot(page: Page, testInfo: TestInfo, file: string) {
  const png = await page.screenshot({ fullPage: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await writeFile(join(SCREENSHOT_DIR, `${file}.png`), png);
  await testInfo.attach(file, { body: png, contentType: 'image/png' });
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * Serves the files under `root` on 127.0.0.1 and a free port. Answers 404 for a missing file and
 * for a path that leaves `root`.
 */
export async function serveStatic(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const rootDir = resolve(root);
  const server = createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolve(
      rootDir,
      `.${decodeURIComponent(pathname === '/' ? '/index.html' : pathname)}`,
    );
    if (!file.startsWith(rootDir + sep)) {
      response.writeHead(404).end();
      return;
    }

    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
    }
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

interface DemoProcessInfo {
  readonly apiUrl: string;
  readonly inspectorUrl: string;
  readonly token: string;
  readonly pid: number;
}

/**
 * Starts `scripts/start-demo.mjs` with `options` and resolves once it printed its URLs. Rejects
 * when the process exits first or stays silent for {@link DEMO_PROCESS_TIMEOUT_MS}, with its
 * stderr in the message.
 */
async function startDemoProcess(options: DemoOptions): Promise<{
  readonly info: DemoProcessInfo;
  stderr(): string;
  stop(): Promise<void>;
}> {
  const child = spawn(process.execPath, [START_DEMO_SCRIPT, JSON.stringify(options)], {
    cwd: E2E_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });

  const info = await new Promise<DemoProcessInfo>((resolveInfo, rejectInfo) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      rejectInfo(
        new Error(
          `demo fixture: ${reason}. Run \`npx --yes pnpm@12 build\` first if demo/dist is missing. stderr:\n${stderr}`,
        ),
      );
    };
    const timer = setTimeout(
      () => fail(`the demo printed no URLs within ${DEMO_PROCESS_TIMEOUT_MS} ms`),
      DEMO_PROCESS_TIMEOUT_MS,
    );
    child.once('error', (error) => fail(`starting ${START_DEMO_SCRIPT} failed: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`the demo exited before printing its URLs (code ${code}, signal ${signal})`),
    );
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        resolveInfo(JSON.parse(line) as DemoProcessInfo);
      } catch {
        fail(`the demo's first output line is not JSON: ${line}`);
      }
    });
  });

  return { info, stderr: () => stderr, stop: () => stopProcess(child) };
}

/** Sends SIGTERM and resolves when the process exits; sends SIGKILL if it does not exit in time. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), DEMO_PROCESS_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
