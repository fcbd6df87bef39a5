// The page a magic link opens in a browser that did not ask for it: it says which browser asked and when, and approves
// that browser's sign-in with its 2-digit number (or refuses it). This browser gets no session. Only the buttons POST;
// opening the page changes nothing. The token is read from the address bar and only travels in request bodies.

import { api, problemOf } from './api.js';
import { confirmMessages, messageFor } from './messages.js';

const asked = document.getElementById('approve-asked');
const form = document.getElementById('approve-form');
const number = document.getElementById('approve-number');
const refuseButton = document.getElementById('refuse-button');
const result = document.getElementById('approve-result');
const errorBox = document.getElementById('approve-error');
const linkToken = new URLSearchParams(location.search).get('link_token') ?? '';

const approvalMessages = {
  ...confirmMessages,
  approval_number_wrong: 'That number did not match, so this sign-in was cancelled. If it was you, start again on the other device.',
  approval_refused: 'This sign-in has already been refused.',
  credential_invalid: 'This sign-in has already been approved, used or is not valid. You can close this page.',
};

function finish(text) {
  form.hidden = true;
  result.textContent = text;
}

function fail(error) {
  const problem = problemOf(error);
  form.hidden = true;
  errorBox.textContent = messageFor(problem, approvalMessages);
}

async function describe() {
  try {
    const details = await api('/api/auth/approval/details', { method: 'POST', body: { linkToken } });
    const when = new Date(details.askedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    asked.textContent = `${details.askedBy} asked to sign in at ${when}. If that was you, type the number it shows.`;
    form.hidden = false;
    number.focus();
  } catch (error) {
    asked.textContent = '';
    fail(error);
  }
}

async function decide(path, body, done) {
  for (const button of form.querySelectorAll('button')) button.disabled = true;
  errorBox.textContent = '';
  try {
    await api(path, { method: 'POST', body: { linkToken, ...body } });
    finish(done);
  } catch (error) {
    fail(error);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const digits = number.value.replace(/\D/g, '');
  if (digits.length !== 2) {
    errorBox.textContent = 'Type the 2-digit number shown on the screen that asked.';
    return;
  }
  decide('/api/auth/approval/approve', { number: digits }, 'Approved. The other device is signing in now; you can close this page.');
});
refuseButton.addEventListener('click', () =>
  decide('/api/auth/approval/refuse', {}, 'Cancelled. Nobody was signed in; you can close this page.'));

describe();
