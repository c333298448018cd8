/**
 * Listener functions for the benchmarks. Each one is compiled from its own source text, so V8
 * gives every listener its own feedback and cannot inline one shared closure at a call site
 * that sees many listeners: real apps register many different functions, not one.
 */

/**
 * A sink the listeners write to, so no listener body is dead code.
 * @typedef {{ value: number }} Sink
 */

/** Returns a fresh sink. */
export function createSink() {
  return { value: 0 };
}

let nextTag = 0;

/**
 * Creates `count` distinct listener functions that each add to `sink.value`. Every call of this
 * function tags its sources with a new number, so two sets never share compiled code either.
 *
 * @param {number} count
 * @param {Sink} sink
 * @returns {((payload: { n: number }) => void)[]}
 */
export function createListeners(count, sink) {
  const tag = nextTag++;
  const listeners = [];
  for (let index = 0; index < count; index++) {
    const factor = index + 1;
    const source = `return function listener_${tag}_${index}(payload) {
      sink.value = (sink.value + payload.n * ${factor} + ${tag}) | 0;
    };`;
    listeners.push(new Function('sink', source)(sink));
  }
  return listeners;
}

/**
 * Creates `count` distinct closures cheaply, for the benchmarks that only add and remove
 * listeners and never call them: each captures its own index.
 *
 * @param {number} count
 * @param {Sink} sink
 * @returns {((payload: { n: number }) => void)[]}
 */
export function createCheapListeners(count, sink) {
  const listeners = [];
  for (let index = 0; index < count; index++) {
    listeners.push((payload) => {
      sink.value = (sink.value + payload.n + index) | 0;
    });
  }
  return listeners;
}

/**
 * Compiles one function that calls `listeners` in order by fixed references, with no array and
 * no loop: the absolute floor of calling n functions.
 *
 * @param {((payload: { n: number }) => void)[]} listeners
 * @returns {(payload: { n: number }) => void}
 */
export function createDirectCaller(listeners) {
  const names = listeners.map((_, index) => `l${index}`);
  const body = names.map((name) => `${name}(payload);`).join('\n');
  const tag = nextTag++;
  return new Function(...names, `return function direct_${tag}(payload) {\n${body}\n};`)(
    ...listeners,
  );
}
