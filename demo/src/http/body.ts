import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

/**
 * Reads a JSON object body. Rejects with a 413 once the body passes `maxBytes`, a 415 for a
 * non-JSON content type and a 400 for invalid JSON or a body that is not an object.
 */
export async function readJsonObject(
  request: IncomingMessage,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `content-type "${contentType}" is not supported; send a JSON body with content-type: application/json`,
    );
  }

  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) throw bodyTooLarge(maxBytes);

  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw bodyTooLarge(maxBytes);
    chunks.push(chunk);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    throw new HttpError(400, 'invalid_json', 'the request body is empty; send a JSON object');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new HttpError(
      400,
      'invalid_json',
      `the request body is not valid JSON (${detail}); send a JSON object`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(
      400,
      'invalid_json',
      'the request body must be a JSON object, such as {"email": "..."}',
    );
  }
  return parsed as Record<string, unknown>;
}

function bodyTooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    'body_too_large',
    `the request body is larger than ${maxBytes} bytes; send a smaller body`,
  );
}
