'use strict';

const { once } = require('node:events');
const { createApp, summarize } = require('../lib/inventory.cjs');

const lines = [
  { category: 'tools', quantity: 2, price: 9.99 },
  { category: 'books', quantity: 1, price: 12.5 },
  { category: 'tools', quantity: 1, price: 0.02 },
];

test('summarize groups, sums and sorts with lodash', () => {
  expect(summarize(lines)).toEqual([
    { category: 'books', count: 1, total: 12.5 },
    { category: 'tools', count: 3, total: 20 },
  ]);
});

describe('the express app', () => {
  let server;
  let base;
  beforeAll(async () => {
    server = createApp().listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('serves the summary of a posted order', async () => {
    const response = await fetch(`${base}/summary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(lines),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveLength(2);
  });

  test('refuses a body that is not a list', async () => {
    const response = await fetch(`${base}/summary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nope: true }),
    });
    expect(response.status).toBe(400);
  });
});
