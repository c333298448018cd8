/** Reading NDJSON recordings written by the agent's `export` command. */
import {
  type ExportHeader,
  PROTOCOL_VERSION,
  type RecordedEvent,
} from '@sigscope/inspector-agent/protocol';

export interface ParsedExport {
  readonly header: ExportHeader;
  readonly events: RecordedEvent[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Parses an NDJSON export: an {@link ExportHeader} line, then one {@link RecordedEvent} per
 * line. Blank lines are skipped.
 *
 * @throws Error naming the line when it is not JSON or has the wrong shape, or when the file
 * comes from an incompatible protocol version.
 */
export function parseExport(text: string): ParsedExport {
  const lines = text.split(/\r?\n/);
  let header: ExportHeader | undefined;
  const events: RecordedEvent[] = [];

  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;

    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new Error(
        `parseExport: line ${index + 1} is not valid JSON. Import a file the inspector exported.`,
        { cause },
      );
    }

    if (!header) {
      if (!isRecord(value) || value.type !== 'sigscope-export') {
        throw new Error(
          `parseExport: line ${index + 1} is not an export header (expected type "sigscope-export"). Import a file the inspector exported.`,
        );
      }
      if (value.protocolVersion !== PROTOCOL_VERSION) {
        throw new Error(
          `parseExport: the file uses protocol version ${String(value.protocolVersion)}, but this inspector reads version ${PROTOCOL_VERSION}. Open it with a matching inspector.`,
        );
      }
      header = value as unknown as ExportHeader;
      continue;
    }

    if (!isRecord(value) || typeof value.seq !== 'number' || !isRecord(value.event)) {
      throw new Error(
        `parseExport: line ${index + 1} is not a recorded event (expected { seq, event }).`,
      );
    }
    events.push(value as unknown as RecordedEvent);
  }

  if (!header)
    throw new Error('parseExport: the file is empty. Import a file the inspector exported.');
  events.sort((a, b) => a.seq - b.seq);
  return { header, events };
}
