// What a person reads for each stable problem code, shared by the sign-in page and the confirm page.

export const messages = {
  validation_failed: 'Some of what you entered is not valid. Check it and try again.',
  return_to_not_allowed:
    'The page you asked to return to after signing in is not allowed, so it has been dropped. Send the email again to sign in.',
  csrf_header_missing: 'The request was missing a security header. Reload the page and try again.',
  origin_not_allowed:
    'This request came from a site that is not allowed to sign in here. Open the app from its own address and try again.',
  rate_limited: 'Too many attempts in a short time. Please wait a little and try again.',
  auth_request_invalid: 'This sign-in request is no longer valid. Send a new email to start again.',
  credential_invalid:
    'That code is not right, or the link was already used. Check the newest email and try again.',
  credential_expired: 'That code or link has expired. Send a new email to get a fresh one.',
  approval_refused: 'The device that opened the link refused this sign-in (or a wrong number was typed), so it was cancelled. Start again if it was you.',
  too_many_attempts:
    'Too many wrong codes, so this sign-in was cancelled to keep your account safe. Send a new email to start again.',
  browser_mismatch:
    'This sign-in link was opened in a different browser than the one that asked for it, so it cannot sign you in by itself. Type the 6-digit code from the same email here instead.',
  // Without the binding cookie the server cannot tell another browser from a link already used here.
  browser_mismatch_elsewhere:
    'This sign-in link cannot sign you in here: it was opened in a different browser than the one that asked for it, or it was already used. Go back to the browser where you asked for the email and type the 6-digit code from that email there, or start again here.',
  unauthenticated: 'You are not signed in, or your session has ended. Sign in again to continue.',
  upstream_unavailable: 'The sign-in service is not reachable right now. Wait a moment and try again.',
  request_too_large: 'That request was too large. Shorten what you entered and try again.',
  internal_error: 'Something went wrong on our side. Try again in a moment.',
  network_error: 'Could not reach the server. Check your connection and try again.',
  invalid_email: 'Enter a valid email address, like name@example.com.',
  invalid_code: 'Enter the 6-digit code from the email.',
  unknown: 'Something unexpected went wrong. Try again, or reload the page.',
};

// Wording used when a magic link (not a typed code) failed and sent us to /?error=<code>.
export const linkMessages = {
  credential_invalid: 'This sign-in link has already been used or is not valid. Send a new email to get a fresh link.',
  credential_expired: 'This sign-in link has expired. Send a new email to get a fresh one.',
};

// The confirm page has no form to retry from: its advice is to open the link again or go to the sign-in page.
export const confirmMessages = {
  validation_failed: 'This sign-in link is incomplete. Open the link from the email again, or request a new email.',
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
  unknown: 'Signing in did not work. Go to the sign-in page and request a new email.',
};

export function messageFor(problem, overrides = {}) {
  const code = problem.code;
  let text = overrides[code] ?? messages[code];
  if (!text) {
    text = typeof problem.detail === 'string' && problem.detail ? problem.detail : overrides.unknown ?? messages.unknown;
  }

  if (code === 'validation_failed') {
    const first = firstValidationError(problem.errors);
    if (first) text = `${text} (${first})`;
  }
  if ((problem.status === 429 || code === 'rate_limited') && problem.retryAfter > 0) {
    text = `${text} You can try again in ${formatWait(problem.retryAfter)}.`;
  }
  return text;
}

function firstValidationError(errors) {
  if (!errors || typeof errors !== 'object') return null;
  const found = Object.values(errors).flat().find((item) => typeof item === 'string' && item);
  return found ?? null;
}

export function formatWait(seconds) {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
