import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { purchase, type Running, startExample } from '../../test-support/purchase';

let app: Running | undefined;
beforeAll(async () => {
  app = await startExample(process.execPath, ['server.mjs'], fileURLToPath(new URL('..', import.meta.url)));
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

it('starts on Node and takes one purchase through the sandbox', async () => {
  expect(await purchase(app as Running)).toBe('paid');
});
