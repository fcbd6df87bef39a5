// The sign-in view: the email form, and starting over from it when a login can no longer finish.

import { messages } from '../messages.js';
import { clearPending, rememberedEmail } from '../pending.js';
import { byId, clearMessages, markInvalid, offerRestart, showError, showView } from './shell.js';

const sendForm = byId('send-form');
const email = byId('email');

export function showSignIn() {
  if (!email.value) email.value = rememberedEmail();
  showView('signin', email);
}

export function startOver(text) {
  const address = rememberedEmail();
  clearPending();
  showSignIn();
  showError(text);
  offerRestart(address);
}

export function changeEmail() {
  clearMessages();
  clearPending();
  showSignIn();
  email.select();
}

export function rejectEmail(text) {
  markInvalid(email, text);
}

export function bindSignInView({ send }) {
  sendForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const address = email.value.trim();
    if (!address || !email.checkValidity()) {
      rejectEmail(messages.invalid_email);
      return;
    }
    send(address);
  });
  email.addEventListener('input', () => email.removeAttribute('aria-invalid'));
}
