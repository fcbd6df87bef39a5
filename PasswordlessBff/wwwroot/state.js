// What the sign-in page knows right now, shared by its views.
export const state = {
  view: null, // 'signin' | 'code' | 'signedin'
  pending: null, // { authRequestId, email, passwordlessType, expiresAtMs, resendAtMs }
  returnTo: null,
};
