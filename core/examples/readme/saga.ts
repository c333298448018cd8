import { Saga, SagaError } from '@sigscope/core';

interface Order {
  reservation?: string;
}

const checkout = new Saga<Order>({
  name: 'checkout',
  baseRetryDelayMs: 10,
  steps: [
    {
      name: 'reserve',
      execute: (order) => {
        order.reservation = 'r-1';
      },
      rollback: (order) => console.log(`released ${order.reservation}`),
    },
    { name: 'notify', critical: false, execute: () => Promise.reject(new Error('mail down')) },
    {
      name: 'charge',
      retries: 2,
      idempotent: true,
      execute: () => Promise.reject(new Error('card declined')),
    },
  ],
});
checkout.stepRetry.addListener(({ step, attempt, delayMs }) =>
  console.log(`retry ${step} after attempt ${attempt} in ${delayMs} ms`),
);

try {
  await checkout.run({});
} catch (error) {
  if (!(error instanceof SagaError)) throw error;
  console.log(`${error.step} failed: ${(error.cause as Error).message}`);
  console.log(error.record.status, error.record.steps.map((step) => step.status).join(', '));
}
