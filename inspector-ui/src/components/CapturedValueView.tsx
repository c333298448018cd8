/** A captured payload as a tree, with "Load full value" when the preview was cut. */
import type {
  CapturedValue,
  GetPayloadResult,
  SerializedValue,
} from '@sigscope/inspector-agent/protocol';
import { useState } from 'react';
import { selectSendCommand } from '../store/selectors.js';
import { useInspector } from '../store/store.js';
import { ValueTree } from './ValueTree.js';

type LoadState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly value: SerializedValue; readonly truncated: boolean }
  | { readonly kind: 'failed'; readonly message: string };

/** Reads the value out of a getPayload ack, which older agents sent bare. */
function fullValueOf(result: unknown): { value: SerializedValue; truncated: boolean } {
  if (typeof result === 'object' && result !== null && 'value' in result) {
    const typed = result as GetPayloadResult;
    return { value: typed.value, truncated: typed.truncated };
  }
  return { value: result as SerializedValue, truncated: false };
}

export function CapturedValueView({
  value,
  label,
}: {
  value: CapturedValue | undefined;
  label: string;
}) {
  const sendCommand = useInspector(selectSendCommand);
  const [load, setLoad] = useState<LoadState>({ kind: 'idle' });

  if (!value) return <p className="muted">No {label.toLowerCase()} captured.</p>;

  const handle = value.handle;
  const loadFull = async () => {
    if (!sendCommand || handle === undefined) return;
    setLoad({ kind: 'loading' });
    try {
      const result = await sendCommand({ type: 'getPayload', handle });
      setLoad({ kind: 'loaded', ...fullValueOf(result) });
    } catch (error) {
      setLoad({ kind: 'failed', message: (error as Error).message });
    }
  };

  const shown = load.kind === 'loaded' ? load.value : value.preview;
  let sizeNote = '';
  if (load.kind === 'loaded') sizeNote = ' (full value)';
  else if (handle !== undefined) sizeNote = ' (preview)';
  return (
    <div className="captured-value">
      <ValueTree value={shown} label={label} />
      <p className="muted">
        {value.bytes.toLocaleString()} bytes of JSON
        {sizeNote}
        {load.kind === 'loaded' && load.truncated ? ', still cut by the agent’s byte limit' : ''}
      </p>
      {handle !== undefined && load.kind !== 'loaded' ? (
        <button
          type="button"
          onClick={loadFull}
          disabled={!sendCommand || load.kind === 'loading'}
          title={sendCommand ? undefined : 'Needs a live agent connection'}
        >
          {load.kind === 'loading' ? 'Loading full value…' : 'Load full value'}
        </button>
      ) : null}
      {load.kind === 'failed' ? (
        <p role="alert" className="error-text">
          Could not load the full value: {load.message}
        </p>
      ) : null}
    </div>
  );
}
