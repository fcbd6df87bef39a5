// The signed-in view: who, until when, and a call to a protected route. Every session read here is without ?slide.

import { api, problemOf } from '../api.js';
import { state } from '../state.js';
import { tellOtherTabs } from '../tabs.js';
import { byId, setStatus, setTime, showError, showView, startTimer } from './shell.js';
import { showSignIn } from './signin.js';

const heading = byId('signedin-heading');
const signedInEmail = byId('signed-in-email');
const sessionExpires = byId('session-expires');
const idleNote = byId('idle-note');
const idleExpires = byId('idle-expires');
const callApiButton = byId('call-api');
const callBackendButton = byId('call-backend');
const apiResult = byId('api-result');
const logoutButton = byId('logout');

export function showSignedIn(session, statusText) {
  renderSession(session);
  clearApiResult();

  showView('signedin', heading);
  if (statusText) setStatus(statusText);
  scheduleSessionCheck(session);
  tellOtherTabs('signed-in');
}

export function showApiResult(value) {
  apiResult.textContent = JSON.stringify(value, null, 2);
  apiResult.hidden = false;
}

export function clearApiResult() {
  apiResult.textContent = '';
  apiResult.hidden = true;
}

function renderSession(session) {
  signedInEmail.textContent = session.email ?? '';
  setTime(sessionExpires, session.expiresAt);
  const idle = Date.parse(session.idleExpiresAt);
  const absolute = Date.parse(session.expiresAt);
  idleNote.hidden = Number.isNaN(idle) || (!Number.isNaN(absolute) && idle >= absolute);
  if (!idleNote.hidden) setTime(idleExpires, session.idleExpiresAt);
}

// Re-check (without sliding) once the session should have ended, so the page does not lie.
function scheduleSessionCheck(session) {
  const ends = [Date.parse(session.idleExpiresAt), Date.parse(session.expiresAt)].filter((ms) => !Number.isNaN(ms));
  if (ends.length === 0) return;
  startTimer('sessionExpiry', Math.max(5000, Math.min(...ends) - Date.now() + 1000), recheckSession);
}

export async function recheckSession() {
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

// A backend behind the proxy, when Ui__ExampleApiPath names one.
export function offerBackendCall(path, callBackend) {
  callBackendButton.textContent = `Call GET ${path}`;
  callBackendButton.hidden = false;
  callBackendButton.addEventListener('click', () => callBackend(path));
}

export function bindSignedInView({ callApi, signOut }) {
  callApiButton.addEventListener('click', callApi);
  logoutButton.addEventListener('click', signOut);
}
