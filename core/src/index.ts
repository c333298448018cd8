export {
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
