/**
 * Inventory: owns stock levels. It checks stock in the validation chain, reserves and releases
 * stock for the fulfilment saga, and restocks products that run low.
 */
import { CATALOG, findProduct } from '../catalog.js';
import { OutOfStockError } from '../errors.js';
import type { InventoryCommand, ShopEvents, StockItem } from '../events.js';
import type { ReplayLog } from '../replays.js';

export interface InventoryOptions {
  /** Stock level at or below which a product emits `inventory.stock-low`. @default 5 */
  readonly lowStockThreshold?: number;
}

export interface InventorySnapshot {
  /** Units available per SKU. */
  readonly stock: Readonly<Record<string, number>>;
  /** Units reserved per order id. */
  readonly reservations: Readonly<Record<string, readonly StockItem[]>>;
  /** How many times a low product was restocked. */
  readonly restocks: number;
}

export interface InventoryPackage {
  snapshot(): InventorySnapshot;
}

export const CHECK_STOCK = 'inventory.check-stock';

export function createInventory(
  events: ShopEvents,
  replays: ReplayLog,
  options: InventoryOptions = {},
): InventoryPackage {
  const lowStockThreshold = options.lowStockThreshold ?? 5;
  const stock = new Map(CATALOG.map((product) => [product.sku, product.initialStock]));
  const reservations = new Map<string, readonly StockItem[]>();
  let restocks = 0;

  const available = (sku: string): number => stock.get(sku) ?? 0;

  function assertInStock(items: readonly StockItem[]): void {
    for (const item of items) {
      if (item.quantity > available(item.sku)) {
        throw new OutOfStockError(item.sku, item.quantity, available(item.sku), CHECK_STOCK);
      }
    }
  }

  events.validateOrder.addListener(function checkStock(order) {
    assertInStock(order.items);
  }, CHECK_STOCK);

  events.reserveInventory.addListener(function reserveStock(command, ctx) {
    const isReplay = replays.checkDelivery(
      'inventory.reserve',
      'inventory.reserve-stock',
      command.eventId,
      ctx,
    );
    // A reservation is keyed by order, so a replayed command never reserves twice.
    if (isReplay || reservations.has(command.orderId)) return;

    // Stock may have changed between validation and fulfilment, so check again.
    assertInStock(command.items);
    for (const item of command.items) stock.set(item.sku, available(item.sku) - item.quantity);
    reservations.set(command.orderId, command.items);

    void events.inventoryReserved.emit(
      { ...events.nextMeta(), orderId: command.orderId, items: command.items },
      ctx,
    );
    for (const item of command.items) {
      if (available(item.sku) <= lowStockThreshold) {
        void events.stockLow.emit(
          {
            ...events.nextMeta(),
            sku: item.sku,
            available: available(item.sku),
            threshold: lowStockThreshold,
          },
          ctx,
        );
      }
    }
  }, 'inventory.reserve-stock');

  events.releaseInventory.addListener(function releaseStock(command: InventoryCommand, ctx) {
    const reserved = reservations.get(command.orderId);
    if (reserved === undefined) return;

    for (const item of reserved) stock.set(item.sku, available(item.sku) + item.quantity);
    reservations.delete(command.orderId);
    void events.inventoryReleased.emit(
      { ...events.nextMeta(), orderId: command.orderId, items: reserved },
      ctx,
    );
  }, 'inventory.release-stock');

  // The supplier delivers at once in this demo: a low product goes back to its initial stock.
  events.stockLow.addListener(function reorderStock(low) {
    const product = findProduct(low.sku);
    if (product === undefined || product.discontinued) return;
    if (available(low.sku) >= product.initialStock) return;

    stock.set(low.sku, product.initialStock);
    restocks += 1;
  }, 'inventory.reorder');

  return {
    snapshot: () => ({
      stock: Object.fromEntries(stock),
      reservations: Object.fromEntries(reservations),
      restocks,
    }),
  };
}
