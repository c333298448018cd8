import { CircuitBreaker, CircuitOpenError } from '@sigscope/core';

const breaker = new CircuitBreaker({
  name: 'inventory',
  failureThreshold: 2,
  recoveryTimeoutMs: 1_000,
  callTimeoutMs: 500,
});
breaker.stateChanged.addListener(({ from, to, reason }) =>
  console.log(`${from} -> ${to}: ${reason}`),
);

const down = () => Promise.reject(new Error('inventory service down'));
for (let i = 0; i < 3; i++) {
  try {
    await breaker.call(down);
  } catch (error) {
    console.log(error instanceof CircuitOpenError ? 'rejected fast' : 'call failed');
  }
}

// After the recovery timeout, the next call is a half-open trial; a success closes the circuit.
await new Promise((resolve) => setTimeout(resolve, 1_000));
console.log(await breaker.call(() => 'in stock'), breaker.state, breaker.counters);
