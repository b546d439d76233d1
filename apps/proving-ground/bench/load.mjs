// The load generator, run in its own process: autocannon against one or more server URLs.
//
//   node bench/load.mjs '<json spec>'   → prints one JSON line with the merged result
//
// spec: { kind: 'payu' | 'baseline-notify' | 'start' | 'baseline-start', urls: [...], connections,
//         from, count }. Notifications go to distinct payments from..from+count-1, one each.
import { createHash } from 'node:crypto';
import autocannon from 'autocannon';
import { BENCH_POS } from './bench-pos.mjs';

const spec = JSON.parse(process.argv[2]);

function payuBody(index) {
  return JSON.stringify({
    order: {
      orderId: `BENCH${index}`,
      extOrderId: `pay_bench_${index}`,
      orderCreateDate: '2026-03-01T10:00:00.000+01:00',
      notifyUrl: 'http://127.0.0.1/pay/notify/payu',
      customerIp: '127.0.0.1',
      merchantPosId: BENCH_POS.posId,
      description: 'bench',
      currencyCode: 'PLN',
      totalAmount: '21000',
      status: 'COMPLETED',
      products: [{ name: 'bench', unitPrice: '21000', quantity: '1' }],
    },
    localReceiptDateTime: '2026-03-01T10:00:05.000+01:00',
    properties: [{ name: 'PAYMENT_ID', value: `${index}` }],
  });
}

function requestFor(kind, index) {
  switch (kind) {
    case 'payu': {
      const body = payuBody(index);
      const signature = createHash('md5').update(body).update(BENCH_POS.secondKey).digest('hex');
      return {
        method: 'POST',
        path: '/pay/notify/payu',
        headers: {
          'content-type': 'application/json;charset=UTF-8',
          'openpayu-signature': `sender=checkout;signature=${signature};algorithm=MD5;content=DOCUMENT`,
        },
        body,
      };
    }
    case 'baseline-notify':
      return {
        method: 'POST',
        path: `/baseline/notify/pay_bench_${index}`,
        headers: { 'content-type': 'application/json' },
        body: payuBody(index),
      };
    case 'start':
      return {
        method: 'POST',
        path: '/pay/start',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'cmcic', orderId: `start-${index}` }),
      };
    default:
      return {
        method: 'POST',
        path: '/baseline/start',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: `order-${index}` }),
      };
  }
}

/** One autocannon instance per server URL, splitting connections and payments between them. */
async function runOne(url, connections, from, count) {
  let next = from;
  const end = from + count;
  let first = null;
  let last = null;
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount: count,
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              first ??= performance.now();
              return { ...request, ...requestFor(spec.kind, next < end ? next++ : next) };
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', () => {
      last = performance.now();
    });
  });
  // Wall-clock time from the first request to the last answer: autocannon's own duration and
  // finish time wait for its one-second sampler's next tick, up to a second after the last answer.
  return { ...result, started: first ?? 0, ended: last ?? first ?? 0 };
}

const share = Math.floor(spec.count / spec.urls.length);
const results = await Promise.all(
  spec.urls.map((url, i) =>
    runOne(url, Math.floor(spec.connections / spec.urls.length), spec.from + i * share, share),
  ),
);
const total = results.reduce((sum, r) => sum + r.requests.total, 0);
const seconds =
  (Math.max(...results.map((r) => r.ended)) - Math.min(...results.map((r) => r.started))) / 1000;
console.log(
  JSON.stringify({
    requests: total,
    perSecond: Math.round(total / seconds),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
  }),
);
