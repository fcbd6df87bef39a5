// Where the service runs and which Chromium drives it; both come from the environment of the test run.
import { chromium } from 'playwright-core';

export const baseURL = process.env.BFF_URL ?? 'http://localhost:5080';

export const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-background-networking'],
});
