import {
  computed,
  defineComponent,
  h,
  onBeforeUnmount,
  onMounted,
  type PropType,
  ref,
  type VNode,
} from 'vue';
import { fetchStatus, PaymentButtonError, toPaymentButtonError } from './lib/api';
import { formatMoney, safeLocale } from './lib/format';
import { explain, type Labels, labelsFor } from './lib/labels';
import { rememberedPaymentId } from './lib/remember';
import { styles } from './lib/styles';
import { safeLink } from './lib/url';
import type { FetchLike, PaymentStatusValue, PublicPaymentStatus } from './types';

export type StatusView = 'waiting' | 'accepted' | 'declined' | 'refunded' | 'timeout' | 'error';

/**
 * What the buyer should be told. `authorized` counts as accepted: the broker took the payment and
 * only the merchant's capture remains. The return itself proves nothing (DESIGN §3): only the
 * status the server derived from verified broker messages is shown.
 */
export function statusView(status: PaymentStatusValue): 'waiting' | 'accepted' | 'declined' | 'refunded' {
  switch (status) {
    case 'authorized':
    case 'paid':
    case 'partially_refunded':
      return 'accepted';
    case 'failed':
    case 'expired':
      return 'declined';
    case 'refunded':
      return 'refunded';
    default:
      return 'waiting';
  }
}

/**
 * The return page's "waiting for confirmation": polls `GET /status/:paymentId` until the payment
 * settles (or `timeout` passes), announcing each change through an `aria-live` region.
 */
export const PaymentStatus = defineComponent({
  name: 'PaymentStatus',
  props: {
    baseUrl: { type: String, required: true },
    /** Defaults to the payment the `PaymentButton` of this tab last started. */
    paymentId: String,
    language: String,
    /** Offered once accepted (defaults to the payment's success URL). */
    acceptedUrl: String,
    /** Offered once declined (defaults to the payment's failure URL). */
    declinedUrl: String,
    backUrl: String,
    /** Milliseconds between two polls. */
    pollInterval: { type: Number, default: 2000 },
    /** Stop polling after this many milliseconds and say the confirmation is late. */
    timeout: { type: Number, default: 300_000 },
    labels: Object as PropType<Partial<Labels>>,
    fetch: Function as PropType<FetchLike>,
  },
  emits: {
    settled: (_status: PublicPaymentStatus) => true,
  },
  setup(props, { emit }) {
    const text = computed(() => labelsFor(props.language, props.labels));
    const locale = computed(() => safeLocale(props.language));
    const paymentId = computed(() => props.paymentId ?? rememberedPaymentId());
    const payment = ref<PublicPaymentStatus | null>(null);
    const view = ref<StatusView>('waiting');
    const error = ref<PaymentButtonError | null>(null);

    let timer: ReturnType<typeof setTimeout> | undefined;
    let deadline = 0;
    let stopped = false;

    async function poll() {
      timer = undefined;
      const id = paymentId.value;
      if (!id) {
        view.value = 'error';
        error.value = new PaymentButtonError('UNKNOWN_PAYMENT', 'No payment to follow', 0);
        return;
      }
      try {
        const status = await fetchStatus(props, id);
        if (stopped) return;
        payment.value = status;
        error.value = null;
        view.value = statusView(status.status);
        if (view.value !== 'waiting') {
          emit('settled', status);
          return;
        }
      } catch (caught) {
        if (stopped) return;
        error.value = toPaymentButtonError(caught);
        // A 4xx will not heal by asking again (unknown payment); network trouble, 5xx, a proxy's
        // 408 or a rate limit's 429 may.
        const { status } = error.value;
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
          view.value = 'error';
          return;
        }
      }
      if (Date.now() >= deadline) {
        view.value = 'timeout';
        return;
      }
      timer = setTimeout(poll, props.pollInterval);
    }

    function restart() {
      if (timer) clearTimeout(timer);
      stopped = false;
      view.value = 'waiting';
      deadline = Date.now() + props.timeout;
      void poll();
    }

    onMounted(restart);
    onBeforeUnmount(() => {
      stopped = true;
      if (timer) clearTimeout(timer);
    });

    const message = () => {
      const t = text.value;
      switch (view.value) {
        case 'accepted':
          return h('p', { style: styles.success }, t.accepted);
        case 'declined':
          return h('p', { style: styles.error }, t.declined);
        case 'refunded':
          return h('p', t.refunded);
        case 'timeout':
          return h('p', t.stillWaiting);
        case 'error':
          // Never a network failure: those keep polling.
          return h('p', { style: styles.error }, explain(error.value!, t.statusFailed, t));
        default:
          return h('p', { style: styles.muted }, [
            t.waiting,
            error.value
              ? ` (${error.value.code === 'NETWORK' ? t.networkError : error.value.message})`
              : null,
          ]);
      }
    };

    return () => {
      const t = text.value;
      const current = payment.value;
      const links = [
        view.value === 'accepted'
          ? safeLink(props.acceptedUrl ?? current?.successUrl, t.continue, 'accepted')
          : null,
        view.value === 'declined'
          ? safeLink(props.declinedUrl ?? current?.failureUrl, t.tryAgain, 'declined')
          : null,
        view.value === 'timeout'
          ? h(
              'button',
              { type: 'button', class: 'pb-retry', style: styles.control, onClick: restart },
              t.tryAgain,
            )
          : null,
        safeLink(props.backUrl, t.backToShop, 'back'),
      ].filter((link): link is VNode => link !== null);
      return h('div', { class: 'pb-payment-status', lang: locale.value, style: styles.root }, [
        h('div', { class: 'pb-state', role: 'status', 'aria-live': 'polite', 'data-state': view.value }, [
          message(),
          current
            ? h('p', { style: styles.muted }, formatMoney(current.amount, current.currency, locale.value))
            : null,
        ]),
        // No empty flex row (and its gap) when there is nothing to offer yet.
        links.length > 0 ? h('div', { class: 'pb-links', style: styles.links }, links) : null,
      ]);
    };
  },
});
