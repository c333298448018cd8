import { afterEach } from 'vitest';
import { type DemoOptions, type RunningDemo, startDemo } from '../src/index.js';

const running: RunningDemo[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((demo) => demo.stop()));
});

/** Starts a demo without an inspector on a free port; it stops after the test. */
export async function startTestDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const demo = await startDemo({ port: 0, inspector: false, ...options });
  running.push(demo);
  return demo;
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response fields.
  readonly body: any;
}

/** Sends `body` as JSON (or a raw string as is) and parses the JSON response. */
export async function request(
  demo: RunningDemo,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<JsonResponse> {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body !== undefined) text = JSON.stringify(body);

  const response = await fetch(`${demo.apiUrl}${path}`, { method, headers, body: text });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Registers a user and returns its id. */
export async function registerUser(demo: RunningDemo, email = 'ada@example.test'): Promise<string> {
  const response = await request(demo, 'POST', '/api/users', { email, name: 'Ada' });
  if (response.status !== 201)
    throw new Error(`registration failed: ${JSON.stringify(response.body)}`);
  return response.body.user.id;
}
