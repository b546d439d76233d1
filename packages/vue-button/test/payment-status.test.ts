import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rememberPayment } from '../src/lib/remember';
import { PaymentStatus } from '../src/payment-status';
import type { PaymentStatusValue, PublicPaymentStatus } from '../src/types';
import { fakeBridge } from './support/fake-bridge';

const status = (value: PaymentStatusValue, settled = false): { json: PublicPaymentStatus } => ({
  json: {
    id: 'pay_1',
    status: value,
    amount: 1999,
    currency: 'EUR',
    settled,
    successUrl: 'https://shop.test/thanks',
    failureUrl: 'https://shop.test/retry',
  },
});

/** Answers the given statuses in turn, repeating the last one. */
function sequence(...answers: Array<ReturnType<typeof status> | { status: number; json: unknown } | Error>) {
  let index = 0;
  return fakeBridge({ 'GET /status/:id': () => answers[Math.min(index++, answers.length - 1)]! });
}

async function tick(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await flushPromises();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
  sessionStorage.clear();
});

describe('PaymentStatus', () => {
  it('polls while pending, then announces acceptance and offers the accepted URL', async () => {
    const bridge = sequence(status('new'), status('pending'), status('paid', true));
    const wrapper = mount(PaymentStatus, {
      props: { baseUrl: '/payments', paymentId: 'pay_1', fetch: bridge.fetch, backUrl: 'https://shop.test/' },
    });
    await flushPromises();
    const region = wrapper.find('.pb-state');
    expect(region.attributes('aria-live')).toBe('polite');
    expect(region.attributes('role')).toBe('status');
    expect(region.attributes('data-state')).toBe('waiting');
    expect(region.text()).toContain('Waiting for the payment confirmation…');
    expect(bridge.calls[0]!.url.pathname).toBe('/payments/status/pay_1');
    expect(wrapper.find('.pb-link-accepted').exists()).toBe(false);
    expect(wrapper.find('.pb-link-back').attributes('href')).toBe('https://shop.test/');

    await tick(2000);
    expect(bridge.calls).toHaveLength(2);
    expect(region.attributes('data-state')).toBe('waiting');

    await tick(2000);
    expect(region.attributes('data-state')).toBe('accepted');
    expect(region.text()).toContain('Payment accepted. Thank you!');
    expect(region.text()).toContain('€19.99');
    expect(wrapper.find('.pb-link-accepted').attributes('href')).toBe('https://shop.test/thanks');
    expect(wrapper.emitted('settled')?.[0]?.[0]).toMatchObject({ status: 'paid' });

    await tick(20_000);
    expect(bridge.calls).toHaveLength(3);
  });

  it('renders no empty links row while there is nothing to offer', async () => {
    const bridge = sequence(status('pending'), status('paid', true));
    const wrapper = mount(PaymentStatus, {
      props: { baseUrl: '/payments', paymentId: 'pay_1', fetch: bridge.fetch },
    });
    await flushPromises();
    expect(wrapper.find('.pb-links').exists()).toBe(false);
    await tick(2000);
    expect(wrapper.find('.pb-links .pb-link-accepted').exists()).toBe(true);
  });

  it('announces a decline with the configured declined URL, in Polish', async () => {
    const bridge = sequence(status('failed', true));
    const wrapper = mount(PaymentStatus, {
      props: {
        baseUrl: '/payments',
        paymentId: 'pay_1',
        language: 'pl',
        declinedUrl: 'https://shop.test/koszyk',
        fetch: bridge.fetch,
      },
    });
    await flushPromises();
    expect(wrapper.find('.pb-state').text()).toContain('Płatność odrzucona.');
    const retry = wrapper.find('.pb-link-declined');
    expect(retry.text()).toBe('Spróbuj ponownie');
    expect(retry.attributes('href')).toBe('https://shop.test/koszyk');
  });

  it('stops on an unknown payment and shows the server’s error', async () => {
    const bridge = sequence({
      status: 404,
      json: { error: { code: 'UNKNOWN_PAYMENT', message: 'Unknown payment' } },
    });
    const wrapper = mount(PaymentStatus, {
      props: { baseUrl: '/payments', paymentId: 'nope', fetch: bridge.fetch },
    });
    await flushPromises();
    expect(wrapper.find('.pb-state').attributes('data-state')).toBe('error');
    expect(wrapper.find('.pb-state').text()).toContain(
      'The payment status could not be read: Unknown payment (UNKNOWN_PAYMENT)',
    );
    await tick(10_000);
    expect(bridge.calls).toHaveLength(1);
  });

  it('keeps polling through network trouble and server errors', async () => {
    const bridge = sequence(
      new TypeError('Failed to fetch'),
      { status: 503, json: { error: { code: 'STORE_UNAVAILABLE', message: 'The payment store failed' } } },
      status('authorized'),
    );
    const wrapper = mount(PaymentStatus, {
      props: { baseUrl: '/payments', paymentId: 'pay_1', fetch: bridge.fetch },
    });
    await flushPromises();
    expect(wrapper.find('.pb-state').text()).toContain('cannot be reached');
    await tick(2000);
    expect(wrapper.find('.pb-state').text()).toContain('The payment store failed');
    await tick(2000);
    expect(wrapper.find('.pb-state').attributes('data-state')).toBe('accepted');
  });

  it('keeps polling through a proxy timeout (408) and a rate limit (429)', async () => {
    const bridge = sequence(
      { status: 429, json: { error: { code: 'RATE_LIMITED', message: 'Slow down' } } },
      { status: 408, json: null },
      status('paid', true),
    );
    const wrapper = mount(PaymentStatus, {
      props: { baseUrl: '/payments', paymentId: 'pay_1', fetch: bridge.fetch },
    });
    await flushPromises();
    expect(wrapper.find('.pb-state').attributes('data-state')).toBe('waiting');
    expect(wrapper.find('.pb-state').text()).toContain('Slow down');
    await tick(2000);
    expect(wrapper.find('.pb-state').attributes('data-state')).toBe('waiting');
    await tick(2000);
    expect(wrapper.find('.pb-state').attributes('data-state')).toBe('accepted');
    expect(bridge.calls).toHaveLength(3);
  });

  it('renders only http(s) links and survives a malformed language', async () => {
    const bridge = sequence({ json: { ...status('failed', true).json, failureUrl: 'javascript:alert(1)' } });
    const wrapper = mount(PaymentStatus, {
      props: {
        baseUrl: '/payments',
        paymentId: 'pay_1',
        language: 'fr_FR',
        backUrl: 'JavaScript:alert(2)',
        fetch: bridge.fetch,
      },
    });
    await flushPromises();
    expect(wrapper.attributes('lang')).toBe('fr-FR');
    expect(wrapper.find('.pb-state').text()).toContain('Paiement refusé.');
    expect(
      wrapper
        .find('.pb-state')
        .text()
        .replace(/[\u00a0\u202f]/g, ' '),
    ).toContain('19,99 €');
    expect(wrapper.find('.pb-link-declined').exists()).toBe(false);
    expect(wrapper.find('.pb-link-back').exists()).toBe(false);
  });

  it('says the confirmation is late after the timeout, and can check again', async () => {
    const bridge = sequence(status('pending'));
    const wrapper = mount(PaymentStatus, {
      props: {
        baseUrl: '/payments',
        paymentId: 'pay_1',
        fetch: bridge.fetch,
        pollInterval: 1000,
        timeout: 5000,
      },
    });
    await tick(6000);
    expect(wrapper.find('.pb-state').attributes('data-state')).toBe('timeout');
    expect(wrapper.find('.pb-state').text()).toContain('taking longer than usual');
    const polls = bridge.calls.length;
    expect(polls).toBe(6);
    await tick(10_000);
    expect(bridge.calls).toHaveLength(polls);

    await wrapper.find('button.pb-retry').trigger('click');
    await flushPromises();
    expect(bridge.calls).toHaveLength(polls + 1);
    expect(wrapper.find('.pb-state').attributes('data-state')).toBe('waiting');
  });

  it('follows the payment the button remembered and stops polling when unmounted', async () => {
    rememberPayment('pay_remembered');
    const bridge = sequence(status('pending'));
    const wrapper = mount(PaymentStatus, {
      props: { baseUrl: 'https://shop.test/payments/', fetch: bridge.fetch },
    });
    await flushPromises();
    expect(bridge.calls[0]!.url.href).toBe('https://shop.test/payments/status/pay_remembered');
    wrapper.unmount();
    await tick(10_000);
    expect(bridge.calls).toHaveLength(1);
  });

  it('says so when there is no payment to follow', async () => {
    const bridge = sequence(status('pending'));
    const wrapper = mount(PaymentStatus, {
      props: { baseUrl: '/payments', fetch: bridge.fetch, language: 'fr' },
    });
    await flushPromises();
    expect(wrapper.find('.pb-state').text()).toContain('L’état du paiement n’a pas pu être lu');
    expect(bridge.calls).toHaveLength(0);
  });
});
