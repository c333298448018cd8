/** One handler per endpoint of the shop's API. */
import type { IncomingMessage } from 'node:http';
import type { Context } from '@sigscope/core';
import { EmailTakenError } from '../errors.js';
import type { Shop } from '../shop.js';
import { describeShopState } from '../state.js';
import { readJsonObject } from './body.js';
import { HttpError } from './errors.js';
import { parseFromVersion, parseOrder, parseRegistration } from './validate.js';

/** Lets the API restart the inspector agent on its port with its token. */
export interface InspectorControl {
  /** Stops the agent and starts it again; resolves with the new inspector URL. */
  restart(): Promise<string>;
}

export interface ApiRequest {
  readonly request: IncomingMessage;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** Passed to every emit the request causes; `traceId` feeds the analytics aggregator. */
  readonly ctx: Context;
}

export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  handle(request: ApiRequest): Promise<ApiResult>;
}

interface RouteOptions {
  readonly maxBodyBytes: number;
  readonly inspector: InspectorControl | undefined;
}

export function createRoutes(shop: Shop, options: RouteOptions): readonly ApiRoute[] {
  const readBody = (request: IncomingMessage) => readJsonObject(request, options.maxBodyBytes);
  const ok = (body: unknown, status = 200): ApiResult => ({ status, body });

  return [
    {
      method: 'GET',
      pattern: /^\/healthz$/,
      handle: async () => ok({ status: 'ok' }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/users$/,
      async handle({ request, ctx }) {
        const input = parseRegistration(await readBody(request));
        try {
          return ok({ user: await shop.auth.register(input, ctx) }, 201);
        } catch (error) {
          if (error instanceof EmailTakenError) throw new HttpError(409, error.code, error.message);
          throw error;
        }
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/orders$/,
      async handle({ request, ctx }) {
        const input = parseOrder(await readBody(request));
        const order = await shop.orders.place(input, ctx);
        // A rejected order is stored too, so the client gets its id along with the reason.
        return ok({ order }, order.status === 'rejected' ? 422 : 201);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/orders\/(?<orderId>[^/]+)$/,
      async handle({ params }) {
        const orderId = decodeURIComponent(params.orderId ?? '');
        const order = shop.orders.get(orderId);
        if (order === undefined) {
          throw new HttpError(
            404,
            'not_found',
            `order "${orderId}" does not exist; order ids look like "o-1"`,
          );
        }
        return ok({ order });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/gateway\/fail$/,
      async handle() {
        shop.payment.setGatewayFailing(true);
        return ok(describeGateway(shop));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/gateway\/recover$/,
      async handle() {
        shop.payment.setGatewayFailing(false);
        return ok(describeGateway(shop));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/shipping\/fail$/,
      async handle() {
        shop.shipping.setFailing(true);
        return ok({ shipping: { failing: true } });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/shipping\/recover$/,
      async handle() {
        shop.shipping.setFailing(false);
        return ok({ shipping: { failing: false } });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/state$/,
      handle: async () => ok(describeShopState(shop)),
    },
    {
      method: 'GET',
      pattern: /^\/api\/events$/,
      async handle({ url }) {
        const from = parseFromVersion(url.searchParams.get('from'));
        const store = shop.orders.eventStore;
        return ok({
          name: store.name,
          version: store.version,
          events: store.events(Math.max(from, 1)),
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/inspector\/restart$/,
      async handle() {
        if (options.inspector === undefined) {
          throw new HttpError(
            409,
            'inspector_disabled',
            'the demo runs without an inspector; start it with one to restart it',
          );
        }
        return ok({ inspectorUrl: await options.inspector.restart() });
      },
    },
  ];
}

function describeGateway(shop: Shop) {
  const { gateway, breaker } = shop.payment.snapshot();
  return { gateway, breaker };
}
