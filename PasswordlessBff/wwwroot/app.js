// PasswordlessBff sign-in page: the actions behind its buttons, and start-up. The views live in views/, the API
// calls in api.js. The session and browser-binding cookies are HttpOnly: this page never sees a token.

import { api, problemOf } from './api.js';
import { handleError, handleLinkError } from './failures.js';
import { messageFor, messages } from './messages.js';
import { readReturnTo, redirectAfterSignIn, takeLinkError } from './paths.js';
import { clearPending, loadPending, rememberEmail, savePending, toPending } from './pending.js';
import { state } from './state.js';
import { onOtherTabs, tellOtherTabs } from './tabs.js';
import { bindCheckEmailView, showCodeView, startCountdown, startPolling } from './views/check-email.js';
import { byId, clearMessages, isBusy, restartButton, run, setStatus, showError } from './views/shell.js';
import { bindSignedInView, clearApiResult, offerBackendCall, recheckSession, showApiResult, showSignedIn } from './views/signed-in.js';
import { bindSignInView, showSignIn, startOver } from './views/signin.js';

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
  if (isBusy()) return;
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
    showApiResult(me);
    setStatus('GET /api/me answered 200 OK.');
  } catch (error) {
    handleError(error, 'session');
  }
}

async function callBackend(path) {
  clearMessages();
  try {
    showApiResult(await run(() => api(path), `Calling GET ${path}…`));
    setStatus(`GET ${path} answered through the proxy.`);
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
  clearApiResult();
  showSignIn();
  setStatus('You have signed out.');
  tellOtherTabs('signed-out');
}

function onOtherTab(event) {
  if (event === 'signed-in' && state.view === 'code') startPolling(true);
  else if (event === 'signed-out' && state.view === 'signedin') recheckSession();
}

function bindEvents() {
  bindSignInView({ send: sendEmail });
  bindCheckEmailView({ verify: verifyCode, resend: resendEmail });
  bindSignedInView({ callApi: callProtectedApi, signOut });
  api('/api/ui/config').then((config) => config?.exampleApiPath && offerBackendCall(config.exampleApiPath, callBackend), () => {});
  restartButton.addEventListener('click', () => {
    const email = restartButton.dataset.email;
    if (email) sendEmail(email);
  });
  onOtherTabs(onOtherTab);
}

async function revealDevMailbox() {
  const link = byId('dev-mailbox-link');
  try {
    const response = await fetch('/dev/mailbox', { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
    link.hidden = response.status !== 200;
  } catch {
    link.hidden = true;
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
