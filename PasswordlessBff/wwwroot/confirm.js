// "Confirm sign-in" page: a magic link was opened in a browser that did not start the login.
// The link token only travels in the request body. It is never logged or shown.

import { readJson, toProblem } from './problem.js';

const messages = {
  validation_failed: 'This sign-in link is incomplete. Open the link from the email again, or request a new email.',
  csrf_header_missing: 'The request was missing a security header. Reload the page and try again.',
  origin_not_allowed: 'This request came from a site that is not allowed to sign in here. Open the link from the email again.',
  rate_limited: 'Too many attempts in a short time. Please wait a little and open the link again.',
  auth_request_invalid: 'This sign-in request is no longer valid. Go to the sign-in page and request a new email.',
  credential_invalid: 'This sign-in link has already been used or is not valid. Go to the sign-in page and request a new email.',
  credential_expired: 'This sign-in link has expired. Go to the sign-in page and request a new email.',
  too_many_attempts: 'This sign-in was cancelled after too many attempts. Go to the sign-in page and request a new email.',
  browser_mismatch:
    'This link was opened in a different browser than the one that asked for it. Type the 6-digit code from the same email in the original browser instead.',
  return_to_not_allowed: 'The page to return to after signing in is not allowed. Go to the sign-in page and start again.',
  upstream_unavailable: 'The sign-in service is not reachable right now. Wait a moment, then open the link again.',
  request_too_large: 'That request was too large. Open the link from the email again.',
  internal_error: 'Something went wrong on our side. Wait a moment, then open the link again.',
  network_error: 'Could not reach the server. Check your connection and try again.',
  unknown: 'Signing in did not work. Go to the sign-in page and request a new email.',
};

const form = document.getElementById('confirm-form');
const errorBox = document.getElementById('confirm-error');

function messageFor(problem) {
  const text = messages[problem.code] ?? messages.unknown;
  if (problem.retryAfter > 0) {
    const wait = problem.retryAfter < 60 ? `${problem.retryAfter} seconds` : `${Math.ceil(problem.retryAfter / 60)} minutes`;
    return `${text} You can try again in ${wait}.`;
  }
  return text;
}

function safeLocalPath(value) {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return '/';
  }
  return value;
}

async function verifyLink(linkToken) {
  let response;
  try {
    response = await fetch('/api/auth/verify', {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'X-CSRF': '1', 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify({ linkToken }),
    });
  } catch {
    return { ok: false, problem: { status: 0, code: 'network_error', retryAfter: 0 } };
  }
  const body = await readJson(response);
  return response.ok ? { ok: true, body } : { ok: false, problem: toProblem(response, body) };
}

async function onSubmit(event) {
  event.preventDefault();
  const button = event.submitter ?? form.querySelector('button');
  if (button?.disabled) return;
  if (button) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  errorBox.textContent = '';

  const result = await verifyLink(form.dataset.linkToken ?? '');
  if (result.ok) {
    location.replace(safeLocalPath(result.body?.returnTo || '/'));
    return;
  }

  form.removeAttribute('aria-busy');
  errorBox.textContent = messageFor(result.problem);
  // Only a network failure is worth retrying from here; every API answer is final.
  if (button && result.problem.code === 'network_error') button.disabled = false;
}

if (form && errorBox) form.addEventListener('submit', onSubmit);
