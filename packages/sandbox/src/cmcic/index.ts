import type { Delivery } from '../lib/delivery';
import { crossSiteRefusal, forbiddenPage } from '../lib/http-guard';
import { type BrokerSimulator, type BrowserStep, SESSION_HEADER, type SimulatorEnv } from '../lib/simulator';
import { createAliasMemory, type StoredCard } from './aliases';
import { answerBankCall, type BankOperation } from './bank-api';
import { readBrowserForm, returnDate } from './encoding';
import { checkOrderFields } from './fields';
import { operationalKey } from './key';
import { hmacSha1Hex, type MacScheme, macEquals, requestMacSource } from './mac';
import { ERRORS, errorPage } from './pages';
import {
  type ActionResult,
  cancel,
  type OrderState,
  type PageContext,
  type PaidOrder,
  type PayInput,
  pay,
  type RegisteredTpe,
  randomInt,
  renderCardPage,
  type Session,
  type TpeMode,
} from './payment-page';
import { type CmcicFaults, type ReturnCall, returnFields, scheduleReturn, signReturn } from './retour';

export type { BankOperation as CmcicBankOperation } from './bank-api';
export { TEST_CARDS, TEST_CVV } from './cards';
export { operationalKey } from './key';
export {
  hmacSha1Hex,
  legacyRequestString,
  legacyReturnString,
  type MacScheme,
  sortedFieldString,
} from './mac';

import { HTML, withOwnHeaders } from '../lib/response';

export type { PaidOrder as CmcicPaidOrder, TpeMode as CmcicTpeMode } from './payment-page';
export type { CmcicFaults, ReturnCall };

export interface CmcicTpe {
  tpe: string;
  /** The 40-character merchant key, converted as the official kits do (reference §3.1). */
  key: string;
  societe: string;
  scheme: MacScheme;
  /** The return-interface (CGI2) URL registered at the bank: not a form field. */
  retourUrl: string;
  /** How the bank collects this terminal's payments (contract setting). Default `immediate`. */
  mode?: TpeMode;
  /** Whether `recredit_paiement.cgi` may refund this terminal's payments. Default true. */
  refunds?: boolean;
}

export interface CmcicSimulatorOptions {
  tpes?: CmcicTpe[];
  faults?: CmcicFaults;
  /** Accepted `version` values (every public source sends `3.0`; "4.0" is UNCONFIRMED, §0). */
  versions?: string[];
  /** Delay before the single retry of a return call (default 0: in the same flush). */
  retryDelayMs?: number;
  /** Card attempts per reference before the order is "grillée" (doc v3.0 FAQ: 4). */
  maxAttempts?: number;
  /** Time the buyer has on the page (doc v3.0 FAQ: 45 minutes). */
  sessionLifetimeMs?: number;
  /** Time zone of the return's `date` (the bank runs on French time). */
  timeZone?: string;
}

export interface CmcicSimulator extends BrokerSimulator {
  readonly faults: CmcicFaults;
  addTpe(tpe: CmcicTpe): void;
  /** The registered terminals, as configured (test keys included: this is a sandbox). */
  tpes(): CmcicTpe[];
  act(sessionId: string, action: 'pay' | 'cancel', options?: PayInput): Promise<BrowserStep>;
  /** Every return call made, with its fields, attempts and the answers received. */
  returns(): ReturnCall[];
  /** Calls to capture_paiement.cgi and recredit_paiement.cgi, with their answers. */
  operations(): BankOperation[];
  /** Every paid order with what was captured and refunded. */
  payments(): Array<PaidOrder & { tpe: string; reference: string }>;
  /** The card stored under a customer alias (Paiement Express). */
  storedCard(tpe: string, alias: string): StoredCard | undefined;
  /** Split payment: the bank collects instalment n (2..4) of a paid order: `paiement_pfN`/`Annulation_pfN`. */
  collectInstalment(tpe: string, reference: string, n: number, options?: { refused?: boolean }): ReturnCall[];
}

export function createCmcicSimulator(env: SimulatorEnv, options: CmcicSimulatorOptions = {}): CmcicSimulator {
  const tpes = new Map<string, RegisteredTpe>();
  const sessions = new Map<string, Session>();
  const orders = new Map<string, OrderState>();
  const lastSession = new Map<string, Session>();
  const calls: Array<{ session: Session; delivery: Delivery; timeout: number | undefined }> = [];
  const faults: CmcicFaults = options.faults ?? {};
  const versions = options.versions ?? ['3.0'];
  const operations: BankOperation[] = [];

  const ctx: PageContext = {
    baseUrl: env.baseUrl,
    clock: env.clock,
    queue: env.queue,
    aliases: createAliasMemory(),
    faults,
    timeZone: options.timeZone ?? 'Europe/Paris',
    retryDelayMs: options.retryDelayMs ?? 0,
    maxAttempts: options.maxAttempts ?? 4,
    sessionLifetimeMs: options.sessionLifetimeMs ?? 45 * 60_000,
    onReturn(session, deliveries) {
      for (const delivery of deliveries) calls.push({ session, delivery, timeout: faults.ackTimeoutMs });
    },
  };

  const configured = new Map<string, CmcicTpe>();
  const addTpe = (tpe: CmcicTpe) => {
    // Convert now so a bad key fails at configuration time, not on the first payment.
    const hmacKey = operationalKey(tpe.key);
    configured.set(tpe.tpe, { ...tpe });
    tpes.set(tpe.tpe, {
      tpe: tpe.tpe,
      societe: tpe.societe,
      scheme: tpe.scheme,
      retourUrl: tpe.retourUrl,
      hmacKey,
      mode: tpe.mode ?? 'immediate',
      refunds: tpe.refunds ?? true,
    });
  };
  for (const tpe of options.tpes ?? []) addTpe(tpe);

  const html = (status: number, body: string, headers: Record<string, string> = {}) =>
    withOwnHeaders(body, status, HTML, headers);
  const fail = (error: readonly [string, string], problems: string[] = [], link?: string) =>
    html(400, errorPage(error[0], error[1], problems, link));

  async function start(request: Request, test: boolean): Promise<Response> {
    const { fields, duplicates } = await readBrowserForm(request);
    const tpe = tpes.get(fields.TPE ?? '');
    if (!tpe || fields.societe !== tpe.societe) return fail(ERRORS.unknownMerchant);
    const expected = hmacSha1Hex(tpe.hmacKey, requestMacSource(tpe.scheme, fields));
    if (!macEquals(expected, fields.MAC ?? '')) return fail(ERRORS.badMac);
    const check = checkOrderFields(fields, { scheme: tpe.scheme, versions });
    if (!check.ok || duplicates.length > 0) {
      const problems = [
        ...duplicates.map((name) => `${name}: sent twice`),
        ...(check.ok ? [] : check.problems),
      ];
      return fail(ERRORS.formInvalid, problems);
    }
    const { order } = check;
    const orderKey = `${tpe.tpe}/${order.reference}`;
    const state = orders.get(orderKey) ?? { status: 'open', attempts: 0 };
    orders.set(orderKey, state);
    const back = order.urlRetour ?? order.urlErr;
    if (state.status === 'paid') return fail(ERRORS.alreadyPaid, [], back);
    if (state.status === 'burnt') return fail(ERRORS.burnt, [], back);
    const ipClient = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || '127.0.0.1';
    const session: Session = {
      id: newSessionId(),
      tpe,
      order,
      state,
      test,
      createdAt: env.clock.now(),
      ipClient,
      closed: false,
    };
    sessions.set(session.id, session);
    lastSession.set(orderKey, session);
    return html(200, renderCardPage(ctx, session), { [SESSION_HEADER]: session.id });
  }

  function perform(session: Session, action: string, input: PayInput): ActionResult {
    return action === 'cancel' ? cancel(ctx, session) : pay(ctx, session, input);
  }

  async function onSessionPage(request: Request, id: string): Promise<Response> {
    const session = sessions.get(id);
    if (!session) return fail(ERRORS.closed);
    if (request.method === 'GET') {
      return html(200, renderCardPage(ctx, session), { [SESSION_HEADER]: session.id });
    }
    const crossSite = crossSiteRefusal(request, new URL(env.baseUrl).origin);
    if (crossSite) return forbiddenPage(crossSite);
    const { fields } = await readBrowserForm(request);
    const result = perform(session, fields.action ?? 'pay', {
      card: fields.card,
      expiry: fields.expiry,
      cvv: fields.cvv,
      remember: fields.remember === '1',
      fromBrowser: true,
    });
    if (result.kind === 'page') return html(result.status, result.html, { [SESSION_HEADER]: session.id });
    return html(200, result.html);
  }

  return {
    faults,
    addTpe,
    tpes: () => [...configured.values()].map((tpe) => ({ ...tpe })),
    async handle(request, path) {
      const cgi = /^(\/test)?\/paiement\.cgi$/.exec(path);
      if (cgi && (request.method === 'POST' || request.method === 'GET')) return start(request, !!cgi[1]);
      const api = /^(?:\/test)?\/(capture|recredit)_paiement\.cgi$/.exec(path);
      if (api) {
        if (request.method !== 'POST')
          return new Response('Method not allowed', { status: 405, headers: { allow: 'POST' } });
        const { fields, duplicates } = await readBrowserForm(request);
        const context = { tpes, orders, clock: env.clock, timeZone: ctx.timeZone, faults, log: operations };
        return answerBankCall(context, api[1] === 'capture' ? 'capture' : 'refund', fields, duplicates);
      }
      const page = /^\/session\/([A-Za-z0-9]+)$/.exec(path);
      if (page) return onSessionPage(request, page[1] as string);
      return new Response('Not found in the CM-CIC sandbox', { status: 404 });
    },
    async act(sessionId, action, input = {}) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`No CM-CIC sandbox session ${sessionId}`);
      const result = perform(session, action, input);
      return result.kind === 'receipt'
        ? { method: 'GET', url: result.url }
        : { method: 'NONE', html: result.html };
    },
    returns() {
      return calls.map(({ session, delivery, timeout }) => {
        const fields = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(delivery.call.body)));
        return {
          id: delivery.id,
          tpe: session.tpe.tpe,
          reference: session.order.reference,
          codeRetour: fields['code-retour'] ?? '',
          fields,
          body: new TextDecoder().decode(delivery.call.body),
          url: delivery.call.url,
          attempts: delivery.attempts,
          state: delivery.state,
          acknowledged: delivery.state === 'delivered',
          ackTimeoutMs: timeout,
        };
      });
    },
    operations: () => operations.map((operation) => ({ ...operation, fields: { ...operation.fields } })),
    payments: () =>
      [...orders.entries()].flatMap(([key, state]) => {
        if (!state.payment) return [];
        const [tpe = '', ...rest] = key.split('/');
        return [{ tpe, reference: rest.join('/'), ...state.payment }];
      }),
    storedCard: (tpe, alias) => ctx.aliases.find(tpe, alias),
    collectInstalment(tpe, reference, n, instalmentOptions = {}) {
      const session = lastSession.get(`${tpe}/${reference}`);
      const instalment = session?.order.instalments[n - 1];
      if (session?.state.status !== 'paid' || n < 2 || !instalment) {
        throw new Error(`No paid split order ${reference} with an instalment ${n} on TPE ${tpe}`);
      }
      const refused = !!instalmentOptions.refused;
      const before = calls.length;
      const fields = returnFields({
        scheme: session.tpe.scheme,
        tpe,
        montant: session.order.montant,
        reference,
        texteLibre: session.order.texteLibre,
        codeRetour: `${refused ? 'Annulation' : 'paiement'}_pf${n}`,
        date: returnDate(env.clock.now(), ctx.timeZone),
        test: session.test,
        card: undefined,
        decision: refused ? { outcome: 'refused', motif: 'Refus' } : { outcome: 'accepted' },
        numauto: refused ? undefined : String(randomInt(1_000_000)).padStart(6, '0'),
        ipClient: session.ipClient,
        montantech: instalment.montant,
        alias: undefined,
      });
      const signed = signReturn(fields, session.tpe.scheme, session.tpe.hmacKey, !!faults.badMac);
      ctx.onReturn(
        session,
        scheduleReturn({
          queue: env.queue,
          url: session.tpe.retourUrl,
          fields: signed,
          faults,
          retryDelayMs: ctx.retryDelayMs,
        }),
      );
      return this.returns().slice(before);
    },
  } satisfies CmcicSimulator;
}

function newSessionId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
