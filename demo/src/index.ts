/**
 * The demo shop as a library: {@link startDemo} starts the HTTP API, optionally the inspector
 * agent and the traffic generator, and returns what a test or the e2e suite needs to drive it.
 */
import { createApiServer, type InspectorControl } from './http/server.js';
import { createShop, type Shop, type ShopOptions } from './shop.js';
import { startTraffic, type TrafficGenerator, type TrafficOptions } from './traffic.js';

export * from './errors.js';
export type * from './events.js';
export { createShop, type Shop, type ShopOptions } from './shop.js';
export { describeShopState, type ShopState } from './state.js';
export {
  createTrafficPlan,
  runTraffic,
  startTraffic,
  type TrafficAction,
  TrafficClient,
  type TrafficGenerator,
  type TrafficOptions,
  type TrafficResult,
} from './traffic.js';

/** Options for {@link startDemo}. */
export interface DemoOptions {
  /** Port of the HTTP API; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Interface both servers bind to. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * The inspector agent's settings, or `false` to run without one.
   * @default { port: 0, allowReplay: true } with a random token
   */
  readonly inspector?: DemoInspectorOptions | false;
  /** Drives the API with generated requests, or `false`. @default false */
  readonly traffic?: Omit<TrafficOptions, 'apiUrl'> | false;
  /** Package options: breaker thresholds, rate limits, fraud limit. */
  readonly shop?: ShopOptions;
  /** Request bodies larger than this many bytes get a 413. @default 65536 */
  readonly maxBodyBytes?: number;
}

export interface DemoInspectorOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default a random token the agent generates */
  readonly token?: string;
  /** Lets the inspector replay recorded emits into the shop. @default true */
  readonly allowReplay?: boolean;
}

export interface RunningDemo {
  /** Base URL of the HTTP API, such as `http://127.0.0.1:3000`. */
  readonly apiUrl: string;
  /** The inspector URL to open, token included; `undefined` without an inspector. */
  readonly inspectorUrl: string | undefined;
  /** The inspector's token; `undefined` without an inspector. */
  readonly token: string | undefined;
  readonly shop: Shop;
  /** The running traffic generator, when `traffic` was set. */
  readonly traffic: TrafficGenerator | undefined;
  /** Stops traffic, the inspector and the API, and frees both ports. Safe to call twice. */
  stop(): Promise<void>;
}

interface RunningInspector {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  stop(): Promise<void>;
}

/** Name the inspector shows for this app. */
export const DEMO_APP_NAME = 'sigscope-demo-shop';

/**
 * Starts the demo shop.
 *
 * @example
 * const demo = await startDemo({ port: 0, inspector: { port: 0 } });
 * await fetch(`${demo.apiUrl}/api/users`, { method: 'POST', body: JSON.stringify({ email: 'a@b.test', name: 'Ada' }) });
 * await demo.stop();
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  const shop = createShop(options.shop);
  let inspector: RunningInspector | undefined;
  let stopCausality: (() => void) | undefined;

  try {
    if (options.inspector !== false) {
      const inspectorOptions = options.inspector ?? {};
      const { enableAsyncCausality } = await import('@sigscope/core/node');
      stopCausality = enableAsyncCausality();
      inspector = await launchInspector(
        host,
        inspectorOptions.port ?? 0,
        inspectorOptions.token,
        inspectorOptions.allowReplay ?? true,
      );
    }
  } catch (error) {
    stopCausality?.();
    shop.dispose();
    throw error;
  }

  const control: InspectorControl | undefined =
    inspector === undefined
      ? undefined
      : {
          async restart() {
            const previous = inspector!;
            await previous.stop();
            inspector = await launchInspector(
              host,
              previous.port,
              previous.token,
              options.inspector !== false && (options.inspector?.allowReplay ?? true),
            );
            return inspector.url;
          },
        };

  const api = createApiServer(shop, { maxBodyBytes: options.maxBodyBytes, inspector: control });
  let apiUrl: string;
  try {
    apiUrl = await api.listen(options.port ?? 0, host);
  } catch (error) {
    await inspector?.stop();
    stopCausality?.();
    shop.dispose();
    throw error;
  }

  const traffic =
    options.traffic === false || options.traffic === undefined
      ? undefined
      : startTraffic({ ...options.traffic, apiUrl });

  let stopping: Promise<void> | undefined;
  return {
    apiUrl,
    get inspectorUrl() {
      return inspector?.url;
    },
    get token() {
      return inspector?.token;
    },
    shop,
    traffic,
    stop() {
      stopping ??= (async () => {
        await traffic?.stop();
        await api.close();
        await inspector?.stop();
        stopCausality?.();
        shop.dispose();
      })();
      return stopping;
    },
  };
}

async function launchInspector(
  host: string,
  port: number,
  token: string | undefined,
  allowReplay: boolean,
): Promise<RunningInspector> {
  const { startInspector } = await import('@sigscope/inspector-agent');
  const handle = await startInspector({ appName: DEMO_APP_NAME, host, port, token, allowReplay });
  return { url: handle.url, port: handle.port, token: handle.token, stop: () => handle.stop() };
}
