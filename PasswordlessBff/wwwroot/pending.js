// A pending login survives reloads of this tab (sessionStorage); the tokens themselves stay in HttpOnly cookies.

import { toSeconds } from './api.js';
import { state } from './state.js';

const PENDING_KEY = 'passwordlessbff.pending';
const EMAIL_KEY = 'passwordlessbff.email';
const TYPES = ['LINK_OTP', 'LINK', 'OTP'];

export function savePending(pending) {
  state.pending = pending;
  try {
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  } catch {
    /* storage unavailable: the flow still works until reload */
  }
}

export function loadPending() {
  try {
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
    if (
      pending &&
      typeof pending.authRequestId === 'string' &&
      typeof pending.email === 'string' &&
      Number(pending.expiresAtMs) > Date.now()
    ) {
      return pending;
    }
  } catch {
    /* ignore malformed data */
  }
  clearPending();
  return null;
}

export function clearPending() {
  state.pending = null;
  try {
    sessionStorage.removeItem(PENDING_KEY);
  } catch {
    /* ignore */
  }
}

export function rememberEmail(email) {
  try {
    sessionStorage.setItem(EMAIL_KEY, email);
  } catch {
    /* ignore */
  }
}

export function rememberedEmail() {
  if (state.pending) return state.pending.email;
  try {
    return sessionStorage.getItem(EMAIL_KEY) || '';
  } catch {
    return '';
  }
}

// A SendResponse as the page keeps it: absolute times in this browser's clock.
export function toPending(email, data, previous = null) {
  const now = Date.now();
  const expiresIn = toSeconds(data.expiresIn);
  const expiresAt = Date.parse(data.expiresAt);
  let expiresAtMs = now + 10 * 60 * 1000;
  if (expiresIn !== undefined) expiresAtMs = now + expiresIn * 1000;
  else if (!Number.isNaN(expiresAt)) expiresAtMs = expiresAt;

  return {
    authRequestId: typeof data.authRequestId === 'string' ? data.authRequestId : previous?.authRequestId,
    email,
    passwordlessType: TYPES.includes(data.passwordlessType) ? data.passwordlessType : 'LINK_OTP',
    expiresAtMs,
    resendAtMs: now + (toSeconds(data.resendAfter) ?? 0) * 1000,
    approvalNumber: typeof data.approvalNumber === 'string' ? data.approvalNumber : previous?.approvalNumber,
  };
}
