/**
 * Playwright fixtures for the Sigscope end-to-end suite. Every test gets its own demo shop,
 * started in the test's worker process on free loopback ports, and a page with the inspector
 * open and connected. Helpers call the shop's HTTP API and save a screenshot of each view.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoOptions, type RunningDemo, startDemo } from '@sigscope/demo';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

/** Folder of the view screenshots that the suite keeps as artifacts. */
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'artifacts', 'screenshots');

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
  readonly rejection?: { readonly code: string; readonly listener: string; readonly message: string };
  readonly cancellation?: { readonly failedStep: string; readonly reason: string };
}

/** Calls the demo shop's HTTP API with fetch. Every method resolves even on a 4xx status. */
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

/** A demo shop started for one test. */
export interface DemoHandle {
  readonly apiUrl: string;
  /** The inspector URL with its token in the fragment, as the demo prints it. */
  readonly inspectorUrl: string;
  readonly token: string;
  readonly api: DemoApi;
  /** The running demo itself, for what the HTTP API does not offer. */
  readonly running: RunningDemo;
}

interface Fixtures {
  /** Options passed to `startDemo`; override with `test.use({ demoOptions })`. */
  demoOptions: DemoOptions;
  demo: DemoHandle;
  /** A page with the inspector open and its status `connected`. */
  inspector: Page;
}

export const test = base.extend<Fixtures>({
  demoOptions: [
    {
      port: 0,
      inspector: { port: 0, allowReplay: true },
      traffic: false,
      shop: {
        payment: { recoveryTimeoutMs: BREAKER_RECOVERY_MS },
        // Expected failures, such as a failing gateway, would otherwise print to the test output.
        onListenerError: () => {},
      },
    },
    { option: true },
  ],

  demo: async ({ demoOptions }, use) => {
    const running = await startDemo(demoOptions);
    try {
      if (running.inspectorUrl === undefined || running.token === undefined) {
        throw new Error(
          'demo fixture: startDemo returned no inspector; keep demoOptions.inspector an object, not false',
        );
      }
      await use({
        apiUrl: running.apiUrl,
        inspectorUrl: running.inspectorUrl,
        token: running.token,
        api: new DemoApi(running.apiUrl),
        running,
      });
    } finally {
      await running.stop();
    }
  },

  inspector: async ({ page, demo }, use) => {
    await page.goto(demo.inspectorUrl);
    await expect(connectionStatus(page)).toContainText('connected');
    await use(page);
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
