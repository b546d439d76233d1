import { computed, defineComponent, h, type PropType, useId } from 'vue';
import type { PaymentButtonError } from './lib/api';
import { formatMoney, safeLocale } from './lib/format';
import { explain, type Labels, labelsFor } from './lib/labels';
import { styles } from './lib/styles';
import { safeLink } from './lib/url';
import { useAvailableMethods } from './lib/use-available-methods';
import { useStartPayment } from './lib/use-start-payment';
import type { ButtonOption, FetchLike, SignedButton, StartResponse } from './types';

/**
 * The payment button: buying option, broker choice (from the bridge's `/methods`), and the trip to
 * the broker (`POST /start`, then a GET redirect or an auto-submitted form). The amounts shown are
 * the signed configuration's; the server recomputes everything from the token, never from the page.
 */
export const PaymentButton = defineComponent({
  name: 'PaymentButton',
  props: {
    /** Where the bridge's handler is mounted, e.g. `/payments` or `https://shop.example/payments`. */
    baseUrl: { type: String, required: true },
    /** `{ token: await bridge.signButton(config), config }`, rendered by the server. */
    button: { type: Object as PropType<SignedButton>, required: true },
    /** Override any label (they default to the configuration's `language`: en, fr or pl). */
    labels: Object as PropType<Partial<Labels>>,
    /** Defaults to the global `fetch`. */
    fetch: Function as PropType<FetchLike>,
    /** How to follow a GET redirect; defaults to `window.location.assign`. */
    navigate: Function as PropType<(url: string) => void>,
  },
  emits: {
    started: (_result: StartResponse) => true,
    error: (_error: PaymentButtonError) => true,
  },
  setup(props, { emit }) {
    const id = useId();
    const config = computed(() => props.button.config);
    const text = computed(() => labelsFor(config.value.language, props.labels));
    const locale = computed(() => safeLocale(config.value.language));

    const choice = useAvailableMethods(props, config);
    const { optionIndex, methods, backend, available, unavailable, reload } = choice;
    const { submitting, startError, pay } = useStartPayment(props, choice, emit);

    const describe = (o: ButtonOption) => {
      const price = formatMoney(o.amount, o.currency, locale.value);
      const every = o.recurrence ? `, ${text.value.recurrence(o.recurrence)}` : '';
      return `${o.description} — ${price}${every}`;
    };

    function renderOption() {
      const options = config.value.options;
      if (options.length === 1) return h('p', { class: 'pb-option' }, describe(options[0]!));
      return h('div', { class: 'pb-field', style: styles.field }, [
        h('label', { for: `${id}-option` }, text.value.option),
        h(
          'select',
          {
            id: `${id}-option`,
            class: 'pb-select',
            style: styles.control,
            value: String(optionIndex.value),
            disabled: submitting.value,
            onChange: (event: Event) => {
              optionIndex.value = Number((event.target as HTMLSelectElement).value);
            },
          },
          options.map((o, index) => h('option', { value: String(index) }, describe(o))),
        ),
      ]);
    }

    function renderMethods() {
      const state = methods.value;
      if (state.state === 'loading') {
        return h('p', { class: 'pb-loading', style: styles.muted }, text.value.loadingMethods);
      }
      if (state.state === 'error') {
        return h('div', { class: 'pb-error', role: 'alert', style: styles.error }, [
          h('p', explain(state.error, text.value.methodsFailed, text.value)),
          h('button', { type: 'button', style: styles.control, onClick: reload }, text.value.tryAgain),
        ]);
      }
      if (available.value.length === 0) {
        return h('div', { class: 'pb-unavailable', role: 'alert', style: styles.error }, [
          h('p', text.value.noMethod),
          unavailable.value.length > 0 &&
            h(
              'ul',
              unavailable.value.map((b) =>
                h('li', `${b.displayName}: ${b.reasons.map((reason) => reason.message).join('; ')}`),
              ),
            ),
        ]);
      }
      // One broker fits: nothing to choose, the button pays with it.
      if (available.value.length === 1) return null;
      return h('fieldset', { class: 'pb-backends', style: styles.fieldset }, [
        h('legend', text.value.payWith),
        ...available.value.map((b) =>
          h('label', { class: 'pb-backend' }, [
            h('input', {
              type: 'radio',
              name: `${id}-backend`,
              value: b.id,
              checked: backend.value === b.id,
              disabled: submitting.value,
              onChange: () => {
                backend.value = b.id;
              },
            }),
            ` ${b.displayName}`,
          ]),
        ),
      ]);
    }

    function renderButton() {
      const { imageUrl, text: buttonText } = config.value;
      const label = buttonText ?? text.value.pay;
      const ready = methods.value.state === 'ready' && backend.value !== null;
      return h(
        'button',
        {
          type: 'button',
          class: 'pb-pay',
          style: imageUrl ? styles.imageButton : styles.button,
          disabled: !ready || submitting.value,
          'aria-busy': submitting.value ? 'true' : undefined,
          onClick: pay,
        },
        imageUrl ? h('img', { src: imageUrl, alt: label }) : label,
      );
    }

    return () =>
      h('div', { class: 'pb-payment-button', lang: locale.value, style: styles.root }, [
        renderOption(),
        renderMethods(),
        renderButton(),
        safeLink(config.value.backUrl, text.value.backToShop, 'back'),
        // Live regions exist before their text changes, or screen readers miss the change.
        h('div', { class: 'pb-status', 'aria-live': 'polite', style: styles.muted }, [
          submitting.value ? text.value.redirecting : null,
        ]),
        h('div', { class: 'pb-start-error', 'aria-live': 'assertive', style: styles.error }, [
          startError.value ? h('p', explain(startError.value, text.value.startFailed, text.value)) : null,
        ]),
      ]);
  },
});
