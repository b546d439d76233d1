import { describe, expect, it } from 'vitest';
import { checkChaos, formatReport } from '../chaos/checks';
import { runChaosInProcess } from '../chaos/in-process';

describe('chaos run (fast in-process variant of `pnpm chaos`)', () => {
  it('150 payments across PayPal, PayU and CM-CIC with every fault: nothing lost, nothing forged accepted', async () => {
    const { report } = await runChaosInProcess({ payments: 150, seed: 20260301 });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.payments).toBe(150);
    // Every kind of fault was really injected in this run.
    for (const fault of [
      'duplicated (2–5 concurrent copies)',
      'reordered (first delivery lost)',
      'forged signatures/MACs',
      'tampered amounts (PayU re-signed)',
      'store write failures',
    ]) {
      expect(report.faults[fault], fault).toBeGreaterThan(0);
    }
  }, 60_000);

  it('the checks fail when a payment is not where the broker left it, or a forgery was logged as verified', async () => {
    const { inputs } = await runChaosInProcess({ payments: 30, seed: 99 });
    const paid = inputs.scenarios.find((s) => s.kind === 'pay');
    expect(paid).toBeDefined();
    const wrong = await checkChaos({
      ...inputs,
      scenarios: inputs.scenarios.map((s) => (s === paid ? { ...s, kind: 'decline' as const } : s)),
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.wrongStatus).toEqual([
      expect.objectContaining({ paymentId: paid?.paymentId, expected: 'failed' }),
    ]);

    const genuine = inputs.records.find((r) => !r.forged && r.status === 200);
    expect(genuine).toBeDefined();
    const forgedAccepted = await checkChaos({
      ...inputs,
      records: [...inputs.records, { key: genuine?.key ?? '', status: 200, forged: true }],
    });
    expect(forgedAccepted.forgedAccepted).toBeGreaterThan(0);
    expect(forgedAccepted.ok).toBe(false);
  }, 60_000);
});
