// PasswordlessBff demo page.
// The session and browser-binding cookies are HttpOnly: this script never sees a token,
// only the JSON bodies the API returns. All user data is written with textContent.

import { readJson, toProblem, toSeconds } from './problem.js';

const POLL_START_MS = 2000;
const POLL_FACTOR = 1.5;
const POLL_MAX_MS = 15000;
const MAX_TIMEOUT_MS = 2147483647;
const PENDING_KEY = 'passwordlessbff.pending';
const EMAIL_KEY = 'passwordlessbff.email';
const APP_NAME = 'PasswordlessBff';

const messages = {
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
const linkMessages = {
  credential_invalid: 'This sign-in link has already been used or is not valid. Send a new email to get a fresh link.',
  credential_expired: 'This sign-in link has expired. Send a new email to get a fresh one.',
};

const instructions = {
  LINK_OTP: 'Click the link in that email, or type the 6-digit code from it below.',
  LINK: 'Click the link in that email to sign in. If it opens in another tab, this page updates by itself.',
  OTP: 'Type the 6-digit code from that email below.',
};

const expiryLabels = {
  LINK_OTP: 'The link and the code work until',
  LINK: 'The link works until',
  OTP: 'The code works until',
};

const viewTitles = { signin: 'Sign in', code: 'Check your email', signedin: 'Signed in' };

const START_OVER_CODES = new Set(['auth_request_invalid', 'too_many_attempts', 'credential_expired']);

// ---------------------------------------------------------------------------
// DOM

const byId = (id) => document.getElementById(id);

const els = {
  loading: byId('loading'),
  error: byId('error'),
  errorActions: byId('error-actions'),
  restart: byId('restart'),
  status: byId('status'),
  sendForm: byId('send-form'),
  email: byId('email'),
  codeForm: byId('code-form'),
  code: byId('code'),
  sentTo: byId('sent-to'),
  codeInstructions: byId('code-instructions'),
  expiresNote: byId('expires-note'),
  resend: byId('resend'),
  changeEmail: byId('change-email'),
  codeHeading: byId('code-heading'),
  signedInHeading: byId('signedin-heading'),
  signedInEmail: byId('signed-in-email'),
  sessionExpires: byId('session-expires'),
  idleNote: byId('idle-note'),
  idleExpires: byId('idle-expires'),
  callApi: byId('call-api'),
  apiResult: byId('api-result'),
  logout: byId('logout'),
  devMailbox: byId('dev-mailbox-link'),
};

const views = {
  signin: byId('view-signin'),
  code: byId('view-code'),
  signedin: byId('view-signedin'),
};

const state = {
  view: null,
  pending: null, // { authRequestId, email, passwordlessType, expiresAtMs, resendAtMs }
  returnTo: null,
};

// ---------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(problem) {
    super(problem.title || problem.code);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-CSRF'] = '1';
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError({ status: 0, code: 'network_error' });
  }

  const data = await readJson(response);
  if (response.ok) return data;
  throw new ApiError(toProblem(response, data));
}

function problemOf(error) {
  if (error instanceof ApiError) return error.problem;
  console.error(error);
  return { status: 0, code: 'unknown' };
}

// ---------------------------------------------------------------------------
// Messages

function messageFor(problem, overrides = {}) {
  const code = problem.code;
  let text = overrides[code] ?? messages[code];
  if (!text) text = typeof problem.detail === 'string' && problem.detail ? problem.detail : messages.unknown;

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

function formatWait(seconds) {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function announce(region, text) {
  // A fresh child node makes screen readers announce repeated messages too.
  if (!text) {
    region.replaceChildren();
    return;
  }
  const p = document.createElement('p');
  p.textContent = text;
  region.replaceChildren(p);
}

function showError(text) {
  announce(els.status, '');
  announce(els.error, text);
}

function setStatus(text) {
  announce(els.status, text);
}

function clearMessages() {
  announce(els.error, '');
  announce(els.status, '');
  els.errorActions.hidden = true;
  els.email.removeAttribute('aria-invalid');
  els.code.removeAttribute('aria-invalid');
}

function offerRestart(email) {
  if (!email) return;
  els.restart.textContent = `Send a new email to ${email}`;
  els.restart.dataset.email = email;
  els.errorActions.hidden = false;
}

function markInvalid(input, text) {
  input.setAttribute('aria-invalid', 'true');
  showError(text);
  input.focus();
}

// ---------------------------------------------------------------------------
// Busy state: every button is disabled while a request is in flight.

let busy = 0;

async function run(task, busyText) {
  const focused = document.activeElement;
  busy += 1;
  syncBusy();
  if (busyText) setStatus(busyText);
  try {
    return await task();
  } finally {
    busy -= 1;
    syncBusy();
    restoreFocus(focused);
  }
}

function syncBusy() {
  const isBusy = busy > 0;
  byId('main').setAttribute('aria-busy', String(isBusy));
  for (const button of document.querySelectorAll('main button')) {
    if (button !== els.resend) button.disabled = isBusy;
  }
  updateResendButton();
}

function restoreFocus(element) {
  // Disabling a focused button drops focus to <body>; give it back to keyboard users.
  const lost = !document.activeElement || document.activeElement === document.body;
  if (lost && element instanceof HTMLElement && element.isConnected && !element.disabled && isVisible(element)) {
    element.focus();
  }
}

function isVisible(element) {
  return element.getClientRects().length > 0;
}

// ---------------------------------------------------------------------------
// Storage: a pending login survives reloads of this tab.

function savePending(pending) {
  state.pending = pending;
  try {
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  } catch {
    /* storage unavailable: the flow still works until reload */
  }
}

function loadPending() {
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

function clearPending() {
  state.pending = null;
  try {
    sessionStorage.removeItem(PENDING_KEY);
  } catch {
    /* ignore */
  }
}

function rememberEmail(email) {
  try {
    sessionStorage.setItem(EMAIL_KEY, email);
  } catch {
    /* ignore */
  }
}

function rememberedEmail() {
  if (state.pending) return state.pending.email;
  try {
    return sessionStorage.getItem(EMAIL_KEY) || '';
  } catch {
    return '';
  }
}

function toPending(email, data, previous = null) {
  const now = Date.now();
  const expiresIn = toSeconds(data.expiresIn);
  const expiresAt = Date.parse(data.expiresAt);
  let expiresAtMs = now + 10 * 60 * 1000;
  if (expiresIn !== undefined) expiresAtMs = now + expiresIn * 1000;
  else if (!Number.isNaN(expiresAt)) expiresAtMs = expiresAt;

  return {
    authRequestId: typeof data.authRequestId === 'string' ? data.authRequestId : previous?.authRequestId,
    email,
    passwordlessType: instructions[data.passwordlessType] ? data.passwordlessType : 'LINK_OTP',
    expiresAtMs,
    resendAtMs: now + (toSeconds(data.resendAfter) ?? 0) * 1000,
  };
}

// ---------------------------------------------------------------------------
// URL helpers

function safeLocalPath(value) {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return null;
  }
  return value;
}

function readReturnTo() {
  return safeLocalPath(new URL(location.href).searchParams.get('returnTo'));
}

function removeQueryParam(name) {
  const url = new URL(location.href);
  if (!url.searchParams.has(name)) return;
  url.searchParams.delete(name);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

function takeLinkError() {
  const code = new URL(location.href).searchParams.get('error');
  if (code === null) return null;
  removeQueryParam('error');
  return /^[a-z_]{1,64}$/.test(code) ? code : 'unknown';
}

function dropReturnTo() {
  state.returnTo = null;
  removeQueryParam('returnTo');
}

function redirectAfterSignIn(returnTo) {
  const target = safeLocalPath(returnTo);
  const here = location.pathname + location.search;
  if (!target || target === '/' || target === here) return false;
  location.assign(target);
  return true;
}

// ---------------------------------------------------------------------------
// Time formatting

function formatTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function formatDateTime(date) {
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

function setTime(element, iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    element.textContent = 'unknown';
    element.removeAttribute('datetime');
    return false;
  }
  element.dateTime = date.toISOString();
  element.textContent = formatDateTime(date);
  element.title = date.toLocaleString();
  return true;
}

// ---------------------------------------------------------------------------
// Views

function showView(name) {
  state.view = name;
  els.loading.hidden = true;
  for (const [key, element] of Object.entries(views)) element.hidden = key !== name;
  document.title = `${viewTitles[name]} · ${APP_NAME}`;

  stopPolling();
  stopCountdown();
  stopTimer('pendingExpiry');
  stopTimer('sessionExpiry');
  focusView(name);
}

function focusView(name) {
  if (name === 'signin') els.email.focus();
  else if (name === 'code') (els.codeForm.hidden ? els.codeHeading : els.code).focus();
  else els.signedInHeading.focus();
}

function showSignIn() {
  if (!els.email.value) els.email.value = rememberedEmail();
  showView('signin');
}

function showCodeView() {
  const pending = state.pending;
  els.sentTo.textContent = pending.email;
  els.codeForm.hidden = pending.passwordlessType === 'LINK';
  els.codeInstructions.textContent = instructions[pending.passwordlessType];
  els.expiresNote.textContent = `${expiryLabels[pending.passwordlessType]} ${formatTime(pending.expiresAtMs)}.`;
  els.code.value = '';

  showView('code');
  startCountdown();
  startTimer('pendingExpiry', pending.expiresAtMs - Date.now(), onPendingExpired);
  startPolling();
}

function showSignedIn(session, statusText) {
  renderSession(session);
  els.apiResult.textContent = '';
  els.apiResult.hidden = true;

  showView('signedin');
  if (statusText) setStatus(statusText);
  scheduleSessionCheck(session);
  tellOtherTabs('signed-in');
}

function renderSession(session) {
  els.signedInEmail.textContent = session.email ?? '';
  setTime(els.sessionExpires, session.expiresAt);
  const idle = Date.parse(session.idleExpiresAt);
  const absolute = Date.parse(session.expiresAt);
  els.idleNote.hidden = Number.isNaN(idle) || (!Number.isNaN(absolute) && idle >= absolute);
  if (!els.idleNote.hidden) setTime(els.idleExpires, session.idleExpiresAt);
}

// Re-check (without sliding) once the session should have ended, so the page does not lie.
function scheduleSessionCheck(session) {
  const ends = [Date.parse(session.idleExpiresAt), Date.parse(session.expiresAt)].filter((ms) => !Number.isNaN(ms));
  if (ends.length === 0) return;
  startTimer('sessionExpiry', Math.max(5000, Math.min(...ends) - Date.now() + 1000), recheckSession);
}

// ---------------------------------------------------------------------------
// Timers

const timers = { pendingExpiry: 0, sessionExpiry: 0 };

function startTimer(name, ms, callback) {
  stopTimer(name);
  timers[name] = setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMEOUT_MS));
}

function stopTimer(name) {
  clearTimeout(timers[name]);
  timers[name] = 0;
}

function onPendingExpired() {
  if (state.view !== 'code') return;
  startOver(messages.credential_expired);
}

async function recheckSession() {
  if (state.view !== 'signedin') return;
  try {
    const session = await api('/api/auth/session');
    if (state.view !== 'signedin') return;
    renderSession(session);
    scheduleSessionCheck(session);
  } catch (error) {
    const problem = problemOf(error);
    if (problem.code === 'unauthenticated' && state.view === 'signedin') {
      showSignIn();
      showError('Your session has ended. Sign in again to continue.');
    }
  }
}

// Resend countdown ----------------------------------------------------------

let countdownTimer = 0;

function resendSecondsLeft() {
  if (!state.pending) return 0;
  return Math.max(0, Math.ceil((state.pending.resendAtMs - Date.now()) / 1000));
}

function updateResendButton() {
  const left = resendSecondsLeft();
  els.resend.textContent = left > 0 ? `Resend in ${left} s` : 'Resend email';
  els.resend.disabled = busy > 0 || left > 0;
  return left;
}

function startCountdown() {
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

// Polling for a link clicked in another tab ---------------------------------

const poll = { timer: 0, delay: POLL_START_MS, generation: 0 };

function startPolling(immediately = false) {
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

// Other tabs of this page hear about a sign-in or sign-out at once; polling stays the fallback.
const otherTabs = 'BroadcastChannel' in window ? new BroadcastChannel('passwordlessbff') : null;

function tellOtherTabs(event) {
  otherTabs?.postMessage(event);
}

function onOtherTab(event) {
  if (event.data === 'signed-in' && state.view === 'code') startPolling(true);
  else if (event.data === 'signed-out' && state.view === 'signedin') recheckSession();
}

function onVisibilityChange() {
  if (document.hidden) stopPolling();
  else if (state.view === 'code') startPolling(true);
}

// ---------------------------------------------------------------------------
// Actions

async function sendEmail(email) {
  clearMessages();
  rememberEmail(email);
  const body = { email };
  if (state.returnTo) body.returnTo = state.returnTo;
  try {
    const data = await run(() => api('/api/auth/send', { method: 'POST', body }), 'Sending the email…');
    savePending(toPending(email, data));
    showCodeView();
    setStatus(`Email sent to ${email}.`);
  } catch (error) {
    handleError(error, 'send');
  }
}

async function resendEmail() {
  const pending = state.pending;
  if (!pending) {
    startOver(messages.auth_request_invalid);
    return;
  }
  clearMessages();
  try {
    const data = await run(
      () => api('/api/auth/resend', { method: 'POST', body: { authRequestId: pending.authRequestId } }),
      'Sending a new email…',
    );
    savePending(toPending(pending.email, data, pending));
    showCodeView();
    setStatus(`We sent a new email to ${pending.email}. Use the newest link or code.`);
  } catch (error) {
    const problem = problemOf(error);
    if (problem.retryAfter > 0 && state.pending) {
      savePending({ ...state.pending, resendAtMs: Date.now() + problem.retryAfter * 1000 });
      startCountdown();
    }
    handleError(error, 'resend');
  }
}

async function verifyCode(code) {
  const pending = state.pending;
  if (busy > 0) return;
  if (!pending) {
    startOver(messages.auth_request_invalid);
    return;
  }
  clearMessages();
  try {
    const session = await run(
      () => api('/api/auth/verify', { method: 'POST', body: { code, authRequestId: pending.authRequestId } }),
      'Checking the code…',
    );
    clearPending();
    if (redirectAfterSignIn(session?.returnTo)) return;
    showSignedIn(session, 'You are signed in.');
  } catch (error) {
    handleError(error, 'verify');
  }
}

async function callProtectedApi() {
  clearMessages();
  try {
    const me = await run(() => api('/api/me'), 'Calling GET /api/me…');
    els.apiResult.textContent = JSON.stringify(me, null, 2);
    els.apiResult.hidden = false;
    setStatus('GET /api/me answered 200 OK.');
  } catch (error) {
    handleError(error, 'session');
  }
}

async function signOut() {
  clearMessages();
  try {
    await run(() => api('/api/auth/logout', { method: 'POST' }), 'Signing out…');
  } catch (error) {
    if (problemOf(error).code !== 'unauthenticated') {
      handleError(error, 'logout');
      return;
    }
  }
  els.apiResult.textContent = '';
  showSignIn();
  setStatus('You have signed out.');
  tellOtherTabs('signed-out');
}

function startOver(text) {
  const email = rememberedEmail();
  clearPending();
  showSignIn();
  showError(text);
  offerRestart(email);
}

function handleError(error, context) {
  const problem = problemOf(error);
  const text = messageFor(problem);

  if (START_OVER_CODES.has(problem.code)) {
    startOver(text);
    return;
  }

  switch (problem.code) {
    case 'unauthenticated':
      if (context === 'session' || context === 'logout') showSignIn();
      showError(text);
      break;
    case 'return_to_not_allowed':
      dropReturnTo();
      showError(text);
      break;
    case 'credential_invalid':
      els.code.value = '';
      markInvalid(els.code, text);
      break;
    case 'validation_failed':
      if (context === 'send') markInvalid(els.email, text);
      else if (context === 'verify') markInvalid(els.code, text);
      else showError(text);
      break;
    default:
      showError(text);
  }
}

function handleLinkError(code) {
  const known = messages[code] ? code : 'unknown';

  if (known === 'browser_mismatch') {
    if (state.pending && state.pending.passwordlessType !== 'LINK') {
      showCodeView();
      showError(messages.browser_mismatch);
      els.code.focus();
    } else {
      showSignIn();
      showError(messages.browser_mismatch_elsewhere);
    }
    return;
  }

  if (START_OVER_CODES.has(known) || known === 'credential_invalid') {
    startOver(linkMessages[known] ?? messages[known]);
    return;
  }

  if (state.pending) showCodeView();
  else showSignIn();
  showError(messages[known]);
}

// ---------------------------------------------------------------------------
// Code input: digits only, paste-friendly, auto-submit at 6 digits.

function digitsOnly(text) {
  return String(text).replace(/\D/g, '');
}

function extractCode(text) {
  const grouped = String(text).match(/\d(?:[\s-]*\d){5}/);
  return grouped ? digitsOnly(grouped[0]) : digitsOnly(text);
}

function onCodeInput() {
  const digits = digitsOnly(els.code.value).slice(0, 6);
  if (digits !== els.code.value) els.code.value = digits;
  els.code.removeAttribute('aria-invalid');
  autoSubmitCode();
}

function onCodePaste(event) {
  const pasted = event.clipboardData?.getData('text') ?? '';
  const digits = extractCode(pasted);
  if (!digits) return;
  event.preventDefault();

  const input = els.code;
  if (digits.length >= 6) {
    input.value = digits.slice(0, 6);
  } else {
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    input.value = (input.value.slice(0, start) + digits + input.value.slice(end)).slice(0, 6);
  }
  input.removeAttribute('aria-invalid');
  autoSubmitCode();
}

function autoSubmitCode() {
  if (els.code.value.length === 6 && busy === 0) els.codeForm.requestSubmit();
}

// ---------------------------------------------------------------------------
// Events and start-up

function onSendSubmit(event) {
  event.preventDefault();
  const email = els.email.value.trim();
  if (!email || !els.email.checkValidity()) {
    markInvalid(els.email, messages.invalid_email);
    return;
  }
  sendEmail(email);
}

function onCodeSubmit(event) {
  event.preventDefault();
  const code = digitsOnly(els.code.value);
  if (!/^\d{6}$/.test(code)) {
    markInvalid(els.code, messages.invalid_code);
    return;
  }
  verifyCode(code);
}

function onChangeEmail() {
  clearMessages();
  clearPending();
  showSignIn();
  els.email.select();
}

function onRestart() {
  const email = els.restart.dataset.email;
  if (email) sendEmail(email);
}

function bindEvents() {
  els.sendForm.addEventListener('submit', onSendSubmit);
  els.codeForm.addEventListener('submit', onCodeSubmit);
  els.code.addEventListener('input', onCodeInput);
  els.code.addEventListener('paste', onCodePaste);
  els.email.addEventListener('input', () => els.email.removeAttribute('aria-invalid'));
  els.resend.addEventListener('click', resendEmail);
  els.changeEmail.addEventListener('click', onChangeEmail);
  els.restart.addEventListener('click', onRestart);
  els.callApi.addEventListener('click', callProtectedApi);
  els.logout.addEventListener('click', signOut);
  document.addEventListener('visibilitychange', onVisibilityChange);
  otherTabs?.addEventListener('message', onOtherTab);
}

async function revealDevMailbox() {
  try {
    const response = await fetch('/dev/mailbox', { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
    els.devMailbox.hidden = response.status !== 200;
  } catch {
    els.devMailbox.hidden = true;
  }
}

async function currentSession() {
  try {
    return await api('/api/auth/session');
  } catch (error) {
    const problem = problemOf(error);
    if (problem.code !== 'unauthenticated') showError(messageFor(problem));
    return null;
  }
}

async function init() {
  bindEvents();
  revealDevMailbox();
  state.returnTo = readReturnTo();
  const linkError = takeLinkError();
  state.pending = loadPending();

  const session = await currentSession();
  if (session) {
    clearPending();
    showSignedIn(session);
  } else if (linkError) {
    handleLinkError(linkError);
  } else if (state.pending) {
    showCodeView();
  } else {
    showSignIn();
  }
}

init();
