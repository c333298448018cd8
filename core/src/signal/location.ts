// The folder that contains core's own modules (`src/` when run from source, `dist/` when built).
// Stack frames inside it belong to core, so the first frame outside it is the caller.
const coreFolder = stripFileScheme(new URL('..', import.meta.url).href);

// Frames to skip when every frame lies in one folder, as in a bundled app: the `Error` line,
// `captureCallerLocation`, `addListener`.
// NOTE: Firefox and Safari print no `Error` line, so there the fallback lands one frame deeper
// than the caller (or on a pattern's frame when a pattern added the listener).
const FALLBACK_SKIP = 3;

const FRAME_LOCATION = /\(?((?:[a-z][a-z0-9+.-]*:\/\/)?[^\s()]*?):(\d+):(\d+)\)?\s*$/i;

function stripFileScheme(url: string): string {
  return url.startsWith('file://') ? url.slice('file://'.length) : url;
}

function parseFrame(frame: string): string | undefined {
  const match = FRAME_LOCATION.exec(frame);
  if (match === null) return undefined;

  // Firefox and Safari write `name@file:line:col`; V8 writes `at name (file:line:col)`.
  const file = stripFileScheme(match[1]!.replace(/^.*@/, ''));
  return `${file}:${match[2]}:${match[3]}`;
}

/**
 * Returns `file:line:column` of the first stack frame outside core, or `undefined` when the
 * runtime gives no parsable stack. Costs a stack capture, so callers use it only while
 * tracing is on.
 */
export function captureCallerLocation(): string | undefined {
  const stack = new Error().stack;
  if (stack === undefined) return undefined;

  const frames = stack.split('\n');
  let fallback: string | undefined;

  for (let i = 0; i < frames.length; i++) {
    const location = parseFrame(frames[i]!);
    if (location === undefined) continue;

    if (i >= FALLBACK_SKIP && fallback === undefined) fallback = location;
    if (!location.startsWith(coreFolder)) return location;
  }

  return fallback;
}
