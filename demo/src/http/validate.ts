/**
 * Checks request bodies field by field. Each check throws a 400 that names the field, what it
 * must be and what arrived.
 */
import type { OrderInput } from '../orders/index.js';
import { invalidField } from './errors.js';

/** Longest accepted string field, in characters. */
const MAX_TEXT_LENGTH = 200;
/** Most order lines accepted in one order. */
const MAX_ORDER_LINES = 50;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function requireText(body: Record<string, unknown>, field: string, expected: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT_LENGTH) {
    throw invalidField(field, `${expected} of 1 to ${MAX_TEXT_LENGTH} characters`, value);
  }
  return value;
}

export function parseRegistration(body: Record<string, unknown>): { email: string; name: string } {
  const email = requireText(body, 'email', 'an email address such as "ada@example.test"');
  if (!EMAIL_PATTERN.test(email)) {
    throw invalidField('email', 'an email address such as "ada@example.test"', email);
  }
  const name = requireText(body, 'name', 'a display name string');
  return { email, name };
}

export function parseOrder(body: Record<string, unknown>): OrderInput {
  const customerId = requireText(
    body,
    'customerId',
    'a user id from POST /api/users, such as "u-1",',
  );
  const shippingAddress = requireText(body, 'shippingAddress', 'a postal address string');

  const items = body.items;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ORDER_LINES) {
    throw invalidField(
      'items',
      `an array of 1 to ${MAX_ORDER_LINES} { sku, quantity } objects`,
      items,
    );
  }
  const parsedItems = items.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) {
      throw invalidField(`items[${index}]`, 'an object { sku, quantity }', item);
    }
    const { sku, quantity } = item as Record<string, unknown>;
    if (typeof sku !== 'string' || sku === '' || sku.length > MAX_TEXT_LENGTH) {
      throw invalidField(`items[${index}].sku`, 'a product SKU string such as "KB-101"', sku);
    }
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
      throw invalidField(`items[${index}].quantity`, 'an integer of at least 1', quantity);
    }
    return { sku, quantity };
  });

  const expectedTotalCents = body.expectedTotalCents;
  if (
    expectedTotalCents !== undefined &&
    (typeof expectedTotalCents !== 'number' ||
      !Number.isInteger(expectedTotalCents) ||
      expectedTotalCents < 0)
  ) {
    throw invalidField(
      'expectedTotalCents',
      'a non-negative integer number of cents, or absent',
      expectedTotalCents,
    );
  }

  return { customerId, shippingAddress, items: parsedItems, expectedTotalCents };
}

/** Parses the `from` query parameter of `GET /api/events`: a version of at least 0. */
export function parseFromVersion(value: string | null): number {
  if (value === null) return 0;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 0) {
    throw invalidField('from', 'a non-negative integer event store version', value);
  }
  return version;
}
