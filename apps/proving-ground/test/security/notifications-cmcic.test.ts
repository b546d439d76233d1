import { hmacSha1Hex, legacyReturnString, operationalKey, sortedFieldString } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { CMCIC_TPE } from '../../chaos/brokers';
import { type Captured, createWorld, replay, text, type World } from './world';

/**
 * CM-CIC return-interface calls an attacker can post to /notify/cmcic, for a terminal on either MAC
 * scheme (protocols/cmcic.md §3: `current` seals the sorted key=value pairs, `legacy` a fixed list of
 * fields). The bank's protocol wants `cdr=1` for a call whose MAC is wrong and `cdr=0` for every sealed
 * one; nothing unsealed ever changes a payment.
 */
const MAC_OK = 'version=2\ncdr=0\n';
const MAC_NOT_OK = 'version=2\ncdr=1\n';

interface Scene {
  world: World;
  /** The attacker's payment: a refused card first, then an accepted one, in one hosted-page session. */
  paid: { paymentId: string; refused: Captured; accepted: Captured };
  victim: { paymentId: string; reference: string };
}

async function scene(scheme: 'current' | 'legacy'): Promise<Scene> {
  const world = createWorld({ cmcicScheme: scheme });
  const started = await world.start('cmcic', 'cmcic-1');
  const session = await world.open(started.redirect);
  const from = world.captured.length;
  await world.sandbox.cmcic.act(session, 'pay', { card: '4000000000000010', cvv: '123' });
  await world.sandbox.flush();
  await world.sandbox.cmcic.act(session, 'pay', { card: '4000000000000002', cvv: '123' });
  await world.sandbox.flush();
  const [refused, accepted] = world.captured.slice(from);
  expect(text(refused?.body as Uint8Array)).toContain('code-retour=Annulation');
  expect(text(accepted?.body as Uint8Array)).toMatch(/code-retour=payetest/);
  expect((await world.store.getPayment(started.paymentId))?.status).toBe('paid');
  const victim = await world.start('cmcic', 'cmcic-2');
  await world.open(victim.redirect);
  const reference = (await world.store.getPayment(victim.paymentId))?.externalId as string;
  return {
    world,
    paid: { paymentId: started.paymentId, refused: refused as Captured, accepted: accepted as Captured },
    victim: { paymentId: victim.paymentId, reference },
  };
}

/** The genuine call's bytes with some fields changed (values as the bank spells them). */
function edit(message: Captured, changes: Record<string, string | null>) {
  const fields = new URLSearchParams(text(message.body));
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) fields.delete(name);
    else fields.set(name, value);
  }
  return fields.toString();
}

async function expectRefused(s: Scene, request: Request, answer = MAC_NOT_OK) {
  const before = await s.world.snapshot();
  const response = await s.world.send(request);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe(answer);
  const { logged } = await s.world.expectUnchanged(before);
  expect(logged.map((m) => [m.direction, m.verdict])).toEqual([['inbound', 'rejected']]);
  const victim = await s.world.store.getPayment(s.victim.paymentId);
  expect([victim?.status, victim?.amountPaid]).toEqual(['new', 0]);
  return logged;
}

describe.each(['current', 'legacy'] as const)('CM-CIC return calls an attacker posts (%s MAC)', (scheme) => {
  it('forged: paiement for the victim with a random MAC', async () => {
    const s = await scene(scheme);
    const body = edit(s.paid.accepted, {
      reference: s.victim.reference,
      'code-retour': 'paiement',
      MAC: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    });
    await expectRefused(s, replay(s.paid.accepted, { body }));
  });

  it('unsigned: paiement for the victim without a MAC', async () => {
    const s = await scene(scheme);
    const body = edit(s.paid.accepted, { reference: s.victim.reference, MAC: null });
    await expectRefused(s, replay(s.paid.accepted, { body }));
  });

  it('tampered: the genuine sealed call re-targeted at the victim', async () => {
    const s = await scene(scheme);
    const body = edit(s.paid.accepted, { reference: s.victim.reference });
    await expectRefused(s, replay(s.paid.accepted, { body }));
  });

  it('tampered: the genuine sealed call with another amount', async () => {
    const s = await scene(scheme);
    const body = edit(s.paid.accepted, { montant: '0.01EUR' });
    await expectRefused(s, replay(s.paid.accepted, { body }));
  });

  it('tampered: the genuine refusal turned into a payment', async () => {
    const s = await scene(scheme);
    const body = edit(s.paid.refused, { 'code-retour': 'paiement' });
    await expectRefused(s, replay(s.paid.refused, { body }));
  });

  it('a MAC of the wrong length or alphabet', async () => {
    const s = await scene(scheme);
    const genuine = new URLSearchParams(text(s.paid.accepted.body)).get('MAC') as string;
    for (const mac of [genuine.slice(0, 39), `${genuine}0`, genuine.replace(/^./, 'z'), '']) {
      const body = edit(s.paid.accepted, { reference: s.victim.reference, MAC: mac });
      await expectRefused(s, replay(s.paid.accepted, { body }));
    }
  });

  it('replayed: the genuine payment call posted again, three times at once, changes nothing', async () => {
    const s = await scene(scheme);
    const before = await s.world.snapshot();
    const responses = await Promise.all([1, 2, 3].map(() => s.world.send(replay(s.paid.accepted))));
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual([MAC_OK, MAC_OK, MAC_OK]);
    const { logged, anomalies, reported } = await s.world.expectUnchanged(before, ['payment.processed']);
    expect(anomalies).toEqual([]);
    expect(reported).toHaveLength(3);
    expect(logged.map((m) => [m.verdict, m.paymentId])).toEqual(
      [1, 2, 3].map(() => ['verified', s.paid.paymentId]),
    );
  });

  it('replayed out of order: the genuine refusal after the payment never fails it', async () => {
    const s = await scene(scheme);
    const before = await s.world.snapshot();
    const response = await s.world.send(replay(s.paid.refused));
    expect(await response.text()).toBe(MAC_OK);
    await s.world.expectUnchanged(before, ['payment.processed']);
    expect((await s.world.store.getPayment(s.paid.paymentId))?.status).toBe('paid');
  });
});

/** The genuine call's fields changed, then sealed with the terminal's key as the bank seals (§3). */
function sealed(scheme: 'current' | 'legacy', message: Captured, changes: Record<string, string>) {
  const fields = { ...Object.fromEntries(new URLSearchParams(text(message.body))), ...changes };
  const source = scheme === 'legacy' ? legacyReturnString(fields) : sortedFieldString(fields);
  return new URLSearchParams({
    ...fields,
    MAC: hmacSha1Hex(operationalKey(CMCIC_TPE.key), source),
  }).toString();
}

describe.each(['current', 'legacy'] as const)('issue 14 item 3: instalment fields (%s MAC)', (scheme) => {
  it('issue 14 item 3: a genuine call replayed with montantech added never adds money', async () => {
    const s = await scene(scheme);
    const before = await s.world.snapshot();
    // The legacy MAC does not cover montantech (protocols/cmcic.md §3.4): the call stays sealed.
    const body = `${text(s.paid.accepted.body)}&montantech=0%2e01EUR`;
    const response = await s.world.send(replay(s.paid.accepted, { body }));
    expect(await response.text()).toBe(scheme === 'legacy' ? MAC_OK : MAC_NOT_OK);
    const { logged, anomalies } = await s.world.expectUnchanged(before);
    expect(logged.map((m) => m.verdict)).toEqual(['rejected']);
    expect(anomalies).toEqual([
      { name: 'payment.anomaly', paymentId: scheme === 'legacy' ? s.paid.paymentId : null },
    ]);
    expect((await s.world.store.getPayment(s.paid.paymentId))?.amountPaid).toBe(1999);
  });

  it('issue 14 item 3: a sealed instalment return for a payment that asked for none is refused', async () => {
    const s = await scene(scheme);
    const attempts: Array<Record<string, string>> = [
      { 'code-retour': 'paiement_pf2', montantech: '6.66EUR' },
      { 'code-retour': 'payetest', montantech: '6.66EUR', date: '01/03/2026_a_10:30:00' },
      { 'code-retour': 'Annulation_pf3', montantech: '6.66EUR' },
    ];
    for (const changes of attempts) {
      const before = await s.world.snapshot();
      const response = await s.world.send(
        replay(s.paid.accepted, { body: sealed(scheme, s.paid.accepted, changes) }),
      );
      expect(await response.text()).toBe(MAC_OK);
      const { logged, anomalies } = await s.world.expectUnchanged(before);
      expect(logged.map((m) => [m.verdict, m.detail?.split(':')[0]])).toEqual([
        ['rejected', 'IMPOSSIBLE_FACT'],
      ]);
      expect(anomalies).toEqual([{ name: 'payment.anomaly', paymentId: s.paid.paymentId }]);
    }
  });
});
