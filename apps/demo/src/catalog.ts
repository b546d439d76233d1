import type { ButtonOption } from '@paybridge/core';

export interface Product {
  id: string;
  name: string;
  description: string;
  /** Colour of the tile standing in for a product photo. */
  colour: string;
  /** Ways to buy it (the first is the default); amounts in minor units. */
  options: Array<ButtonOption & { id: string }>;
  /** Offer "store credit first, the rest through a broker". */
  split?: boolean;
}

/**
 * Chosen to show the currency filtering: each broker takes only some currencies (PayPal: PLN, EUR, USD,
 * JPY and subscriptions; Stripe: EUR, USD, JPY and subscriptions; PayU: one currency per POS; CM-CIC: EUR;
 * Przelewy24: PLN; Razorpay: INR;
 * Flutterwave: NGN, KES, GHS), so each product offers a different set.
 */
export const catalog: Product[] = [
  {
    id: 'mug',
    name: 'paybridge mug',
    description: 'Holds 330 ml of coffee. Priced in euros: every broker takes it.',
    colour: '#b45309',
    options: [{ id: 'mug', description: 'paybridge mug', amount: 1299, currency: 'EUR' }],
  },
  {
    id: 'tshirt',
    name: 'T-shirt',
    description: 'Organic cotton, printed in Kraków. In złoty: PayU, PayPal or Przelewy24 (BLIK).',
    colour: '#2563eb',
    options: [{ id: 'tshirt', description: 'T-shirt', amount: 7900, currency: 'PLN' }],
  },
  {
    id: 'stickers',
    name: 'Sticker pack',
    description: 'Twelve vinyl stickers. In US dollars: PayPal, PayU or Stripe.',
    colour: '#db2777',
    options: [{ id: 'stickers', description: 'Sticker pack', amount: 500, currency: 'USD' }],
  },
  {
    id: 'adire',
    name: 'Adire scarf',
    description: 'Indigo-dyed in Abeokuta. In naira: Flutterwave.',
    colour: '#1e3a8a',
    options: [{ id: 'adire', description: 'Adire scarf', amount: 1500000, currency: 'NGN' }],
  },
  {
    id: 'kikoy',
    name: 'Kikoy wrap',
    description: 'Woven in Mombasa. In Kenyan shillings: Flutterwave.',
    colour: '#b91c1c',
    options: [{ id: 'kikoy', description: 'Kikoy wrap', amount: 250000, currency: 'KES' }],
  },
  {
    id: 'tenugui',
    name: 'Tenugui towel',
    description: 'Hand-dyed in Osaka. In yen (no decimals): PayPal or Stripe.',
    colour: '#0891b2',
    options: [{ id: 'tenugui', description: 'Tenugui towel', amount: 1500, currency: 'JPY' }],
  },
  {
    id: 'chai',
    name: 'Masala chai tin',
    description: 'Loose-leaf chai blended in Kochi. In rupees (paise): Razorpay.',
    colour: '#c2410c',
    options: [{ id: 'chai', description: 'Masala chai tin', amount: 49_900, currency: 'INR' }],
  },
  {
    id: 'pro',
    name: 'paybridge Pro',
    description: 'Priority support, billed monthly. Subscriptions: PayPal or Stripe.',
    colour: '#7c3aed',
    options: [
      {
        id: 'pro-monthly',
        description: 'paybridge Pro, monthly',
        amount: 900,
        currency: 'EUR',
        recurrence: { interval: 'month', every: 1 },
      },
    ],
  },
  {
    id: 'hoodie',
    name: 'Hoodie',
    description: 'Two ways to buy it: plain, or with your name embroidered.',
    colour: '#374151',
    options: [
      { id: 'hoodie-plain', description: 'Hoodie', amount: 4900, currency: 'EUR' },
      {
        id: 'hoodie-embroidered',
        description: 'Hoodie, embroidered',
        amount: 5900,
        currency: 'EUR',
        customFields: { embroidery: 'yes' },
      },
    ],
  },
  {
    id: 'giftbox',
    name: 'Gift box',
    description: 'Pay part with your store credit and the rest through a broker (a split payment).',
    colour: '#059669',
    options: [{ id: 'giftbox', description: 'Gift box', amount: 3000, currency: 'EUR' }],
    split: true,
  },
];

export const findProduct = (id: string) => catalog.find((p) => p.id === id);

/** Random bytes in an order id: 128 bits, so an order (and the payment ids its page shows) cannot be guessed. */
const ORDER_ID_BYTES = 16;

/**
 * Order ids carry their product and option, so the shop can answer `orders.resolve` after a restart,
 * then 128 random bits as hex (every byte kept whole: no modulo bias).
 */
export function newOrderId(product: Product, optionIndex = 0): string {
  const random = crypto.getRandomValues(new Uint8Array(ORDER_ID_BYTES));
  const suffix = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${product.id}-${optionIndex}-${suffix}`;
}

const ORDER_ID = new RegExp(`^([a-z]+)-(\\d)-[0-9a-f]{${ORDER_ID_BYTES * 2}}$`);

/**
 * The product and option an order id stands for. A payment button lets the buyer pick another
 * option than the id's: `chosenOption` (the option id recorded on the order's payments) wins.
 */
export function productOfOrder(orderId: string, chosenOption?: unknown) {
  const match = ORDER_ID.exec(orderId);
  const product = match ? findProduct(match[1] as string) : undefined;
  const option = product?.options.find((o) => o.id === chosenOption) ?? product?.options[Number(match?.[2])];
  return product && option ? { product, option } : null;
}
