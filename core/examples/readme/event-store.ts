import { ConcurrencyError, EventStore } from '@sigscope/core';

type AccountEvent = { amount: number };

const account = new EventStore<AccountEvent>({ name: 'account-42' });
account.appended.addListener((event) => console.log('appended', event.version, event.type));

account.append('deposited', { amount: 100 }, { expectedVersion: 0 });
account.append('withdrawn', { amount: 30 }, { expectedVersion: 1 });
try {
  account.append('withdrawn', { amount: 90 }, { expectedVersion: 1 });
} catch (error) {
  if (!(error instanceof ConcurrencyError)) throw error;
  console.log(`stale: the store is at version ${error.actualVersion}`);
}

let balance = 0;
await account.replay(1, (event) => {
  balance += event.type === 'deposited' ? event.data.amount : -event.data.amount;
});
console.log('balance', balance);
