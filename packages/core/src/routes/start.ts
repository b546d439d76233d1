import * as z from '@paybridge/core/schema';
import type { StartPaymentInput } from '../config';
import { PaybridgeError } from '../errors';
import { readBody } from '../lib/body';
import { autoSubmitForm } from '../lib/html';
import { memoized } from '../lib/memoized';
import { json, seeOther } from '../lib/responses';
import { startPayment } from '../start-payment';
import type { RouteContext } from './context';
import { publicStatus } from './status';

/**
 * What a browser may send to `POST /start` (JSON or a form). Amounts are never taken from it: only
 * the order id or the signed button decide them. A JSON number `option` is an option's index, a
 * string its id (an option without id answers to its index as a string); anything else is not read.
 * A form sends "" for a field left empty: such a text field is absent, as is one of another type.
 * Built on the first start (memoized), not when core is imported.
 */
export const startBodySchema = memoized(() => {
  const optionalText = z.optional(
    z.pipe(
      z.unknown(),
      z.transform((value) => (typeof value === 'string' && value !== '' ? value : undefined)),
    ),
  );
  return z.object(
    {
      backend: z
        .string({ error: 'backend is required' })
        .check(z.minLength(1, { error: 'backend is required' })),
      orderId: optionalText,
      button: optionalText,
      option: z.optional(
        z.pipe(
          z.unknown(),
          z.transform((value) =>
            typeof value === 'number' || typeof value === 'string' ? value : undefined,
          ),
        ),
      ),
    },
    { error: 'body must be an object' },
  );
});

export type StartBody = Pick<StartPaymentInput, 'backend' | 'orderId' | 'button' | 'option'>;

/** Lenient UTF-8 (what a browser sends is not signed): one decoder, stateless between calls. */
const decoder = new TextDecoder();

/** The body of `POST /start`, read once under `limit` bytes and checked against `startBodySchema`. */
export async function readStartBody(request: Request, limit: number): Promise<StartBody> {
  const type = request.headers.get('content-type') ?? '';
  const text = decoder.decode(await readBody(request, limit));
  let data: unknown;
  if (type.includes('application/json')) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new PaybridgeError('BAD_REQUEST', 'body is not valid JSON');
    }
  } else if (type.includes('application/x-www-form-urlencoded')) {
    data = Object.fromEntries(new URLSearchParams(text));
  } else {
    throw new PaybridgeError('UNSUPPORTED_MEDIA_TYPE', 'send JSON or a form');
  }
  const parsed = startBodySchema().safeParse(data);
  if (!parsed.success) throw new PaybridgeError('BAD_REQUEST', parsed.error.issues[0]?.message);
  const { backend, orderId, button, option } = parsed.data;
  // Only the fields sent, set one by one (spreads of optional parts cost a start several objects).
  const body: StartBody = { backend };
  if (orderId !== undefined) body.orderId = orderId;
  if (button !== undefined) body.button = button;
  if (option !== undefined) body.option = option;
  return body;
}

/**
 * `POST /start`: start a payment from the shop's page. Answers `{ payment, redirect }` to a caller
 * that accepts JSON; a browser is sent on to the broker (303, or an auto-submitting form for a POST).
 */
export async function startRoute({ runtime, request, baseUrl, clientIp }: RouteContext): Promise<Response> {
  const input = await readStartBody(request, runtime.maxBodyBytes);
  const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
  const result = await startPayment(runtime, { ...input, request, clientIp }, baseUrl);
  if (wantsJson) return json({ payment: publicStatus(result.payment), redirect: result.redirect });
  if (result.redirect.method === 'GET') return seeOther(result.redirect.url);
  return autoSubmitForm(result.redirect);
}
