/**
 * Shipping: creates and cancels shipments for the fulfilment saga. It fails on demand, for every
 * order while switched to failing, or for any address that contains "nowhere".
 */
import { ShipmentFailedError } from '../errors.js';
import type { ShopEvents } from '../events.js';
import type { ReplayLog } from '../replays.js';

export interface Shipment {
  readonly id: string;
  readonly orderId: string;
  readonly address: string;
  readonly status: 'created' | 'cancelled';
}

export interface ShippingSnapshot {
  readonly failing: boolean;
  readonly shipments: readonly Shipment[];
}

export interface ShippingPackage {
  /** Makes every new shipment fail (`true`) or succeed again (`false`). */
  setFailing(failing: boolean): void;
  snapshot(): ShippingSnapshot;
}

/** Addresses that contain this text (in any case) always fail to ship. */
export const UNDELIVERABLE_ADDRESS_MARKER = 'nowhere';

export function createShipping(events: ShopEvents, replays: ReplayLog): ShippingPackage {
  const shipmentsByOrder = new Map<string, Shipment>();
  let failing = false;
  let shipmentCount = 0;

  events.createShipment.addListener(function createShipment(command, ctx) {
    const isReplay = replays.checkDelivery(
      'shipping.create',
      'shipping.create-shipment',
      command.eventId,
      ctx,
    );
    if (isReplay || shipmentsByOrder.get(command.orderId)?.status === 'created') return;

    if (failing) {
      throw new ShipmentFailedError(
        command.orderId,
        'the carrier is unavailable (shipping is switched to failing)',
      );
    }
    if (command.address.toLowerCase().includes(UNDELIVERABLE_ADDRESS_MARKER)) {
      throw new ShipmentFailedError(
        command.orderId,
        `address "${command.address}" is not deliverable`,
      );
    }

    shipmentCount += 1;
    const shipment: Shipment = {
      id: `ship-${shipmentCount}`,
      orderId: command.orderId,
      address: command.address,
      status: 'created',
    };
    shipmentsByOrder.set(command.orderId, shipment);
    void events.shipmentCreated.emit(
      {
        ...events.nextMeta(),
        orderId: command.orderId,
        shipmentId: shipment.id,
        address: shipment.address,
      },
      ctx,
    );
  }, 'shipping.create-shipment');

  events.cancelShipment.addListener(function cancelShipment(command, ctx) {
    const shipment = shipmentsByOrder.get(command.orderId);
    if (shipment === undefined || shipment.status === 'cancelled') return;

    shipmentsByOrder.set(command.orderId, { ...shipment, status: 'cancelled' });
    void events.shipmentCancelled.emit(
      {
        ...events.nextMeta(),
        orderId: command.orderId,
        shipmentId: shipment.id,
        address: shipment.address,
      },
      ctx,
    );
  }, 'shipping.cancel-shipment');

  return {
    setFailing(value) {
      failing = value;
    },
    snapshot: () => ({ failing, shipments: [...shipmentsByOrder.values()] }),
  };
}
