import { createPaybridge, silentLogger } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaymentButton } from '../src/payment-button';
import { PaymentStatus } from '../src/payment-status';
import type { ButtonConfig, FetchLike } from '../src/types';

const SHOP = 'https://shop.example';

afterEach(() => {
  sessionStorage.clear();
});

// The components against the real core handler (no fake), so the wire shapes cannot drift apart.
describe('PaymentButton and PaymentStatus with a real bridge', () => {
  it('buys through the dummy broker and shows the confirmation on return', async () => {
    const bridge = createPaybridge({
      baseUrl: `${SHOP}/payments`,
      backends: [dummy({ signingKey: 'k'.repeat(32) })],
      secret: 's'.repeat(40),
      logger: silentLogger,
    });
    const config: ButtonConfig = {
      reference: 'ORDER-7',
      language: 'en',
      options: [
        { id: 'ebook', description: 'E-book', amount: 1999, currency: 'EUR' },
        {
          id: 'club',
          description: 'Reading club',
          amount: 500,
          currency: 'EUR',
          recurrence: { interval: 'month', every: 1 },
        },
      ],
      acceptedUrl: `${SHOP}/thanks`,
      declinedUrl: `${SHOP}/cart`,
    };
    const token = await bridge.signButton(config);
    const fetch: FetchLike = (input, init) => bridge.handler(new Request(new URL(input, SHOP), init));
    const navigate = vi.fn();

    const button = mount(PaymentButton, {
      props: { baseUrl: '/payments', button: { token, config }, fetch, navigate },
    });
    await vi.waitFor(() => expect(button.find('button.pb-pay').attributes('disabled')).toBeUndefined());
    // The dummy broker cannot do subscriptions: the bridge says why, the button shows it.
    await button.find('select').setValue('1');
    await vi.waitFor(() => expect(button.find('.pb-unavailable li').text()).toMatch(/^Dummy: .+/));
    expect(button.find('button.pb-pay').attributes('disabled')).toBeDefined();

    await button.find('select').setValue('0');
    await vi.waitFor(() => expect(button.find('button.pb-pay').attributes('disabled')).toBeUndefined());
    expect(button.find('input[type=radio]').exists()).toBe(false);
    await button.find('button.pb-pay').trigger('click');
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledTimes(1));
    expect(button.find('.pb-start-error').text()).toBe('');
    const hostedPage = navigate.mock.calls[0]![0] as string;
    const paymentId = /\/payments\/backend\/dummy\/pay\/([^/]+)$/.exec(hostedPage)?.[1];
    expect(paymentId).toBeDefined();
    const payment = await bridge.getPayment(paymentId!);
    expect(payment).toMatchObject({ amount: 1999, currency: 'EUR', orderId: 'ORDER-7', status: 'new' });

    const status = mount(PaymentStatus, { props: { baseUrl: '/payments', fetch, pollInterval: 20 } });
    await vi.waitFor(() => expect(status.find('.pb-state').text()).toContain('€19.99'));
    expect(status.find('.pb-state').attributes('data-state')).toBe('waiting');

    // The buyer pays on the dummy broker's hosted page.
    const paid = await bridge.handler(
      new Request(hostedPage, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'action=pay',
      }),
    );
    expect(paid.status).toBe(303);
    await vi.waitFor(() => expect(status.find('.pb-state').attributes('data-state')).toBe('accepted'));
    expect(status.find('.pb-link-accepted').attributes('href')).toBe(`${SHOP}/thanks`);
    status.unmount();
  });
});
