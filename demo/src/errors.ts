/**
 * Errors the shop's packages throw across signals. Each carries a stable `code` that the HTTP
 * API returns, so clients and tests can branch on it without parsing messages.
 */

/** Stable codes of the reasons the order-validation chain rejects an order. */
export type RejectionCode =
  | 'unknown_customer'
  | 'invalid_item'
  | 'out_of_stock'
  | 'fraud_suspected'
  | 'price_mismatch';

/**
 * An order the validation chain rejected. `listener` is the key of the validation listener that
 * threw, which the inspector also shows as the failing link of the chain.
 */
export class OrderRejectedError extends Error {
  override name = 'OrderRejectedError';
  readonly code: RejectionCode;
  readonly listener: string;

  constructor(code: RejectionCode, listener: string, message: string) {
    super(message);
    this.code = code;
    this.listener = listener;
  }
}

export class UnknownCustomerError extends OrderRejectedError {
  override name = 'UnknownCustomerError';
  readonly customerId: string;

  constructor(customerId: string, listener: string) {
    super(
      'unknown_customer',
      listener,
      `customer "${customerId}" is not registered; register with POST /api/users first`,
    );
    this.customerId = customerId;
  }
}

export class InvalidItemError extends OrderRejectedError {
  override name = 'InvalidItemError';
  readonly sku: string;

  constructor(sku: string, listener: string, reason: string) {
    super('invalid_item', listener, `item "${sku}" is invalid: ${reason}`);
    this.sku = sku;
  }
}

export class OutOfStockError extends OrderRejectedError {
  override name = 'OutOfStockError';
  readonly sku: string;
  readonly requested: number;
  readonly available: number;

  constructor(sku: string, requested: number, available: number, listener: string) {
    super(
      'out_of_stock',
      listener,
      `item "${sku}" is out of stock: ${requested} requested, ${available} available`,
    );
    this.sku = sku;
    this.requested = requested;
    this.available = available;
  }
}

export class FraudSuspectedError extends OrderRejectedError {
  override name = 'FraudSuspectedError';
  readonly customerId: string;
  readonly totalCents: number;
  readonly limitCents: number;

  constructor(customerId: string, totalCents: number, limitCents: number, listener: string) {
    super(
      'fraud_suspected',
      listener,
      `order total ${totalCents} cents for customer "${customerId}" exceeds the fraud limit of ${limitCents} cents`,
    );
    this.customerId = customerId;
    this.totalCents = totalCents;
    this.limitCents = limitCents;
  }
}

export class PriceMismatchError extends OrderRejectedError {
  override name = 'PriceMismatchError';
  readonly expectedTotalCents: number;
  readonly actualTotalCents: number;

  constructor(expectedTotalCents: number, actualTotalCents: number, listener: string) {
    super(
      'price_mismatch',
      listener,
      `expectedTotalCents is ${expectedTotalCents} but the catalogue prices total ${actualTotalCents}; reload prices and retry`,
    );
    this.expectedTotalCents = expectedTotalCents;
    this.actualTotalCents = actualTotalCents;
  }
}

/** The fake payment gateway failed a charge, as it does while switched to failing. */
export class PaymentGatewayError extends Error {
  override name = 'PaymentGatewayError';
  readonly code = 'payment_gateway_failed';
}

/** The shipping package could not create a shipment for an order. */
export class ShipmentFailedError extends Error {
  override name = 'ShipmentFailedError';
  readonly code = 'shipment_failed';
  readonly orderId: string;

  constructor(orderId: string, reason: string) {
    super(`shipment for order "${orderId}" failed: ${reason}`);
    this.orderId = orderId;
  }
}

/** Registration with an email address that another user already has. */
export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
  readonly code = 'email_taken';
  readonly email: string;

  constructor(email: string) {
    super(`email "${email}" is already registered; use another address`);
    this.email = email;
  }
}
