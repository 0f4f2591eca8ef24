/** One thing the shop sells. */
export interface Product {
  id: string;
  name: string;
  description: string;
  /** EUR. */
  price: number;
  /** Paid through a split link: this share (percent) goes to the partner's recipient token. */
  partnerSharePercent?: number;
  /** Sold by the second merchant, on its own SecPaid account (`merchant-b`). */
  merchant?: 'merchant-b';
}

/** The shop's catalogue. */
export const PRODUCTS: readonly Product[] = [
  {
    id: 'tshirt',
    name: 'Nest T-shirt',
    description: 'Organic cotton, cat logo on the front.',
    price: 19.9,
  },
  {
    id: 'mug',
    name: 'Coffee mug',
    description: 'Holds enough coffee for one long debugging session.',
    price: 9.5,
  },
  {
    id: 'workshop',
    name: 'NestJS workshop seat',
    description: 'One day of hands-on NestJS with a trainer.',
    price: 149,
    partnerSharePercent: 30,
  },
  {
    id: 'poster',
    name: 'Framed poster',
    description: 'Sold and shipped by our partner gallery, paid to its own SecPaid account.',
    price: 35,
    merchant: 'merchant-b',
  },
];

/** The product with this id, if any. */
export function findProduct(id: string): Product | undefined {
  return PRODUCTS.find((product) => product.id === id);
}
