// Signs in through the sign-in page with a test address and the known code: no inbox, no SMTP sink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseURL, launch } from './launch.mjs';

test('a test address signs in through the page with the known code', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ baseURL });
    const email = `ada-${Date.now()}@test.invalid`;
    await page.goto('/');
    await page.fill('#email', email);
    await page.click('#send');
    // The page sends the code as soon as all its digits are in.
    await page.fill('#code', '424242');
    await page.waitForSelector('#view-signedin:not([hidden])');
    assert.equal(await page.textContent('#signed-in-email'), email);
  } finally {
    await browser.close();
  }
});
