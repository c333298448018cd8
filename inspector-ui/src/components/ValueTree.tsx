/**
 * A serialized value as an expandable tree. Every tag the serializer emits renders as itself:
 * cut, circular, redacted and unreadable values show a visible marker, never a guess.
 */
import type { SerializedValue } from '@sigscope/inspector-agent/protocol';
import type { ReactNode } from 'react';
import { isTagged, summarize } from '../store/serialized.js';

export interface ValueTreeProps {
  readonly value: SerializedValue;
  /** Accessible name of the tree, such as "Payload". */
  readonly label: string;
  /** Levels open at first. @default 1 */
  readonly openDepth?: number;
}

export function ValueTree({ value, label, openDepth = 1 }: ValueTreeProps) {
  return (
    <section className="value-tree" aria-label={label}>
      <ValueNode value={value} depth={0} openDepth={openDepth} />
    </section>
  );
}

function Marker({ children, kind }: { children: ReactNode; kind: string }) {
  return <span className={`value-marker value-marker-${kind}`}>{children}</span>;
}

function Branch(props: {
  summary: string;
  depth: number;
  openDepth: number;
  children: ReactNode;
  note?: ReactNode;
}) {
  return (
    <details open={props.depth < props.openDepth}>
      <summary>{props.summary}</summary>
      <ul className="value-children">{props.children}</ul>
      {props.note}
    </details>
  );
}

function Entry(props: {
  name: ReactNode;
  value: SerializedValue;
  depth: number;
  openDepth: number;
}) {
  return (
    <li>
      <span className="value-key">{props.name}</span>
      <span className="value-sep">: </span>
      <ValueNode value={props.value} depth={props.depth + 1} openDepth={props.openDepth} />
    </li>
  );
}

function ValueNode({
  value,
  depth,
  openDepth,
}: {
  value: SerializedValue;
  depth: number;
  openDepth: number;
}): ReactNode {
  if (!isTagged(value)) {
    return (
      <span className={`value-${value === null ? 'null' : typeof value}`}>{summarize(value)}</span>
    );
  }

  switch (value.$) {
    case 'array': {
      const more = value.length - value.items.length;
      return (
        <Branch
          summary={`Array(${value.length})`}
          depth={depth}
          openDepth={openDepth}
          note={
            more > 0 ? <Marker kind="truncated">… {more} more items not captured</Marker> : null
          }
        >
          {value.items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: array positions are the identity here
            <Entry key={index} name={index} value={item} depth={depth} openDepth={openDepth} />
          ))}
        </Branch>
      );
    }
    case 'object': {
      const entries = Object.entries(value.entries);
      const more = value.size - entries.length;
      return (
        <Branch
          summary={`${value.className ?? 'Object'} {${value.size}}`}
          depth={depth}
          openDepth={openDepth}
          note={more > 0 ? <Marker kind="truncated">… {more} more keys not captured</Marker> : null}
        >
          {entries.map(([key, item]) => (
            <Entry key={key} name={key} value={item} depth={depth} openDepth={openDepth} />
          ))}
        </Branch>
      );
    }
    case 'map':
      return (
        <Branch summary={`Map(${value.size})`} depth={depth} openDepth={openDepth}>
          {value.entries.map(([key, item], index) => (
            <Entry
              // biome-ignore lint/suspicious/noArrayIndexKey: map entries keep their order
              key={index}
              name={summarize(key, 60)}
              value={item}
              depth={depth}
              openDepth={openDepth}
            />
          ))}
        </Branch>
      );
    case 'set':
      return (
        <Branch summary={`Set(${value.size})`} depth={depth} openDepth={openDepth}>
          {value.items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: set items keep their order
            <Entry key={index} name={index} value={item} depth={depth} openDepth={openDepth} />
          ))}
        </Branch>
      );
    case 'error':
      return (
        <Branch summary={`${value.name}: ${value.message}`} depth={depth} openDepth={openDepth}>
          {value.stack ? (
            <li>
              <pre className="stack">{value.stack}</pre>
            </li>
          ) : null}
          {Object.entries(value.props ?? {}).map(([key, item]) => (
            <Entry key={key} name={key} value={item} depth={depth} openDepth={openDepth} />
          ))}
          {value.cause === undefined ? null : (
            <Entry name="cause" value={value.cause} depth={depth} openDepth={openDepth} />
          )}
        </Branch>
      );
    case 'string':
      return (
        <span className="value-string">
          {JSON.stringify(value.preview)}
          <Marker kind="truncated">
            truncated: {value.preview.length} of {value.length} characters
          </Marker>
        </span>
      );
    case 'circular':
      return <Marker kind="circular">circular reference to {value.path}</Marker>;
    case 'truncated':
      return (
        <Marker kind="truncated">
          truncated{value.className ? ` ${value.className}` : ''} ({value.reason} limit)
        </Marker>
      );
    case 'redacted':
      return <Marker kind="redacted">redacted</Marker>;
    case 'unreadable':
      return <Marker kind="unreadable">unreadable: {value.reason}</Marker>;
    case 'opaque':
      return <Marker kind="opaque">{value.className} (not inspected)</Marker>;
    default:
      return <span className="value-special">{summarize(value)}</span>;
  }
}
