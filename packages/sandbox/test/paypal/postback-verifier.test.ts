import { describe, expect, it } from 'vitest';
import { BUY_NOW, concat, openCheckout, postback, setup, WEBSCR } from '../../src/paypal/test-kit';

async function receivedIpn(paypal?: Parameters<typeof setup>[0]) {
  const kit = setup(paypal);
  const { sessionId } = await openCheckout(kit.sandbox, BUY_NOW);
  await kit.sandbox.paypal.act(sessionId, 'pay', { buyer: { firstName: 'Zoë', lastName: 'Ærøskøbing' } });
  await kit.sandbox.flush();
  const body = kit.received[0]?.body ?? new Uint8Array(0);
  return { ...kit, body, text: new TextDecoder('latin1').decode(body) };
}

describe('PayPal verification postback (cmd=_notify-validate)', () => {
  it('answers VERIFIED, 200 text/html, for the exact bytes prefixed with cmd', async () => {
    const { sandbox, body } = await receivedIpn();
    const answer = await postback(sandbox, concat('cmd=_notify-validate&', body));
    expect(answer).toEqual({ status: 200, text: 'VERIFIED', type: 'text/html; charset=UTF-8' });
  });

  it('accepts cmd appended at the end or in the middle', async () => {
    const { sandbox, text } = await receivedIpn();
    expect((await postback(sandbox, `${text}&cmd=_notify-validate`)).text).toBe('VERIFIED');
    const pairs = text.split('&');
    pairs.splice(5, 0, 'cmd=_notify-validate');
    expect((await postback(sandbox, pairs.join('&'))).text).toBe('VERIFIED');
  });

  it('accepts the variables in the query string', async () => {
    const { sandbox, text } = await receivedIpn();
    const response = await sandbox.handler(new Request(`${WEBSCR}?cmd=_notify-validate&${text}`));
    expect(await response.text()).toBe('VERIFIED');
  });

  it('by default VERIFIES only byte-identical postbacks: %20 for +, or lower-case %xx, is INVALID', async () => {
    const { sandbox, text } = await receivedIpn();
    expect(text).toContain('+');
    expect((await postback(sandbox, `cmd=_notify-validate&${text.replaceAll('+', '%20')}`)).text).toBe(
      'INVALID',
    );
    expect((await postback(sandbox, `cmd=_notify-validate&${text.replace('%EB', '%eb')}`)).text).toBe(
      'INVALID',
    );
    expect((await postback(sandbox, `cmd=_notify-validate&${text}&`)).text).toBe('INVALID');
  });

  it('with postbackComparison "values", compares decoded values: %20 for + still verifies', async () => {
    const { sandbox, text } = await receivedIpn({ postbackComparison: 'values' });
    expect((await postback(sandbox, `cmd=_notify-validate&${text.replaceAll('+', '%20')}`)).text).toBe(
      'VERIFIED',
    );
    const reencoded = text.replace('Zo%EB', 'Zo%C3%AB');
    expect((await postback(sandbox, `cmd=_notify-validate&${reencoded}`)).text).toBe('INVALID');
    expect((await postback(sandbox, `cmd=_notify-validate&${text}&cmd=_notify-validate`)).text).toBe(
      'INVALID',
    );
  });

  it('a windows-1252 name re-encoded as UTF-8 (the paypal-ipn npm bug) is INVALID', async () => {
    const { sandbox, text } = await receivedIpn();
    expect(text).toContain('Zo%EB');
    const reencoded = text.replace('Zo%EB', 'Zo%C3%AB');
    expect((await postback(sandbox, `cmd=_notify-validate&${reencoded}`)).text).toBe('INVALID');
    const replaced = text.replace('Zo%EB', 'Zo%EF%BF%BD');
    expect((await postback(sandbox, `cmd=_notify-validate&${replaced}`)).text).toBe('INVALID');
  });

  it('the same name sent in UTF-8 verifies only as UTF-8 bytes', async () => {
    const { sandbox, text } = await receivedIpn({ charset: 'UTF-8' });
    expect((await postback(sandbox, `cmd=_notify-validate&${text}`)).text).toBe('VERIFIED');
    const latin = text.replace('Zo%C3%AB', 'Zo%EB');
    expect((await postback(sandbox, `cmd=_notify-validate&${latin}`)).text).toBe('INVALID');
  });

  it('a changed value, a dropped, added or reordered field is INVALID', async () => {
    const { sandbox, text } = await receivedIpn();
    const pairs = text.split('&');
    const cases = [
      text.replace('mc_gross=10.00', 'mc_gross=1.00'),
      pairs.slice(1).join('&'),
      `${text}&extra=1`,
      [pairs[1], pairs[0], ...pairs.slice(2)].join('&'),
      text.replace('+', '%2B'),
    ];
    for (const variant of cases) {
      expect((await postback(sandbox, `cmd=_notify-validate&${variant}`)).text).toBe('INVALID');
    }
  });

  it('a message this PayPal never sent is INVALID, so is a postback without its cmd duplicate removed', async () => {
    const { sandbox, text } = await receivedIpn();
    expect((await postback(sandbox, 'cmd=_notify-validate&txn_id=1&payment_status=Completed')).text).toBe(
      'INVALID',
    );
    expect((await postback(sandbox, `cmd=_notify-validate&cmd=_notify-validate&${text}`)).text).toBe(
      'INVALID',
    );
  });

  it('with verifiableForMs, a message stops verifying once its window has passed', async () => {
    const { sandbox, text } = await receivedIpn({ verifiableForMs: 3_600_000 });
    sandbox.clock.advance(3_600_000);
    expect((await postback(sandbox, `cmd=_notify-validate&${text}`)).text).toBe('VERIFIED');
    sandbox.clock.advance(1);
    expect((await postback(sandbox, `cmd=_notify-validate&${text}`)).text).toBe('INVALID');
  });

  it('a sandbox message posted to a live PayPal is INVALID', async () => {
    const { text } = await receivedIpn({ mode: 'sandbox' });
    const live = setup({ mode: 'live' });
    expect((await postback(live.sandbox, `cmd=_notify-validate&${text}`)).text).toBe('INVALID');
  });

  it('with requireUserAgent, a postback without User-Agent gets 403', async () => {
    const { sandbox, text } = await receivedIpn({ requireUserAgent: true });
    const request = new Request(WEBSCR, { method: 'POST', body: `cmd=_notify-validate&${text}` });
    request.headers.delete('user-agent');
    expect((await sandbox.handler(request)).status).toBe(403);
    expect((await postback(sandbox, `cmd=_notify-validate&${text}`)).text).toBe('VERIFIED');
  });
});
