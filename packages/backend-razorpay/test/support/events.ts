import { createHmac } from 'node:crypto';

let counter = 0;

/** A Razorpay webhook envelope (§7.3) with each entity wrapped in `{ entity }`. */
export function eventJson(event: string, entities: Record<string, Record<string, unknown>>): string {
  return JSON.stringify({
    entity: 'event',
    account_id: 'acc_TestAccount01',
    event,
    contains: Object.keys(entities),
    payload: Object.fromEntries(Object.entries(entities).map(([name, entity]) => [name, { entity }])),
    created_at: 1_800_000_000,
  });
}

/** `X-Razorpay-Signature` computed here independently of the backend (the test's own HMAC). */
export const sign = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body, 'utf8').digest('hex');

export function signedEvent(
  url: string,
  secret: string,
  event: string,
  entities: Record<string, Record<string, unknown>>,
): Request {
  const body = eventJson(event, entities);
  counter += 1;
  return new Request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-razorpay-signature': sign(secret, body),
      'x-razorpay-event-id': `evt_Test${String(counter).padStart(10, '0')}`,
    },
    body,
  });
}
