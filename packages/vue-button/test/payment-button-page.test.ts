import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaymentButton } from '../src/payment-button';
import type { ButtonConfig } from '../src/types';
import { backendsAnswer, fakeBridge } from './support/fake-bridge';

// The button as part of a page: accessibility, the back link, locales, bfcache, re-signed buttons.

const config: ButtonConfig = {
  reference: 'ORDER-9',
  language: 'en',
  options: [
    { id: 'a', description: 'Paperback', amount: 1500, currency: 'EUR' },
    {
      id: 'b',
      description: 'Club',
      amount: 300,
      currency: 'EUR',
      recurrence: { interval: 'month', every: 1 },
    },
  ],
};

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

function mountButton(buttonConfig: ButtonConfig, bridge: ReturnType<typeof fakeBridge>, token = 't1') {
  const navigate = vi.fn();
  const wrapper = mount(PaymentButton, {
    props: { baseUrl: '/payments', button: { token, config: buttonConfig }, fetch: bridge.fetch, navigate },
    attachTo: document.body,
  });
  return { wrapper, navigate };
}

const redirectingBridge = () =>
  fakeBridge({
    'GET /methods': () => backendsAnswer(['payu', 'paypal']),
    'POST /start': () => ({
      json: {
        payment: { id: 'pay_9', status: 'new', amount: 1500, currency: 'EUR' },
        redirect: { method: 'GET', url: 'https://broker.test/pay' },
      },
    }),
  });

afterEach(() => {
  document.body.innerHTML = '';
  sessionStorage.clear();
});

describe('PaymentButton on the page', () => {
  it('uses only native, named controls, so keyboards and screen readers work unaided', async () => {
    const { wrapper } = mountButton(config, redirectingBridge());
    await flushPromises();
    const root = wrapper.element as HTMLElement;

    const select = root.querySelector('select');
    expect(select).not.toBeNull();
    expect(root.querySelector(`label[for="${select?.id}"]`)?.textContent).toBe('Option');

    const radios = [...root.querySelectorAll<HTMLInputElement>('input[type=radio]')];
    expect(radios).toHaveLength(2);
    // One name: arrow keys move within the group, Tab enters and leaves it once.
    expect(new Set(radios.map((r) => r.name)).size).toBe(1);
    for (const radio of radios)
      expect(radio.closest('label')?.textContent?.trim()).toMatch(/^(PAYU|PAYPAL)$/);
    expect(radios[0]?.closest('fieldset')?.querySelector('legend')?.textContent).toBe('Pay with');

    const pay = root.querySelector<HTMLButtonElement>('button.pb-pay');
    expect(pay?.type).toBe('button');
    expect(pay?.textContent).toBe('Pay');
    // Nothing is taken out of, or forced into, the natural tab order.
    expect(root.querySelectorAll('[tabindex]')).toHaveLength(0);
    // Live regions exist before they speak.
    expect(root.querySelector('.pb-status')?.getAttribute('aria-live')).toBe('polite');
    expect(root.querySelector('.pb-start-error')?.getAttribute('aria-live')).toBe('assertive');
  });

  it('links back to the shop with the configured back URL, and never to a script URL', async () => {
    const bridge = redirectingBridge();
    const withBack = mountButton({ ...config, backUrl: 'https://shop.test/cart', language: 'fr' }, bridge);
    await flushPromises();
    const back = withBack.wrapper.find('a.pb-link-back');
    expect(back.attributes('href')).toBe('https://shop.test/cart');
    expect(back.text()).toBe('Retour à la boutique');

    const scripted = mountButton({ ...config, backUrl: 'javascript:alert(1)' }, bridge);
    await flushPromises();
    expect(scripted.wrapper.find('a.pb-link-back').exists()).toBe(false);
    expect(mountButton(config, bridge).wrapper.find('a.pb-link-back').exists()).toBe(false);
  });

  it('accepts a gettext-style or malformed language instead of crashing', async () => {
    const bridge = redirectingBridge();
    const polish = mountButton({ ...config, language: 'pl_PL' }, bridge).wrapper;
    await flushPromises();
    expect(polish.attributes('lang')).toBe('pl-PL');
    expect(polish.find('button.pb-pay').text()).toBe('Zapłać');
    expect(plain(polish.findAll('option')[0]!.text())).toBe('Paperback — 15,00 €');

    const broken = mountButton({ ...config, language: 'not a tag!' }, bridge).wrapper;
    await flushPromises();
    expect(broken.attributes('lang')).toBe('en');
    expect(broken.findAll('option')[0]!.text()).toBe('Paperback — €15.00');
  });

  it('can pay again when the browser restores the page from the back/forward cache', async () => {
    const { wrapper, navigate } = mountButton(config, redirectingBridge());
    await flushPromises();
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();
    expect(navigate).toHaveBeenCalledTimes(1);
    expect(wrapper.find('button.pb-pay').attributes('disabled')).toBeDefined();

    // A fresh load (not from the cache) changes nothing: the page is still on its way out.
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
    await flushPromises();
    expect(wrapper.find('button.pb-pay').attributes('disabled')).toBeDefined();

    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await flushPromises();
    expect(wrapper.find('button.pb-pay').attributes('disabled')).toBeUndefined();
    expect(wrapper.find('.pb-status').text()).toBe('');
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();
    expect(navigate).toHaveBeenCalledTimes(2);

    wrapper.unmount();
  });

  it('asks /methods again when the server re-signs the button with other options', async () => {
    const bridge = fakeBridge({
      'GET /methods': (call) =>
        backendsAnswer(call.url.searchParams.get('currency') === 'PLN' ? ['payu'] : ['paypal', 'cmcic']),
    });
    const { wrapper } = mountButton(config, bridge);
    await wrapper.find('select').setValue('1');
    await flushPromises();
    expect(wrapper.findAll('input[type=radio]')).toHaveLength(2);

    // The cart changed: one option now, in another currency, at index 0.
    await wrapper.setProps({
      button: {
        token: 't2',
        config: { ...config, options: [{ description: 'Bundle', amount: 9900, currency: 'PLN' }] },
      },
    });
    await flushPromises();
    expect(Object.fromEntries(bridge.calls.at(-1)!.url.searchParams)).toEqual({
      currency: 'PLN',
      amount: '9900',
      recurring: 'false',
    });
    expect(wrapper.find('select').exists()).toBe(false);
    expect(plain(wrapper.find('.pb-option').text())).toBe('Bundle — PLN 99.00');
    expect(wrapper.find('input[type=radio]').exists()).toBe(false);
    expect(wrapper.find('button.pb-pay').attributes('disabled')).toBeUndefined();
  });
});
