// The "check your email" view: the code form, the resend countdown, and polling for a link opened in another tab.

import { api, problemOf } from '../api.js';
import { messages } from '../messages.js';
import { isInAppBrowser } from '../inapp.js';
import { clearPending } from '../pending.js';
import { state } from '../state.js';
import { byId, formatTime, isBusy, markInvalid, onBusyChange, onLeaveView, showView, startTimer } from './shell.js';
import { showSignedIn } from './signed-in.js';
import { startApprovalWait, stopApprovalWait } from './approval-wait.js';
import { changeEmail, startOver } from './signin.js';

const POLL_START_MS = 2000;
const POLL_FACTOR = 1.5;
const POLL_MAX_MS = 15000;

const instructions = {
  LINK_OTP: 'Click the link in that email, or type the 6-digit code from it below.',
  LINK: 'Click the link in that email to sign in. If it opens in another tab, this page updates by itself.',
  OTP: 'Type the 6-digit code from that email below.',
};

// In an in-app browser the link would open elsewhere: the code comes first.
const inAppInstructions = 'Type the 6-digit code from that email below. (A link opened from the email leaves this app.)';

const expiryLabels = {
  LINK_OTP: 'The link and the code work until',
  LINK: 'The link works until',
  OTP: 'The code works until',
};

const heading = byId('code-heading');
const sentTo = byId('sent-to');
const codeInstructions = byId('code-instructions');
const expiresNote = byId('expires-note');
const codeForm = byId('code-form');
const code = byId('code');
const resendButton = byId('resend');
const changeEmailButton = byId('change-email');

export function showCodeView() {
  const pending = state.pending;
  sentTo.textContent = pending.email;
  codeForm.hidden = pending.passwordlessType === 'LINK';
  const codeFirst = pending.passwordlessType === 'LINK_OTP' && isInAppBrowser();
  codeInstructions.textContent = codeFirst ? inAppInstructions : instructions[pending.passwordlessType];
  expiresNote.textContent = `${expiryLabels[pending.passwordlessType]} ${formatTime(pending.expiresAtMs)}.`;
  code.value = '';

  showView('code', codeForm.hidden ? heading : code);
  startCountdown();
  startTimer('pendingExpiry', pending.expiresAtMs - Date.now(), onPendingExpired);
  startPolling();
  startApprovalWait();
}

export function rejectCode(text) {
  markInvalid(code, text);
}

export function clearCode() {
  code.value = '';
}

export function focusCode() {
  code.focus();
}

function onPendingExpired() {
  if (state.view !== 'code') return;
  startOver(messages.credential_expired);
}

// Resend countdown -------------------------------------------------------------

let countdownTimer = 0;

function resendSecondsLeft() {
  if (!state.pending) return 0;
  return Math.max(0, Math.ceil((state.pending.resendAtMs - Date.now()) / 1000));
}

function updateResendButton() {
  const left = resendSecondsLeft();
  resendButton.textContent = left > 0 ? `Resend in ${left} s` : 'Resend email';
  resendButton.disabled = isBusy() || left > 0;
  return left;
}

export function startCountdown() {
  stopCountdown();
  if (updateResendButton() <= 0) return;
  countdownTimer = setInterval(() => {
    if (updateResendButton() <= 0) stopCountdown();
  }, 500);
}

function stopCountdown() {
  clearInterval(countdownTimer);
  countdownTimer = 0;
}

// Polling for a link clicked in another tab --------------------------------------

const poll = { timer: 0, delay: POLL_START_MS, generation: 0 };

export function startPolling(immediately = false) {
  stopPolling();
  if (state.view !== 'code' || document.hidden) return;
  poll.delay = POLL_START_MS;
  schedulePoll(immediately ? 0 : nextPollDelay());
}

// 2 s, 3 s, 4.5 s, ... capped at 15 s.
function nextPollDelay() {
  const delay = poll.delay;
  poll.delay = Math.min(POLL_MAX_MS, poll.delay * POLL_FACTOR);
  return delay;
}

function stopPolling() {
  clearTimeout(poll.timer);
  poll.timer = 0;
  poll.generation += 1; // ignore answers to requests already on the wire
}

function schedulePoll(ms) {
  const generation = poll.generation;
  poll.timer = setTimeout(() => pollSession(generation), ms);
}

async function pollSession(generation) {
  let retryAfterMs = 0;
  try {
    const session = await api('/api/auth/session'); // never ?slide=true here
    if (generation !== poll.generation || state.view !== 'code') return;
    clearPending();
    showSignedIn(session, 'You are signed in with the link from your email.');
    return;
  } catch (error) {
    if (generation !== poll.generation) return;
    retryAfterMs = (problemOf(error).retryAfter ?? 0) * 1000;
  }
  schedulePoll(Math.max(nextPollDelay(), retryAfterMs));
}

function onVisibilityChange() {
  if (document.hidden) stopPolling();
  else if (state.view === 'code') startPolling(true);
}

// Code input: digits only, paste-friendly, auto-submit at 6 digits ----------------

function digitsOnly(text) {
  return String(text).replace(/\D/g, '');
}

function extractCode(text) {
  const grouped = String(text).match(/\d(?:[\s-]*\d){5}/);
  return grouped ? digitsOnly(grouped[0]) : digitsOnly(text);
}

function onCodeInput() {
  const digits = digitsOnly(code.value).slice(0, 6);
  if (digits !== code.value) code.value = digits;
  code.removeAttribute('aria-invalid');
  autoSubmitCode();
}

function onCodePaste(event) {
  const pasted = event.clipboardData?.getData('text') ?? '';
  const digits = extractCode(pasted);
  if (!digits) return;
  event.preventDefault();

  if (digits.length >= 6) {
    code.value = digits.slice(0, 6);
  } else {
    const start = code.selectionStart ?? code.value.length;
    const end = code.selectionEnd ?? code.value.length;
    code.value = (code.value.slice(0, start) + digits + code.value.slice(end)).slice(0, 6);
  }
  code.removeAttribute('aria-invalid');
  autoSubmitCode();
}

function autoSubmitCode() {
  if (code.value.length === 6 && !isBusy()) codeForm.requestSubmit();
}

export function bindCheckEmailView({ verify, resend }) {
  codeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const digits = digitsOnly(code.value);
    if (!/^\d{6}$/.test(digits)) {
      rejectCode(messages.invalid_code);
      return;
    }
    verify(digits);
  });
  code.addEventListener('input', onCodeInput);
  code.addEventListener('paste', onCodePaste);
  resendButton.addEventListener('click', resend);
  changeEmailButton.addEventListener('click', changeEmail);
  document.addEventListener('visibilitychange', onVisibilityChange);
  onBusyChange(resendButton, updateResendButton);
  onLeaveView(() => {
    stopPolling();
    stopCountdown();
    stopApprovalWait();
  });
}
