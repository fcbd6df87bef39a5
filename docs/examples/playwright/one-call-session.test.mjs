// Signs a test address in with one call, saves the browser's storage state, and starts signed in from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseURL, launch } from './launch.mjs';

test('one call signs a suite in, and storageState carries the session to every later context', async () => {
  const browser = await launch();
  try {
    const setup = await browser.newContext({ baseURL });
    const signIn = await setup.request.post('/api/testing/session', {
      headers: { 'X-CSRF': '1' },
      data: { email: 'suite@test.invalid' },
    });
    assert.equal(signIn.status(), 200);
    // In a real suite: await setup.storageState({ path: 'signed-in.json' }) in a global setup, once.
    const storageState = await setup.storageState();
    await setup.close();

    const context = await browser.newContext({ baseURL, storageState });
    const me = await context.request.get('/api/me');
    assert.equal(me.status(), 200);
    assert.equal((await me.json()).email, 'suite@test.invalid');
    const page = await context.newPage();
    await page.goto('/');
    await page.waitForSelector('#view-signedin:not([hidden])');
  } finally {
    await browser.close();
  }
});
