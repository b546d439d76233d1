import { type ComputedRef, computed, onMounted, ref, watch } from 'vue';
import type { AvailableBackends, ButtonConfig, ButtonOption } from '../types';
import { type BridgeAccess, fetchMethods, type PaymentButtonError, toPaymentButtonError } from './api';

export type MethodsState =
  | { state: 'loading' }
  | { state: 'ready'; methods: AvailableBackends }
  | { state: 'error'; error: PaymentButtonError };

/** What the button's props say about where to ask and for which button. */
export interface MethodsProps extends BridgeAccess {
  /** The signed token: a re-signed button may sell other amounts or currencies. */
  button: { token: string };
}

/**
 * The buyer's choice: the buying option (its index in `config.options`, the first by default), the
 * brokers the bridge offers for it (`/methods`) limited to those the signed configuration allows, in
 * the bridge's order, and the broker picked among them (the first by default). Asked in the browser
 * only (on mount, then whenever the option, the bridge or the button changes).
 */
export function useAvailableMethods(props: MethodsProps, config: ComputedRef<ButtonConfig>) {
  const optionIndex = ref(0);
  const option = computed<ButtonOption | undefined>(() => config.value.options[optionIndex.value]);
  const methods = ref<MethodsState>({ state: 'loading' });
  const backend = ref<string | null>(null);

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
  async function reload() {
    const chosen = option.value;
    if (!chosen) return;
    const current = ++generation;
    methods.value = { state: 'loading' };
    try {
      const answer = await fetchMethods(props, {
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
      if (current === generation) methods.value = { state: 'error', error: toPaymentButtonError(error) };
    }
  }

  // Not during server rendering: the browser asks, with its own URL and cookies.
  onMounted(() => void reload());
  watch([optionIndex, () => props.baseUrl, () => props.button.token], () => {
    // An option the re-signed button no longer has: back to the first (which asks again).
    if (!option.value && optionIndex.value !== 0) optionIndex.value = 0;
    else void reload();
  });

  return { optionIndex, option, methods, backend, available, unavailable, reload };
}
