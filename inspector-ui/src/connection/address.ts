import { WS_PATH } from '@sigscope/inspector-agent/protocol';

/** The agent's WebSocket URL and HTTP origin, read from the page address. */
export interface AgentAddress {
  /** The WebSocket URL, token included. */
  readonly url: string;
  /** The agent's HTTP origin, to tell a rejected token from an agent that is down. */
  readonly httpOrigin: string;
}

export type AddressResult =
  | { readonly ok: true; readonly address: AgentAddress }
  | { readonly ok: false; readonly reason: 'no-token' | 'bad-agent-url'; readonly message: string };

/**
 * Reads the agent address from a page location. The fragment carries `token=<token>`, and for
 * `vite dev` against a running agent also `agent=ws://host:port/ws`. Without `agent`, the
 * WebSocket is on the page's own host, as it is when the agent serves the UI.
 *
 * @example
 * agentAddressFromLocation(new URL('http://127.0.0.1:9229/#token=abc'))
 * // { ok: true, address: { url: 'ws://127.0.0.1:9229/ws?token=abc', httpOrigin: 'http://127.0.0.1:9229' } }
 */
export function agentAddressFromLocation(
  location: Pick<URL, 'hash' | 'host' | 'protocol'>,
): AddressResult {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (!token) {
    return {
      ok: false,
      reason: 'no-token',
      message:
        'No token in the page address. Open the URL the agent printed; it ends in #token=<token>.',
    };
  }

  const agent = params.get('agent');
  let wsUrl: URL;
  if (agent) {
    try {
      wsUrl = new URL(agent);
    } catch {
      return {
        ok: false,
        reason: 'bad-agent-url',
        message: `The agent address "${agent}" in the page address is not a URL. Use agent=ws://127.0.0.1:<port>/ws.`,
      };
    }
    if (wsUrl.protocol !== 'ws:' && wsUrl.protocol !== 'wss:') {
      return {
        ok: false,
        reason: 'bad-agent-url',
        message: `The agent address "${agent}" must start with ws:// or wss://.`,
      };
    }
  } else {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    wsUrl = new URL(`${scheme}//${location.host}${WS_PATH}`);
  }
  wsUrl.searchParams.set('token', token);

  const httpScheme = wsUrl.protocol === 'wss:' ? 'https:' : 'http:';
  return {
    ok: true,
    address: { url: wsUrl.toString(), httpOrigin: `${httpScheme}//${wsUrl.host}` },
  };
}
