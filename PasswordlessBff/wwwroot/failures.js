// What a failed request, or a magic link that sent us back with ?error=<code>, does to the sign-in page.

import { problemOf } from './api.js';
import { linkMessages, messageFor, messages } from './messages.js';
import { removeQueryParam } from './paths.js';
import { state } from './state.js';
import { clearCode, focusCode, rejectCode, showCodeView } from './views/check-email.js';
import { showError } from './views/shell.js';
import { rejectEmail, showSignIn, startOver } from './views/signin.js';

const START_OVER_CODES = new Set(['auth_request_invalid', 'too_many_attempts', 'credential_expired']);

// context: 'send' | 'resend' | 'verify' | 'session' | 'logout'
export function handleError(error, context) {
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
      state.returnTo = null;
      removeQueryParam('returnTo');
      showError(text);
      break;
    case 'credential_invalid':
      clearCode();
      rejectCode(text);
      break;
    case 'validation_failed':
      if (context === 'send') rejectEmail(text);
      else if (context === 'verify') rejectCode(text);
      else showError(text);
      break;
    default:
      showError(text);
  }
}

export function handleLinkError(code) {
  const known = messages[code] ? code : 'unknown';

  if (known === 'browser_mismatch') {
    if (state.pending && state.pending.passwordlessType !== 'LINK') {
      showCodeView();
      showError(messages.browser_mismatch);
      focusCode();
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
