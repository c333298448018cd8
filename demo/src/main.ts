/**
 * The `pnpm demo` entry: starts the shop with the inspector attached and prints the URL to open.
 * Flags win over environment variables (DEMO_PORT, INSPECTOR_PORT, INSPECTOR_TOKEN, DEMO_SEED,
 * DEMO_TRAFFIC).
 */
import { parseArgs } from 'node:util';
import { startDemo } from './index.js';

const USAGE = `Usage: node dist/main.js [options]
  --port <n>             HTTP API port; 0 picks a free one (default 3000)
  --inspector-port <n>   inspector port; 0 picks a free one (default 7777)
  --token <text>         inspector token (default: random)
  --seed <n>             seed for the traffic generator (default: random)
  --traffic <rate|off>   generated requests per second, or off (default 2)
  --allow-replay         let the inspector replay emits into the shop (default on)
  --no-allow-replay      refuse replays
  --json                 print one JSON line {apiUrl, inspectorUrl, token, pid} instead of a banner
  --help                 show this help`;

interface CliOptions {
  readonly port: number;
  readonly inspectorPort: number;
  readonly token: string | undefined;
  readonly seed: number | undefined;
  readonly trafficRate: number | undefined;
  readonly allowReplay: boolean;
  readonly json: boolean;
}

function parseCli(argv: readonly string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'inspector-port': { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      traffic: { type: 'string' },
      'allow-replay': { type: 'boolean' },
      'no-allow-replay': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';

  const env = process.env;
  const traffic = values.traffic ?? env.DEMO_TRAFFIC ?? '2';
  const seed = values.seed ?? env.DEMO_SEED;
  return {
    port: parsePort('--port', values.port ?? env.DEMO_PORT ?? '3000'),
    inspectorPort: parsePort(
      '--inspector-port',
      values['inspector-port'] ?? env.INSPECTOR_PORT ?? '7777',
    ),
    token: values.token ?? env.INSPECTOR_TOKEN,
    seed: seed === undefined ? undefined : parseInteger('--seed', seed, 0, 2 ** 32 - 1),
    trafficRate: traffic === 'off' ? undefined : parseRate(traffic),
    allowReplay: !values['no-allow-replay'],
    json: values.json ?? false,
  };
}

function parsePort(flag: string, value: string): number {
  return parseInteger(flag, value, 0, 65_535);
}

function parseInteger(flag: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new Error(`${flag} must be an integer from ${min} to ${max}, received "${value}"`);
  }
  return number;
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new Error(
      `--traffic must be a number of requests per second above 0, or "off"; received "${value}"`,
    );
  }
  return rate;
}

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }

  const demo = await startDemo({
    port: options.port,
    inspector: {
      port: options.inspectorPort,
      token: options.token,
      allowReplay: options.allowReplay,
    },
    traffic:
      options.trafficRate === undefined
        ? false
        : { ratePerSecond: options.trafficRate, seed: options.seed },
  });

  if (options.json) {
    console.log(
      JSON.stringify({
        apiUrl: demo.apiUrl,
        inspectorUrl: demo.inspectorUrl,
        token: demo.token,
        pid: process.pid,
      }),
    );
  } else {
    const traffic =
      demo.traffic === undefined
        ? 'off'
        : `${options.trafficRate} requests per second (seed ${demo.traffic.seed})`;
    console.log(
      [
        '',
        '  Sigscope demo shop is running.',
        '',
        `  Open the inspector:  ${demo.inspectorUrl}`,
        `  Shop API:            ${demo.apiUrl}  (try: curl ${demo.apiUrl}/api/state)`,
        `  Traffic:             ${traffic}`,
        `  Replay:              ${options.allowReplay ? 'allowed' : 'refused'}`,
        '',
        '  Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  }

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    if (!options.json) console.log(`\n[demo] ${signal} received, stopping`);
    demo.stop().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        console.error('[demo] stop failed:', error);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('[demo] failed to start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
