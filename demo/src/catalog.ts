/**
 * The shop's product catalogue: fixed reference data that every package may read. Stock levels
 * are not here; the inventory package owns them.
 */
export interface Product {
  readonly sku: string;
  readonly name: string;
  /** Unit price in cents. */
  readonly priceCents: number;
  /** Units in stock when the shop starts. */
  readonly initialStock: number;
  /** A discontinued product is never restocked, so orders for it run out of stock. */
  readonly discontinued: boolean;
}

export const CATALOG: readonly Product[] = [
  {
    sku: 'KB-101',
    name: 'Mechanical keyboard',
    priceCents: 8900,
    initialStock: 40,
    discontinued: false,
  },
  {
    sku: 'MS-202',
    name: 'Wireless mouse',
    priceCents: 2900,
    initialStock: 60,
    discontinued: false,
  },
  {
    sku: 'MN-303',
    name: '27-inch monitor',
    priceCents: 27900,
    initialStock: 15,
    discontinued: false,
  },
  {
    sku: 'HD-404',
    name: 'Noise-cancelling headphones',
    priceCents: 19900,
    initialStock: 25,
    discontinued: false,
  },
  { sku: 'CB-505', name: 'USB-C cable', priceCents: 900, initialStock: 200, discontinued: false },
  { sku: 'RC-606', name: 'Retro console', priceCents: 14900, initialStock: 0, discontinued: true },
];

const productsBySku = new Map(CATALOG.map((product) => [product.sku, product]));

/** Returns the product with this SKU, or `undefined` when the catalogue has none. */
export function findProduct(sku: string): Product | undefined {
  return productsBySku.get(sku);
}
