// What every view of the sign-in page shares: switching views, the error and status regions, the busy state,
// timers and times. All user data is written with textContent.

import { state } from '../state.js';

const APP_NAME = 'PasswordlessBff';
const MAX_TIMEOUT_MS = 2147483647;
const viewTitles = { signin: 'Sign in', code: 'Check your email', signedin: 'Signed in' };

export const byId = (id) => document.getElementById(id);

const main = byId('main');
const loading = byId('loading');
const errorRegion = byId('error');
const errorActions = byId('error-actions');
const statusRegion = byId('status');
export const restartButton = byId('restart');

const sections = { signin: byId('view-signin'), code: byId('view-code'), signedin: byId('view-signedin') };
const leaveListeners = [];

// Views stop their own timers and polling when another view takes over.
export function onLeaveView(listener) {
  leaveListeners.push(listener);
}

export function showView(name, focusTarget) {
  state.view = name;
  loading.hidden = true;
  for (const [key, element] of Object.entries(sections)) element.hidden = key !== name;
  document.title = `${viewTitles[name]} · ${APP_NAME}`;

  for (const listener of leaveListeners) listener();
  for (const timer of Object.keys(timers)) stopTimer(timer);
  focusTarget.focus();
}

// Messages -------------------------------------------------------------------

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

export function showError(text) {
  announce(statusRegion, '');
  announce(errorRegion, text);
}

export function setStatus(text) {
  announce(statusRegion, text);
}

export function clearMessages() {
  announce(errorRegion, '');
  announce(statusRegion, '');
  errorActions.hidden = true;
  for (const input of main.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

export function offerRestart(email) {
  if (!email) return;
  restartButton.textContent = `Send a new email to ${email}`;
  restartButton.dataset.email = email;
  errorActions.hidden = false;
}

export function markInvalid(input, text) {
  input.setAttribute('aria-invalid', 'true');
  showError(text);
  input.focus();
}

// Busy state: every button is disabled while a request is in flight ------------

let busy = 0;
const busyListeners = [];

export const isBusy = () => busy > 0;

// A button with a life of its own (the resend countdown) is left alone here and told instead.
export function onBusyChange(except, listener) {
  busyListeners.push({ except, listener });
}

export async function run(task, busyText) {
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
  main.setAttribute('aria-busy', String(isBusy()));
  const own = new Set(busyListeners.map(({ except }) => except));
  for (const button of document.querySelectorAll('main button')) {
    if (!own.has(button)) button.disabled = isBusy();
  }
  for (const { listener } of busyListeners) listener();
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

// Timers and times -------------------------------------------------------------

const timers = { pendingExpiry: 0, sessionExpiry: 0 };

export function startTimer(name, ms, callback) {
  stopTimer(name);
  timers[name] = setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMEOUT_MS));
}

export function stopTimer(name) {
  clearTimeout(timers[name]);
  timers[name] = 0;
}

export function formatTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function formatDateTime(date) {
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

export function setTime(element, iso) {
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
