/** An error capture: name and message, stack, and the chain of `cause`s, each in turn. */
import type { CapturedValue, SerializedValue } from '@sigscope/inspector-agent/protocol';
import { isTagged, summarize } from '../store/serialized.js';

type SerializedError = Extract<SerializedValue, { $: 'error' }>;

/** Returns the error and its causes, outermost first, stopping at a non-error cause. */
export function causeChain(value: SerializedValue): SerializedValue[] {
  const chain: SerializedValue[] = [value];
  let current = value;
  // A cause chain deeper than this is cut by the serializer anyway.
  while (
    chain.length < 32 &&
    isTagged(current) &&
    current.$ === 'error' &&
    current.cause !== undefined
  ) {
    current = current.cause;
    chain.push(current);
  }
  return chain;
}

function isError(value: SerializedValue): value is SerializedError {
  return isTagged(value) && value.$ === 'error';
}

export function ErrorView({ error, label = 'Error' }: { error: CapturedValue; label?: string }) {
  const chain = causeChain(error.preview);
  return (
    <section className="error-view" aria-label={label}>
      <ol className="cause-chain">
        {chain.map((link, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the chain order is its identity
          <li key={index}>
            {index > 0 ? <span className="cause-label">caused by </span> : null}
            {isError(link) ? (
              <>
                <strong>
                  {link.name}: {link.message}
                </strong>
                {link.props && Object.keys(link.props).length > 0 ? (
                  <span className="error-props">
                    {' '}
                    {summarize({
                      $: 'object',
                      entries: link.props,
                      size: Object.keys(link.props).length,
                    })}
                  </span>
                ) : null}
                {link.stack ? <pre className="stack">{link.stack}</pre> : null}
              </>
            ) : (
              <strong>{summarize(link)}</strong>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Formats an error capture as one line, such as `Error: message`. */
export function errorSummary(error: CapturedValue | undefined): string {
  if (!error) return '';
  return summarize(error.preview, 160);
}
