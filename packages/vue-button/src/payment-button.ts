import {
  computed,
  defineComponent,
  h,
  onBeforeUnmount,
  onMounted,
  type PropType,
  ref,
  useId,
  watch,
} from 'vue';
import { fetchMethods, PaymentButtonError, startPayment } from './lib/api';
import { formatMoney, safeLocale } from './lib/format';
import { type Labels, labelsFor } from './lib/labels';
import { followRedirect } from './lib/redirect';
import { rememberPayment } from './lib/remember';
import { styles } from './lib/styles';
import { safeHref } from './lib/url';
import type { AvailableBackends, ButtonOption, FetchLike, SignedButton, StartResponse } from './types';

type MethodsState =
  | { state: 'loading' }
  | { state: 'ready'; methods: AvailableBackends }
  | { state: 'error'; error: PaymentButtonError };

const toError = (error: unknown) =>
  error instanceof Error && error.name === 'PaymentButtonError'
    ? (error as PaymentButtonError)
    : new PaymentButtonError('INTERNAL', error instanceof Error ? error.message : String(error), 0);

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
    labels: { type: Object as PropType<Partial<Labels>>, default: undefined },
    /** Defaults to the global `fetch`. */
    fetch: { type: Function as PropType<FetchLike>, default: undefined },
    /** How to follow a GET redirect; defaults to `window.location.assign`. */
    navigate: { type: Function as PropType<(url: string) => void>, default: undefined },
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
    const doFetch: FetchLike = (input, init) => (props.fetch ?? globalThis.fetch)(input, init);

    const optionIndex = ref(0);
    const option = computed<ButtonOption | undefined>(() => config.value.options[optionIndex.value]);
    const methods = ref<MethodsState>({ state: 'loading' });
    const backend = ref<string | null>(null);
    const submitting = ref(false);
    const startError = ref<PaymentButtonError | null>(null);

    // Only the brokers the signed configuration allows, in the bridge's order.
    const allowed = (backendId: string) => {
      const restrict = config.value.paymentOptions?.backends;
      return !restrict || restrict.includes(backendId);
    };
    const available = computed(() =>
      methods.value.state === 'ready' ? methods.value.methods.available.filter((b) => allowed(b.id)) : [],
    );
    const unavailable = computed(() =>
      methods.value.state === 'ready' ? methods.value.methods.unavailable.filter((b) => allowed(b.id)) : [],
    );

    let generation = 0;
    async function loadMethods() {
      const chosen = option.value;
      if (!chosen) return;
      const current = ++generation;
      methods.value = { state: 'loading' };
      try {
        const answer = await fetchMethods(doFetch, props.baseUrl, {
          currency: chosen.currency,
          amount: chosen.amount,
          recurring: Boolean(chosen.recurrence),
        });
        // A slower answer for an option the buyer already left must not overwrite the newer one.
        if (current !== generation) return;
        methods.value = { state: 'ready', methods: answer };
        const ids = available.value.map((b) => b.id);
        if (!backend.value || !ids.includes(backend.value)) backend.value = ids[0] ?? null;
      } catch (error) {
        if (current === generation) methods.value = { state: 'error', error: toError(error) };
      }
    }
    // Browsers may restore this page from the back/forward cache exactly as it was left for the
    // broker (busy, "Redirecting…"): a buyer coming back with Back must be able to pay again.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) submitting.value = false;
    };
    // Not during server rendering: the browser asks, with its own URL and cookies.
    onMounted(() => {
      window.addEventListener('pageshow', onPageShow);
      void loadMethods();
    });
    onBeforeUnmount(() => window.removeEventListener('pageshow', onPageShow));
    // A re-signed button (the cart changed) may sell other amounts or currencies: ask again.
    watch([optionIndex, () => props.baseUrl, () => props.button.token], () => {
      if (!option.value && optionIndex.value !== 0) optionIndex.value = 0;
      else void loadMethods();
    });

    async function pay() {
      const chosen = option.value;
      if (!chosen || !backend.value || submitting.value) return;
      submitting.value = true;
      startError.value = null;
      try {
        const result = await startPayment(doFetch, props.baseUrl, {
          backend: backend.value,
          button: props.button.token,
          option: chosen.id ?? optionIndex.value,
        });
        rememberPayment(result.payment.id);
        emit('started', result);
        followRedirect(result.redirect, props.navigate ?? ((url) => window.location.assign(url)));
        // Stay busy: the page is leaving for the broker.
      } catch (error) {
        submitting.value = false;
        startError.value = toError(error);
        emit('error', startError.value);
      }
    }

    const describe = (o: ButtonOption) => {
      const price = formatMoney(o.amount, o.currency, locale.value);
      const every = o.recurrence ? `, ${text.value.recurrence(o.recurrence)}` : '';
      return `${o.description} — ${price}${every}`;
    };
    const explain = (error: PaymentButtonError, prefix: string) =>
      error.code === 'NETWORK' ? text.value.networkError : `${prefix}: ${error.message} (${error.code})`;

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
          h('p', explain(state.error, text.value.methodsFailed)),
          h('button', { type: 'button', style: styles.control, onClick: loadMethods }, text.value.tryAgain),
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

    function renderBackLink() {
      const href = safeHref(config.value.backUrl);
      return href
        ? h('a', { href, class: 'pb-link pb-link-back', style: styles.link }, text.value.backToShop)
        : null;
    }

    return () =>
      h('div', { class: 'pb-payment-button', lang: locale.value, style: styles.root }, [
        renderOption(),
        renderMethods(),
        renderButton(),
        renderBackLink(),
        // Live regions exist before their text changes, or screen readers miss the change.
        h('div', { class: 'pb-status', 'aria-live': 'polite', style: styles.muted }, [
          submitting.value ? text.value.redirecting : null,
        ]),
        h('div', { class: 'pb-start-error', 'aria-live': 'assertive', style: styles.error }, [
          startError.value ? h('p', explain(startError.value, text.value.startFailed)) : null,
        ]),
      ]);
  },
});
