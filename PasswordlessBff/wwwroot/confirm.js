// "Confirm sign-in" page (GET /api/auth/verify?link_token=… when a link needs a deliberate press to finish).
// The token is read from this page's own address and only travels in the request body; it is never logged or shown,
// and the page sends no Referer.

import { api, problemOf } from './api.js';
import { confirmMessages, messageFor } from './messages.js';
import { signedInTarget } from './paths.js';

const form = document.getElementById('confirm-form');
const errorBox = document.getElementById('confirm-error');

async function onSubmit(event) {
  event.preventDefault();
  const button = event.submitter ?? form.querySelector('button');
  if (button?.disabled) return;
  if (button) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  errorBox.textContent = '';

  const linkToken = new URLSearchParams(location.search).get('link_token') ?? '';
  let problem;
  try {
    const session = await api('/api/auth/verify', { method: 'POST', body: { linkToken } });
    location.replace(signedInTarget(session?.returnTo) ?? '/');
    return;
  } catch (error) {
    problem = problemOf(error);
  }

  form.removeAttribute('aria-busy');
  errorBox.textContent = messageFor(problem, confirmMessages);
  // Only a network failure is worth retrying from here; every API answer is final.
  if (button && problem.code === 'network_error') button.disabled = false;
}

if (form && errorBox) form.addEventListener('submit', onSubmit);
