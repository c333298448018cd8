export {
  experimental_replayEmit,
  type ReplayEmitOptions,
  type ReplayEmitResult,
  ReplayError,
  type ReplayErrorCode,
} from './replay.js';
export { experimental_setCompiledEmit } from './signal/compiled-emit.js';
export { AsyncSignal, createSignal, createSyncSignal, SyncSignal } from './signal.js';
export {
  type CausalityTracker,
  type TraceSubscribeOptions,
  type TraceSubscriber,
  traceChannel,
} from './trace/channel.js';
export type * from './trace/events.js';
export type {
  Context,
  EmitMode,
  ErrorHandler,
  GrowthFunction,
  Listener,
  ListenerErrorInfo,
  SignalKind,
  SignalOptions,
} from './types.js';

// Patterns

export {
  type BreakerCallOutcome,
  type BreakerCallResult,
  type BreakerStateChange,
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
} from './patterns/circuit-breaker.js';
export {
  type AggregatableSignal,
  type AggregatedEvent,
  type AggregatorFilter,
  type AttachOptions,
  EventAggregator,
  type EventAggregatorOptions,
} from './patterns/event-aggregator.js';
export {
  type AppendOptions,
  ConcurrencyError,
  EventStore,
  type EventStoreOptions,
  type ReplayTarget,
  type StoredEvent,
} from './patterns/event-store.js';
export {
  BackpressureError,
  createRateLimitedSignal,
  type RateLimitedEmitResult,
  RateLimitedSignal,
  type RateLimitedSignalOptions,
} from './patterns/rate-limited-signal.js';
export {
  Saga,
  type SagaOptions,
  type SagaRunOutcome,
  type SagaStepProgress,
} from './patterns/saga.js';
export { SagaError, type SagaRollbackFailure } from './patterns/saga-error.js';
export {
  defaultShouldRetry,
  type SagaRetryInfo,
  type SagaShouldRetry,
  type SagaStep,
} from './patterns/saga-step.js';
export {
  InMemorySagaStore,
  type InMemorySagaStoreOptions,
  type SagaRunRecord,
  type SagaStepRecord,
  type SagaStepStatus,
  type SagaStore,
} from './patterns/saga-store.js';
