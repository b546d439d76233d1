export { PaymentButtonError } from './lib/api';
export { formatMoney } from './lib/format';
export { type Labels, type Language, labelsFor } from './lib/labels';
export { rememberedPaymentId } from './lib/remember';
export { PaymentButton } from './payment-button';
export { PaymentStatus, type StatusView, statusView } from './payment-status';
export type * from './types';
