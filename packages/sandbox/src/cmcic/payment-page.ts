import type { SandboxClock } from '../lib/clock';
import type { DeliveryQueue } from '../lib/delivery';
import type { AliasMemory, StoredCard } from './aliases';
import { type CardDecision, decideCard, expiryInFuture, parseExpiry, TEST_CARDS, TEST_CVV } from './cards';
import { expiryMmYy, returnDate } from './encoding';
import type { OrderRequest } from './fields';
import type { MacScheme } from './mac';
import { cardPage, ERRORS, errorPage, receiptPage } from './pages';
import { type CmcicFaults, returnFields, scheduleReturn, signReturn } from './retour';

/**
 * How the bank collects a terminal's payments, set in the contract (cmcic-api.md §1): `immediate`
 * collects at payment; `deferred` authorises and the merchant captures the whole amount once;
 * `partial` allows several captures up to the amount.
 */
export type TpeMode = 'immediate' | 'deferred' | 'partial';

export interface RegisteredTpe {
  tpe: string;
  societe: string;
  scheme: MacScheme;
  retourUrl: string;
  hmacKey: Uint8Array;
  mode: TpeMode;
  /** The terminal may refund through `recredit_paiement.cgi`. */
  refunds: boolean;
}

/** The money of a paid order, as captures and refunds change it (cmcic-api.md §3, §5). */
export interface PaidOrder {
  montant: string;
  amountMinor: number;
  currency: string;
  /** `DD/MM/YYYY`: the day of the form's `date`. */
  dateCommande: string;
  numauto: string;
  capturedMinor: number;
  /** `DD/MM/YYYY` (bank time) of the last collection: the refund's `date_remise`. */
  collectedOn: string | undefined;
  refundedMinor: number;
  /** Cancelled by a zero capture: nothing more can be captured. */
  cancelled: boolean;
}

/** One reference at the bank: several sessions and attempts, paid at most once (reference §7). */
export interface OrderState {
  status: 'open' | 'paid' | 'burnt';
  attempts: number;
  payment?: PaidOrder;
}

export interface Session {
  id: string;
  tpe: RegisteredTpe;
  order: OrderRequest;
  state: OrderState;
  test: boolean;
  createdAt: number;
  ipClient: string;
  closed: boolean;
}

export interface PayInput {
  card?: string;
  expiry?: string;
  cvv?: string;
  remember?: boolean;
  /**
   * The card form as a browser posts it: an empty card number (with no stored card offered) or an empty
   * expiry is an error shown on the page, where `act()` in tests defaults to the accepted test card.
   */
  fromBrowser?: boolean;
}

export interface PageContext {
  baseUrl: string;
  clock: SandboxClock;
  queue: DeliveryQueue;
  aliases: AliasMemory;
  faults: CmcicFaults;
  timeZone: string;
  retryDelayMs: number;
  maxAttempts: number;
  sessionLifetimeMs: number;
  onReturn(session: Session, deliveries: ReturnType<typeof scheduleReturn>): void;
}

/** What a buyer's action leads to: a receipt with a link back to the merchant, or a page at the bank. */
export type ActionResult =
  | { kind: 'receipt'; accepted: boolean; url: string; html: string }
  | { kind: 'page'; status: number; html: string };

export function formatAmount(order: OrderRequest): string {
  return `${(order.amountMinor / 100).toFixed(2)} ${order.currency}`;
}

export function sessionAction(ctx: PageContext, session: Session): string {
  return `${ctx.baseUrl}/session/${session.id}`;
}

/** The stored card the page offers, unless the merchant forces a new entry (`forcesaisiecb=1`). */
function expressCard(ctx: PageContext, session: Session): StoredCard | undefined {
  const { alias, forceCardEntry } = session.order;
  if (!alias || forceCardEntry) return undefined;
  return ctx.aliases.find(session.tpe.tpe, alias);
}

export function renderCardPage(ctx: PageContext, session: Session, error?: string): string {
  return cardPage({
    action: sessionAction(ctx, session),
    amount: formatAmount(session.order),
    reference: session.order.reference,
    test: session.test,
    storedPan: expressCard(ctx, session)?.pan,
    scheme: session.tpe.scheme,
    canRemember: session.order.alias !== undefined,
    error,
    attemptsLeft: ctx.maxAttempts - session.state.attempts,
  });
}

/** Refuses actions on a page that may no longer be used (paid, burnt, expired, closed). */
function blocked(ctx: PageContext, session: Session): ActionResult | null {
  const back = session.order.urlRetour ?? session.order.urlErr;
  const page = (error: readonly [string, string]) =>
    ({ kind: 'page', status: 400, html: errorPage(error[0], error[1], [], back) }) as const;
  if (session.state.status === 'paid') return page(ERRORS.alreadyPaid);
  if (session.state.status === 'burnt') return page(ERRORS.burnt);
  if (session.closed) return page(ERRORS.closed);
  // Doc v3.0 FAQ: the buyer has 45 minutes from arrival on the page.
  if (ctx.clock.now() - session.createdAt > ctx.sessionLifetimeMs) return page(ERRORS.expired);
  return null;
}

export function cancel(ctx: PageContext, session: Session): ActionResult {
  const refusal = blocked(ctx, session);
  if (refusal) return refusal;
  // Abandoning is not a card attempt: no authorisation, so no return call.
  session.closed = true;
  const url = session.order.urlErr;
  return {
    kind: 'receipt',
    accepted: false,
    url,
    html: receiptPage({
      accepted: false,
      reference: session.order.reference,
      amount: formatAmount(session.order),
      link: url,
      retryAction: undefined,
    }),
  };
}

/** One card attempt: decide, remember the card if asked, schedule the return interface, show the receipt. */
export function pay(ctx: PageContext, session: Session, input: PayInput): ActionResult {
  const refusal = blocked(ctx, session);
  if (refusal) return refusal;
  const stored = expressCard(ctx, session);
  const typed = input.card !== undefined && input.card.trim() !== '';
  if (input.fromBrowser) {
    const missing =
      !typed && !stored
        ? 'Veuillez saisir le numéro de carte.'
        : typed && !input.expiry?.trim()
          ? 'Veuillez saisir la date de validité.'
          : null;
    if (missing) return { kind: 'page', status: 400, html: renderCardPage(ctx, session, missing) };
  }
  const pan = (typed ? (input.card as string) : (stored?.pan ?? TEST_CARDS.accepted)).replace(/[\s-]/g, '');
  let expiry: { month: number; year: number } | null;
  if (!typed && stored) expiry = { month: stored.expiryMonth, year: stored.expiryYear };
  else if (input.expiry) expiry = parseExpiry(input.expiry);
  else expiry = { month: 12, year: new Date(ctx.clock.now()).getUTCFullYear() + 2 };
  const cvv = input.cvv ?? (stored && !typed ? '' : TEST_CVV);
  const inputError = !/^\d{13,19}$/.test(pan)
    ? 'Numéro de carte incorrect.'
    : !expiry || !expiryInFuture(expiry, ctx.clock.now())
      ? 'Date de validité incorrecte.'
      : !/^\d{3,4}$/.test(cvv)
        ? 'Cryptogramme visuel manquant.'
        : null;
  if (inputError || !expiry) {
    const status = input.fromBrowser ? 400 : 200;
    return { kind: 'page', status, html: renderCardPage(ctx, session, inputError ?? undefined) };
  }

  session.state.attempts += 1;
  const decision: CardDecision = decideCard(pan, cvv);
  const accepted = decision.outcome === 'accepted';
  const { order } = session;
  // cbenregistree=1 only when the card typed in this attempt was stored under the alias (§5.1).
  const storedNow = accepted && !!order.alias && typed && !!input.remember;
  if (storedNow && order.alias) {
    ctx.aliases.remember(session.tpe.tpe, order.alias, {
      pan,
      expiryMonth: expiry.month,
      expiryYear: expiry.year,
    });
  }
  const numauto = accepted ? String(randomInt(1_000_000)).padStart(6, '0') : undefined;
  if (accepted && numauto) {
    session.state.status = 'paid';
    const today = returnDate(ctx.clock.now(), ctx.timeZone).slice(0, 10);
    const collected = session.tpe.mode === 'immediate';
    session.state.payment = {
      montant: order.montant,
      amountMinor: order.amountMinor,
      currency: order.currency,
      dateCommande: order.date.slice(0, 10),
      numauto,
      capturedMinor: collected ? order.amountMinor : 0,
      collectedOn: collected ? today : undefined,
      refundedMinor: 0,
      cancelled: false,
    };
  } else if (session.state.attempts >= ctx.maxAttempts) session.state.status = 'burnt';

  const onFile = order.alias ? ctx.aliases.find(session.tpe.tpe, order.alias) : undefined;
  const fields = returnFields({
    scheme: session.tpe.scheme,
    tpe: order.tpe,
    montant: order.montant,
    reference: order.reference,
    texteLibre: order.texteLibre,
    codeRetour: accepted ? (session.test ? 'payetest' : 'paiement') : 'Annulation',
    date: returnDate(ctx.clock.now(), ctx.timeZone),
    test: session.test,
    card: { pan, vld: expiryMmYy(expiry.month, expiry.year), cvvEntered: true },
    decision,
    numauto,
    ipClient: session.ipClient,
    montantech: order.instalments[0]?.montant,
    alias: order.alias ? { storedNow, onFile: onFile?.pan === pan } : undefined,
  });
  const extra = Object.entries(ctx.faults.extraFields ?? {});
  const signed = signReturn(
    [...fields, ...extra],
    session.tpe.scheme,
    session.tpe.hmacKey,
    !!ctx.faults.badMac,
  );
  ctx.onReturn(
    session,
    scheduleReturn({
      queue: ctx.queue,
      url: session.tpe.retourUrl,
      fields: signed,
      faults: ctx.faults,
      retryDelayMs: ctx.retryDelayMs,
    }),
  );

  const url = accepted ? order.urlOk : order.urlErr;
  const canRetry = session.state.status === 'open';
  return {
    kind: 'receipt',
    accepted,
    url,
    html: receiptPage({
      accepted,
      reference: order.reference,
      amount: formatAmount(order),
      link: url,
      retryAction: canRetry ? sessionAction(ctx, session) : undefined,
    }),
  };
}

export function randomInt(below: number): number {
  const buffer = new Uint32Array(1);
  crypto.getRandomValues(buffer);
  return (buffer[0] as number) % below;
}
