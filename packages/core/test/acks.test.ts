import { describe, expect, it } from 'vitest';
import type { AckResponse, NotificationOutcome } from '../src/backend';
import { jsonAck, jsonAcks, malformedNotification, textAck } from '../src/kit';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';
import { BASE, fakeBroker } from './support/pipeline';

/** The broker's view: status, content type and the exact bytes of the body. */
async function brokerGets(outcome: NotificationOutcome) {
  const bridge = createPaybridge({
    baseUrl: BASE,
    // The fake broker, answering every notification with `outcome`: what the broker gets is its ack.
    backends: [{ ...fakeBroker(), handleNotification: async () => outcome }],
    store: memoryStore(),
    logger: silentLogger,
    orders: { resolve: () => null },
  });
  const response = await bridge.handler(new Request(`${BASE}/notify/fake`, { method: 'POST', body: '{}' }));
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: new TextDecoder().decode(await response.arrayBuffer()),
  };
}

const verified = (ack: AckResponse): NotificationOutcome => ({
  verdict: 'verified',
  updates: [],
  ack,
});

describe('jsonAck and textAck', () => {
  it('reach the broker as exactly the status, content type and bytes given', async () => {
    expect(await brokerGets(verified(jsonAck(200, { received: true })))).toEqual({
      status: 200,
      type: 'application/json',
      body: '{"received":true}',
    });
    expect(await brokerGets(verified(textAck(200, 'OK')))).toEqual({
      status: 200,
      type: 'text/plain',
      body: 'OK',
    });
    expect(await brokerGets(verified(textAck(403, 'FORBIDDEN')))).toEqual({
      status: 403,
      type: 'text/plain',
      body: 'FORBIDDEN',
    });
  });

  it('give every answer a headers object of its own, so a constant ack is never shared', () => {
    const first = jsonAck(200, { status: 'ok' });
    const second = jsonAck(200, { status: 'ok' });
    expect(first).toEqual(second);
    expect(first.headers).not.toBe(second.headers);
    expect(textAck(400, 'x').headers).not.toBe(textAck(400, 'x').headers);
  });
});

describe('malformedNotification', () => {
  it('refuses as MALFORMED_NOTIFICATION with the message, answered with the ack given', async () => {
    const outcome = malformedNotification('not JSON', textAck(400, 'MALFORMED'));
    expect(outcome).toEqual({
      verdict: 'rejected',
      code: 'MALFORMED_NOTIFICATION',
      message: 'not JSON',
      ack: { status: 400, headers: { 'content-type': 'text/plain' }, body: 'MALFORMED' },
    });
    expect(await brokerGets(outcome)).toEqual({ status: 400, type: 'text/plain', body: 'MALFORMED' });
  });
});

describe('jsonAcks', () => {
  const acks = jsonAcks({ received: true });

  it('answers 200 with the broker’s body, 400 {"error":reason} when refusing, 503 to be redelivered', async () => {
    expect(await brokerGets(verified(acks.OK))).toEqual({
      status: 200,
      type: 'application/json',
      body: '{"received":true}',
    });
    expect(await brokerGets(verified(acks.refuse('signature')))).toEqual({
      status: 400,
      type: 'application/json',
      body: '{"error":"signature"}',
    });
    expect(await brokerGets({ verdict: 'retry', message: 'lookup failed', ack: acks.RETRY })).toEqual({
      status: 503,
      type: 'application/json',
      body: '{"error":"retry"}',
    });
  });

  it('refuses an unreadable message as malformed, answered 400 {"error":"malformed"}', async () => {
    const outcome = acks.malformed('The webhook body is not JSON');
    expect(outcome).toMatchObject({
      verdict: 'rejected',
      code: 'MALFORMED_NOTIFICATION',
      message: 'The webhook body is not JSON',
    });
    expect(await brokerGets(outcome)).toEqual({
      status: 400,
      type: 'application/json',
      body: '{"error":"malformed"}',
    });
  });

  it('keeps each broker’s OK body apart', () => {
    expect(jsonAcks({ status: 'ok' }).OK.body).toBe('{"status":"ok"}');
    expect(acks.OK.body).toBe('{"received":true}');
  });
});
