/** Replay editor logic: payload validation and the replay command, free of React. */
import type { ExportResult, ReplayCommand, ReplayItem } from '@sigscope/inspector-agent/protocol';
import type { EmitRecord } from './model.js';
import { toPlainJson } from './serialized.js';

export type PayloadCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/** Parses an edited payload; the replay is only sent when every edited payload parses. */
export function checkPayloadText(text: string): PayloadCheck {
  if (text.trim() === '')
    return { ok: false, message: 'The payload is empty. Enter JSON, such as null or {}.' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Invalid JSON: ${(error as Error).message}` };
  }
}

/** Returns the recorded payload as editable JSON text, or why it cannot be edited as JSON. */
export function editableText(emit: EmitRecord): { text: string; reason: string | undefined } {
  if (!emit.payload) return { text: 'null', reason: undefined };
  if (emit.payload.handle !== undefined) {
    return { text: '', reason: 'the recorded payload is only a preview of a larger value' };
  }
  const plain = toPlainJson(emit.payload.preview);
  if (!plain.ok) return { text: '', reason: plain.reason };
  return { text: JSON.stringify(plain.value, null, 2), reason: undefined };
}

/** One picked emit in the editor. An undefined `text` replays the recorded payload. */
export interface ReplayDraft {
  readonly emit: EmitRecord;
  readonly text: string | undefined;
}

/**
 * Builds the replay command body, or returns the first validation error. Items keep the pick
 * order, which is the order the agent replays them in.
 */
export function buildReplay(
  drafts: readonly ReplayDraft[],
  keepTiming: boolean,
): { ok: true; command: Omit<ReplayCommand, 'id'> } | { ok: false; message: string } {
  if (drafts.length === 0) return { ok: false, message: 'Pick at least one emit to replay.' };

  const items: ReplayItem[] = [];
  for (const draft of drafts) {
    if (draft.text === undefined) {
      items.push({ seq: draft.emit.seq });
      continue;
    }
    const check = checkPayloadText(draft.text);
    if (!check.ok) {
      return { ok: false, message: `Emit #${draft.emit.emitId}: ${check.message}` };
    }
    items.push({ seq: draft.emit.seq, payload: check.value });
  }
  return { ok: true, command: { type: 'replay', items, keepTiming } };
}

/** Reads the NDJSON out of an export ack, which older agents sent as a bare string. */
export function exportNdjsonOf(result: unknown): string {
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && result !== null && 'ndjson' in result) {
    return (result as ExportResult).ndjson;
  }
  throw new Error(
    "exportNdjsonOf: the export ack is missing its NDJSON text. Update the agent to this inspector's version.",
  );
}
