import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rememberedPaymentId } from '../src/lib/remember';
import { PaymentButton } from '../src/payment-button';
import type { ButtonConfig, StartResponse } from '../src/types';
import { backendsAnswer, fakeBridge } from './support/fake-bridge';

const oneOption: ButtonConfig = {
  reference: 'ORDER-42',
  language: 'en',
  options: [{ id: 'ebook', description: 'E-book', amount: 1999, currency: 'EUR' }],
};

const threeOptions: ButtonConfig = {
  reference: 'SUB-1',
  language: 'en',
  options: [
    { description: 'One month', amount: 500, currency: 'EUR' },
    { description: 'Quarterly', amount: 1400, currency: 'PLN', recurrence: { interval: 'month', every: 3 } },
    { id: 'year', description: 'One year', amount: 5000, currency: 'USD' },
  ],
};

const started = (redirect: StartResponse['redirect']): { json: StartResponse } => ({
  json: { payment: { id: 'pay_123', status: 'new', amount: 1999, currency: 'EUR' }, redirect },
});

function mountButton(config: ButtonConfig, bridge: ReturnType<typeof fakeBridge>, extra = {}) {
  const navigate = vi.fn();
  const wrapper = mount(PaymentButton, {
    props: {
      baseUrl: '/payments',
      button: { token: 'signed.token', config },
      fetch: bridge.fetch,
      navigate,
      ...extra,
    },
    attachTo: document.body,
  });
  return { wrapper, navigate };
}

// Intl separates amount and currency with (narrow) no-break spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

afterEach(() => {
  document.body.innerHTML = '';
  sessionStorage.clear();
  vi.restoreAllMocks();
});

describe('PaymentButton', () => {
  it('with one option and one broker shows no choice and starts a GET redirect', async () => {
    const bridge = fakeBridge({
      'GET /methods': () => backendsAnswer(['payu']),
      'POST /start': () => started({ method: 'GET', url: 'https://broker.test/pay?id=1' }),
    });
    const { wrapper, navigate } = mountButton(oneOption, bridge);
    await flushPromises();

    expect(wrapper.find('select').exists()).toBe(false);
    expect(wrapper.find('input[type=radio]').exists()).toBe(false);
    expect(wrapper.find('.pb-option').text()).toBe('E-book — €19.99');
    const methods = bridge.calls[0]!;
    expect(methods.url.pathname).toBe('/payments/methods');
    expect(Object.fromEntries(methods.url.searchParams)).toEqual({
      currency: 'EUR',
      amount: '1999',
      recurring: 'false',
    });

    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();

    const start = bridge.calls[1]!;
    expect(start.method).toBe('POST');
    expect(start.url.pathname).toBe('/payments/start');
    expect(start.headers.get('accept')).toBe('application/json');
    expect(start.headers.get('content-type')).toBe('application/json');
    expect(start.body).toEqual({ backend: 'payu', button: 'signed.token', option: 'ebook' });
    expect(navigate).toHaveBeenCalledWith('https://broker.test/pay?id=1');
    expect(wrapper.emitted('started')?.[0]?.[0]).toMatchObject({ payment: { id: 'pay_123' } });
    expect(rememberedPaymentId()).toBe('pay_123');
    expect(wrapper.find('button.pb-pay').attributes('aria-busy')).toBe('true');
    expect(wrapper.find('.pb-status').text()).toBe('Redirecting to the payment page…');
  });

  it('offers a labelled drop-down for several options and asks /methods for the chosen one', async () => {
    const bridge = fakeBridge({
      'GET /methods': (call) =>
        call.url.searchParams.get('recurring') === 'true'
          ? backendsAnswer(['payu', 'paypal'], { cmcic: 'Recurring payments are not supported' })
          : backendsAnswer(['cmcic']),
      'POST /start': () => started({ method: 'GET', url: 'https://broker.test/' }),
    });
    const { wrapper } = mountButton(threeOptions, bridge);
    await flushPromises();

    const select = wrapper.find('select');
    const label = wrapper.find('label');
    expect(label.text()).toBe('Option');
    expect(label.attributes('for')).toBe(select.attributes('id'));
    expect(select.findAll('option').map((o) => plain(o.text()))).toEqual([
      'One month — €5.00',
      'Quarterly — PLN 14.00, every 3 months',
      'One year — $50.00',
    ]);
    expect(wrapper.find('input[type=radio]').exists()).toBe(false);

    await select.setValue('1');
    await flushPromises();
    expect(Object.fromEntries(bridge.calls.at(-1)!.url.searchParams)).toEqual({
      currency: 'PLN',
      amount: '1400',
      recurring: 'true',
    });
    const radios = wrapper.findAll('input[type=radio]');
    expect(radios.map((r) => r.attributes('value'))).toEqual(['payu', 'paypal']);
    expect(wrapper.find('legend').text()).toBe('Pay with');
    expect((radios[0]!.element as HTMLInputElement).checked).toBe(true);

    await radios[1]!.setValue(true);
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();
    // Options without an id are sent by index.
    expect(bridge.calls.at(-1)!.body).toEqual({ backend: 'paypal', button: 'signed.token', option: 1 });
  });

  it('keeps only the brokers the signed configuration allows', async () => {
    const bridge = fakeBridge({ 'GET /methods': () => backendsAnswer(['payu', 'paypal', 'cmcic']) });
    const { wrapper } = mountButton(
      { ...oneOption, paymentOptions: { backends: ['paypal', 'cmcic'] } },
      bridge,
    );
    await flushPromises();
    expect(wrapper.findAll('input[type=radio]').map((r) => r.attributes('value'))).toEqual([
      'paypal',
      'cmcic',
    ]);
  });

  it('explains why no broker fits and keeps the button disabled', async () => {
    const bridge = fakeBridge({
      'GET /methods': () =>
        backendsAnswer([], { paypal: 'PayPal does not accept JPY here', payu: 'Currency not supported' }),
    });
    const { wrapper } = mountButton({ ...oneOption, paymentOptions: { backends: ['paypal'] } }, bridge);
    await flushPromises();
    const box = wrapper.find('.pb-unavailable');
    expect(box.attributes('role')).toBe('alert');
    expect(box.text()).toContain('No payment method is available for this purchase.');
    expect(box.findAll('li').map((li) => li.text())).toEqual(['PAYPAL: PayPal does not accept JPY here']);
    expect(wrapper.find('button.pb-pay').attributes('disabled')).toBeDefined();
  });

  it('builds and submits a hidden POST form for form-based brokers', async () => {
    const submit = vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(() => {});
    const bridge = fakeBridge({
      'GET /methods': () => backendsAnswer(['cmcic']),
      'POST /start': () =>
        started({
          method: 'POST',
          url: 'https://broker.test/paiement.cgi',
          fields: { TPE: '1234567', MAC: 'ABCDEF', texte_libre: 'a "quoted" & <tagged> value' },
        }),
    });
    const { wrapper, navigate } = mountButton(oneOption, bridge);
    await flushPromises();
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();

    expect(navigate).not.toHaveBeenCalled();
    expect(submit).toHaveBeenCalledTimes(1);
    const form = submit.mock.contexts[0] as HTMLFormElement;
    expect(form.isConnected).toBe(true);
    expect(form.method).toBe('post');
    expect(form.action).toBe('https://broker.test/paiement.cgi');
    expect(form.hidden).toBe(true);
    const fields = [...form.querySelectorAll('input')].map((i) => [i.type, i.name, i.value]);
    expect(fields).toEqual([
      ['hidden', 'TPE', '1234567'],
      ['hidden', 'MAC', 'ABCDEF'],
      ['hidden', 'texte_libre', 'a "quoted" & <tagged> value'],
    ]);
  });

  it('shows the server’s error clearly and lets the buyer try again', async () => {
    let fail = true;
    const bridge = fakeBridge({
      'GET /methods': () => backendsAnswer(['payu']),
      'POST /start': () =>
        fail
          ? {
              status: 400,
              json: { error: { code: 'INVALID_BUTTON', message: 'Invalid or tampered payment button' } },
            }
          : started({ method: 'GET', url: 'https://broker.test/ok' }),
    });
    const { wrapper, navigate } = mountButton(oneOption, bridge);
    await flushPromises();
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();

    const region = wrapper.find('.pb-start-error');
    expect(region.attributes('aria-live')).toBe('assertive');
    expect(region.text()).toBe(
      'The payment could not be started: Invalid or tampered payment button (INVALID_BUTTON)',
    );
    expect(wrapper.emitted('error')?.[0]?.[0]).toMatchObject({ code: 'INVALID_BUTTON', status: 400 });
    expect(navigate).not.toHaveBeenCalled();
    expect(wrapper.find('button.pb-pay').attributes('disabled')).toBeUndefined();

    fail = false;
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();
    expect(region.text()).toBe('');
    expect(navigate).toHaveBeenCalledWith('https://broker.test/ok');
  });

  it('reports a non-JSON failure and an unreachable server', async () => {
    const bridge = fakeBridge({
      'GET /methods': () => new TypeError('Failed to fetch'),
      'POST /start': () => ({ status: 502, body: '<html>Bad gateway</html>' }),
    });
    const { wrapper } = mountButton(oneOption, bridge);
    await flushPromises();
    expect(wrapper.find('.pb-error').text()).toContain(
      'The payment service cannot be reached. Please try again.',
    );
    expect(wrapper.find('button.pb-pay').attributes('disabled')).toBeDefined();

    const retried = fakeBridge({
      'GET /methods': () => backendsAnswer(['payu']),
      'POST /start': () => ({ status: 502, body: '<html>Bad gateway</html>' }),
    });
    await wrapper.setProps({ fetch: retried.fetch });
    await wrapper.find('.pb-error button').trigger('click');
    await flushPromises();
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();
    expect(wrapper.find('.pb-start-error').text()).toBe(
      'The payment could not be started: HTTP 502 (BAD_RESPONSE)',
    );
  });

  it('refuses to follow a non-http redirect', async () => {
    const bridge = fakeBridge({
      'GET /methods': () => backendsAnswer(['payu']),
      'POST /start': () => started({ method: 'GET', url: 'javascript:alert(1)' }),
    });
    const { wrapper, navigate } = mountButton(oneOption, bridge);
    await flushPromises();
    await wrapper.find('button.pb-pay').trigger('click');
    await flushPromises();
    expect(navigate).not.toHaveBeenCalled();
    expect(wrapper.find('.pb-start-error').text()).toContain('javascript:');
  });

  it('ignores a late /methods answer for an option the buyer already left', async () => {
    let releaseFirst: () => void = () => {};
    const bridge = fakeBridge({
      'GET /methods': (call) =>
        call.url.searchParams.get('currency') === 'EUR'
          ? new Promise((resolve) => {
              releaseFirst = () => resolve(backendsAnswer(['slow-eur']));
            })
          : backendsAnswer(['pln-a', 'pln-b']),
    });
    const { wrapper } = mountButton(threeOptions, bridge);
    await wrapper.find('select').setValue('1');
    await flushPromises();
    releaseFirst();
    await flushPromises();
    expect(wrapper.findAll('input[type=radio]').map((r) => r.attributes('value'))).toEqual([
      'pln-a',
      'pln-b',
    ]);
  });

  it('speaks French and Polish, and uses the button text as alt text of an image', async () => {
    const bridge = fakeBridge({ 'GET /methods': () => backendsAnswer(['a', 'b']) });
    const fr = mountButton(
      {
        ...threeOptions,
        language: 'fr-FR',
        imageUrl: 'https://shop.test/pay.png',
        text: 'Acheter maintenant',
      },
      bridge,
    ).wrapper;
    await flushPromises();
    expect(fr.find('legend').text()).toBe('Payer avec');
    expect(plain(fr.findAll('option')[1]!.text())).toBe('Quarterly — 14,00 PLN, tous les 3 mois');
    const img = fr.find('button.pb-pay img');
    expect(img.attributes('src')).toBe('https://shop.test/pay.png');
    expect(img.attributes('alt')).toBe('Acheter maintenant');

    const pl = mountButton({ ...threeOptions, language: 'pl' }, bridge).wrapper;
    await flushPromises();
    expect(pl.find('button.pb-pay').text()).toBe('Zapłać');
    expect(plain(pl.findAll('option')[1]!.text())).toBe('Quarterly — 14,00 zł, co 3 miesiące');
  });
});

describe('PaymentButton server-side rendering', () => {
  it('renders without fetching, leaving /methods to the browser', async () => {
    const { renderToString } = await import('vue/server-renderer');
    const { createSSRApp, h } = await import('vue');
    const bridge = fakeBridge({ 'GET /methods': () => backendsAnswer(['payu']) });
    const html = await renderToString(
      createSSRApp({
        render: () =>
          h(PaymentButton, {
            baseUrl: '/payments',
            button: { token: 't', config: threeOptions },
            fetch: bridge.fetch,
          }),
      }),
    );
    expect(bridge.calls).toHaveLength(0);
    expect(html).toContain('<select');
    expect(html).toContain('Loading payment methods…');
  });
});
