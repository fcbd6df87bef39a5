// The asking browser's side of the cross-device approval: show the 2-digit number, and poll once a second so an
// approval on another device signs this browser in within 2 s (the poll carries this browser's binding cookie).

import { api, problemOf } from '../api.js';
import { messages } from '../messages.js';
import { clearPending } from '../pending.js';
import { state } from '../state.js';
import { byId } from './shell.js';
import { showSignedIn } from './signed-in.js';
import { startOver } from './signin.js';

const POLL_MS = 1000;

const note = byId('approval-note');
const digits = byId('approval-number');
const wait = { timer: 0, generation: 0 };

export function startApprovalWait() {
  stopApprovalWait();
  const pending = state.pending;
  const number = pending?.approvalNumber;
  note.hidden = !number || pending.passwordlessType === 'OTP';
  if (note.hidden) return;
  digits.textContent = number;
  schedule(POLL_MS);
}

export function stopApprovalWait() {
  clearTimeout(wait.timer);
  wait.timer = 0;
  wait.generation += 1; // ignore answers to requests already on the wire
}

function schedule(ms) {
  const generation = wait.generation;
  wait.timer = setTimeout(() => check(generation), ms);
}

async function check(generation) {
  let session;
  try {
    session = await api('/api/auth/approval/complete', { method: 'POST', body: {} });
  } catch (error) {
    if (generation !== wait.generation || state.view !== 'code') return;
    const problem = problemOf(error);
    if (problem.code === 'approval_refused') {
      stopApprovalWait();
      startOver(messages.approval_refused);
    } else if (problem.code === 'network_error' || problem.code === 'rate_limited' || problem.status >= 500) {
      schedule(Math.max(POLL_MS, (problem.retryAfter ?? 0) * 1000));
    }
    // Any other answer is final for the approval (the code may still work): stop asking.
    return;
  }
  if (generation !== wait.generation || state.view !== 'code') return;
  if (session?.email) {
    stopApprovalWait();
    clearPending();
    showSignedIn(session, 'You are signed in: another device approved it.');
    return;
  }
  schedule(POLL_MS);
}
