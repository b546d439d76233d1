import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_PAYU_POS_IDS } from '../src/brokers';
import { catalog, newOrderId, productOfOrder } from '../src/catalog';
import { DEFAULT_TIMEOUTS, listen } from '../src/listen';
import {
  ADMIN_PASSWORD_FILE,
  adminPasswordIn,
  generateLocalKeys,
  LOCAL_KEYS_FILE,
  localKeysIn,
} from '../src/local-keys';
import { setupDemo } from './support/demo';

/** The keys the demo's source carried before (PayU's public test POS and the made-up EUR one). */
const OLD_SOURCE_KEYS = ['b6ca15b0d1020e8094d9b5f8d163db54', 'demo-eur-second-key-00000000001'];
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'paybridge-demo-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('issue 14 item 10: local sandbox keys per data directory', () => {
  it('issue 14 item 10: keys are generated on first start, kept owner-only in the data folder, reused after', () => {
    const dir = tempDir();
    const first = localKeysIn(dir, LOCAL_PAYU_POS_IDS);
    expect(statSync(join(dir, LOCAL_KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(localKeysIn(dir, LOCAL_PAYU_POS_IDS)).toEqual(first);
    const elsewhere = localKeysIn(tempDir(), LOCAL_PAYU_POS_IDS);
    for (const id of LOCAL_PAYU_POS_IDS) {
      const keys = first.payu[id];
      expect(keys?.secondKey).toMatch(/^[0-9a-f]{32}$/);
      expect(OLD_SOURCE_KEYS).not.toContain(keys?.secondKey);
      expect(elsewhere.payu[id]?.secondKey).not.toBe(keys?.secondKey);
    }
    expect(first.cmcic).toMatch(/^[0-9a-f]{40}$/);
    expect(elsewhere.cmcic).not.toBe(first.cmcic);
  });

  it('gives a POS added later its own keys and refuses a damaged keys file', () => {
    const dir = tempDir();
    const first = localKeysIn(dir, ['300746']);
    const more = localKeysIn(dir, ['300746', '999999']);
    expect(more.payu['300746']).toEqual(first.payu['300746']);
    expect(more.payu['999999']?.secondKey).toMatch(/^[0-9a-f]{32}$/);
    // A file written before Stripe joined the demo is given Stripe keys, its other keys kept.
    const { stripe: _dropped, ...older } = more;
    writeFileSync(join(dir, LOCAL_KEYS_FILE), JSON.stringify(older));
    const upgraded = localKeysIn(dir, ['300746', '999999']);
    expect(upgraded).toMatchObject(older);
    expect(upgraded.stripe.secretKey).toMatch(/^sk_test_[0-9a-f]{48}$/);
    expect(upgraded.stripe.webhookSecret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(upgraded.stripe).not.toEqual(more.stripe);
    expect(localKeysIn(dir, ['300746', '999999'])).toEqual(upgraded);
    writeFileSync(join(dir, LOCAL_KEYS_FILE), '{"payu":{}}');
    expect(() => localKeysIn(dir, ['300746'])).toThrow(/not a valid keys file/);
  });

  it('keeps a generated admin password in the data folder, owner-only, the same on every start', () => {
    const dir = tempDir();
    const { password, file } = adminPasswordIn(dir);
    expect(file).toBe(join(dir, ADMIN_PASSWORD_FILE));
    expect(password).toMatch(/^[0-9a-f]{24}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(adminPasswordIn(dir).password).toBe(password);
    expect(readFileSync(file, 'utf8').trim()).toBe(password);
  });

  it('issue 14 item 10: a PayU "COMPLETED" signed with the key the source used to carry is refused', async () => {
    const keys = generateLocalKeys(LOCAL_PAYU_POS_IDS);
    const t = setupDemo(undefined, {}, { localKeys: keys });
    const { paymentId, redirect } = await t.startButton('tshirt', 'payu');
    const { session } = await t.openHostedPage(redirect);
    await t.sandbox.payu.act(session, 'pay');
    const genuine = t.sandbox.queue
      .pending()
      .find((d) => d.broker === 'payu' && new TextDecoder().decode(d.call.body).includes('"COMPLETED"'));
    if (!genuine) throw new Error('no PayU COMPLETED notification queued');
    const body = new TextDecoder().decode(genuine.call.body);
    const signedWith = (key: string) => {
      const signature = `sender=checkout;signature=${createHash('md5').update(body).update(key).digest('hex')};algorithm=MD5;content=DOCUMENT`;
      return t.request(genuine.call.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'openpayu-signature': signature },
        body,
      });
    };
    // A refused notification may trigger a pull of the order (verify-or-pull, issue 15), which would
    // learn the genuine payment from PayU's API: keep that API down so only the forged messages count.
    t.sandbox.payu.faults.apiError = { status: 503, remaining: 1_000 };
    for (const key of OLD_SOURCE_KEYS) expect((await signedWith(key)).status).toBe(400);
    expect((await t.payment(paymentId)).status).toBe('new');
    t.sandbox.payu.faults.apiError = undefined;
    // The same document signed with this demo's own key goes through: the test can tell the two apart.
    await signedWith(keys.payu['300746']?.secondKey as string);
    expect((await t.payment(paymentId)).status).toBe('paid');
  });
});

describe('issue 14 item 11: unguessable order ids', () => {
  it('issue 14 item 11: order ids carry at least 96 random bits, and still name their product', async () => {
    const ids = new Set<string>();
    for (const product of catalog) {
      for (let i = 0; i < 200; i++) {
        const id = newOrderId(product);
        const suffix = id.slice(`${product.id}-0-`.length);
        // Hex: 4 bits a character.
        expect(suffix.length * 4).toBeGreaterThanOrEqual(96);
        expect(suffix).toMatch(/^[0-9a-f]+$/);
        expect(productOfOrder(id)?.product.id).toBe(product.id);
        ids.add(suffix);
      }
    }
    expect(ids.size).toBe(catalog.length * 200);
    // Every hex digit shows up in every position over many ids (no position stuck, no biased alphabet).
    const suffixes = [...ids];
    for (let position = 0; position < 32; position++)
      expect(new Set(suffixes.map((s) => s[position])).size).toBe(16);
    // The references the shop page signs into its buttons are such ids.
    const t = setupDemo();
    expect((await t.buttonOf('mug')).config.reference).toMatch(/^mug-0-[0-9a-f]{32}$/);
    expect(productOfOrder('mug-0-abc123')).toBeNull();
  });
});

describe('issue 14 item 12: server timeouts', () => {
  it('issue 14 item 12: the demo’s server limits headers and requests well under Node’s 300 s', async () => {
    const server = listen(() => new Response('ok'), { port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    expect(server.headersTimeout).toBe(DEFAULT_TIMEOUTS.headersTimeoutMs);
    expect(server.requestTimeout).toBe(DEFAULT_TIMEOUTS.requestTimeoutMs);
    expect(server.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(server.headersTimeout).toBeLessThanOrEqual(10_000);
    await new Promise((resolve) => server.close(resolve));
  });

  it('issue 14 item 12: a client that trickles its headers is cut off after the headers timeout', async () => {
    const server = listen(() => new Response('ok'), {
      port: 0,
      hostname: '127.0.0.1',
      timeouts: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 100 },
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n'));
      let received = '';
      // Keeps trickling a header line, never the blank line that ends them.
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 50);
      socket.on('data', (chunk) => {
        received += chunk.toString();
      });
      socket.on('close', () => {
        clearInterval(drip);
        resolve(received);
      });
      socket.on('error', (error) => {
        clearInterval(drip);
        if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') resolve(received);
        else reject(error);
      });
      setTimeout(() => socket.destroy(new Error('not cut off within 5 s')), 5_000).unref();
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(answer).toMatch(/^(HTTP\/1\.1 408|$)/);
    await new Promise((resolve) => server.close(resolve));
  });
});
