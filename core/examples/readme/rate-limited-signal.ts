import { BackpressureError, createRateLimitedSignal } from '@sigscope/core';

const metrics = createRateLimitedSignal<number>({
  name: 'metrics',
  ratePerSecond: 10,
  burst: 2,
  queueCapacity: 2,
});
metrics.signal.addListener((value) => console.log(`sent ${value}`));

for (let value = 1; value <= 5; value++) {
  try {
    console.log(value, metrics.emit(value));
  } catch (error) {
    if (!(error instanceof BackpressureError)) throw error;
    console.log(value, `dropped, retry in ${error.retryAfterMs} ms`);
  }
}

// The queue drains at 10 per second: one payload every 100 ms.
await new Promise((resolve) => setTimeout(resolve, 250));
console.log('dropped', metrics.dropped, 'discarded', metrics.dispose());
