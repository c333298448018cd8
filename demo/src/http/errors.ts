/** An error the API returns as `{ error: { code, message } }` with `status`. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  /** Extra response headers, such as `Allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** A 400 for a request body field that is missing or invalid. */
export function invalidField(field: string, expected: string, received: unknown): HttpError {
  const shown = received === undefined ? 'nothing' : JSON.stringify(received);
  return new HttpError(
    400,
    'invalid_field',
    `field "${field}" must be ${expected}, received ${shown}`,
  );
}
