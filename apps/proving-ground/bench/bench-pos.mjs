// PayU's public test POS (protocols/payu.md): the server verifies with it, the load generator signs with it.
export const BENCH_POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
};
