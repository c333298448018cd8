/**
 * jsdom lacks layout: these stubs give @xyflow/react and @tanstack/react-virtual the sizes and
 * observers they measure with, and testing-library unmounts after every test.
 */
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

class ResizeObserverStub {
  readonly #callback: ResizeObserverCallback;

  constructor(callback: ResizeObserverCallback) {
    this.#callback = callback;
  }

  observe(target: Element): void {
    this.#callback([{ target } as ResizeObserverEntry], this as unknown as ResizeObserver);
  }

  unobserve(): void {}

  disconnect(): void {}
}

/** Enough of DOMMatrixReadOnly for @xyflow/react to read the zoom from a CSS transform. */
class DOMMatrixReadOnlyStub {
  readonly m22: number;

  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
    this.m22 = scale === undefined ? 1 : Number(scale);
  }
}

// Integration tests run in the node environment, which has no DOM to stub.
if (typeof HTMLElement !== 'undefined') {
  globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
  (globalThis as { DOMMatrixReadOnly?: unknown }).DOMMatrixReadOnly ??= DOMMatrixReadOnlyStub;

  const size = (value: number) => ({ configurable: true, get: () => value });
  Object.defineProperties(HTMLElement.prototype, {
    offsetWidth: size(800),
    offsetHeight: size(600),
    clientWidth: size(800),
    clientHeight: size(600),
  });
  Object.defineProperty(SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 0, height: 0 }),
  });
  HTMLElement.prototype.scrollTo ??= function scrollTo() {};
  HTMLElement.prototype.scrollIntoView ??= function scrollIntoView() {};
}

afterEach(() => {
  cleanup();
});
