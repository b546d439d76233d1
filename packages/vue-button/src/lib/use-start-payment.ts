import { type ComputedRef, onBeforeUnmount, onMounted, type Ref, ref } from 'vue';
import type { ButtonOption, StartResponse } from '../types';
import { type BridgeAccess, type PaymentButtonError, startPayment, toPaymentButtonError } from './api';
import { followRedirect } from './redirect';
import { rememberPayment } from './remember';

/** What the button's props say about where to start and how to leave for the broker. */
export interface StartProps extends BridgeAccess {
  button: { token: string };
  /** How to follow a GET redirect (default `window.location.assign`). */
  navigate?: ((url: string) => void) | undefined;
}

/** The buyer's choice (useAvailableMethods): the option (and its index, sent when it has no `id`) and the broker. */
export interface StartSelection {
  option: ComputedRef<ButtonOption | undefined>;
  optionIndex: Ref<number>;
  backend: Ref<string | null>;
}

export interface StartEmit {
  (event: 'started', result: StartResponse): void;
  (event: 'error', error: PaymentButtonError): void;
}

/**
 * The trip to the broker: `POST /start` with the signed token, the chosen option and broker, then the
 * broker's redirect or auto-submitted form. `submitting` stays true while the page leaves (one start per
 * click), and falls back when the browser restores the page from its back/forward cache.
 */
export function useStartPayment(props: StartProps, selection: StartSelection, emit: StartEmit) {
  const submitting = ref(false);
  const startError = ref<PaymentButtonError | null>(null);

  // Browsers may restore this page from the back/forward cache exactly as it was left for the
  // broker (busy, "Redirecting…"): a buyer coming back with Back must be able to pay again.
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) submitting.value = false;
  };
  onMounted(() => window.addEventListener('pageshow', onPageShow));
  onBeforeUnmount(() => window.removeEventListener('pageshow', onPageShow));

  const { option, optionIndex, backend } = selection;
  async function pay() {
    const chosen = option.value;
    if (!chosen || !backend.value || submitting.value) return;
    submitting.value = true;
    startError.value = null;
    try {
      const result = await startPayment(props, {
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
      startError.value = toPaymentButtonError(error);
      emit('error', startError.value);
    }
  }

  return { submitting, startError, pay };
}
