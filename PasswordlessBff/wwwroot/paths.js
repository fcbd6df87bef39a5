// The address bar: returnTo, the ?error=<code> a failed magic link lands with, and where to go once signed in.

// A path on this site; never '//host' or '/\host', which browsers read as another host.
export function safeLocalPath(value) {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return null;
  }
  return value;
}

// Where to go once signed in, from the session the server returned: it checked returnTo against the allowed origins
// at send and again at verify, so an absolute http(s) address is kept. Anything else stays here (null).
export function signedInTarget(returnTo) {
  const local = safeLocalPath(returnTo);
  if (local || typeof returnTo !== 'string') return local;
  let url;
  try {
    url = new URL(returnTo);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.origin === location.origin ? url.pathname + url.search + url.hash : url.href;
}

// A returnTo in this page's own address is anyone's to craft: only a local path is passed on.
export function readReturnTo() {
  return safeLocalPath(new URL(location.href).searchParams.get('returnTo'));
}

export function removeQueryParam(name) {
  const url = new URL(location.href);
  if (!url.searchParams.has(name)) return;
  url.searchParams.delete(name);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

export function takeLinkError() {
  const code = new URL(location.href).searchParams.get('error');
  if (code === null) return null;
  removeQueryParam('error');
  return /^[a-z_]{1,64}$/.test(code) ? code : 'unknown';
}

// Leaves the sign-in page for returnTo when it names somewhere else; false when the page should show the session.
export function redirectAfterSignIn(returnTo) {
  const target = signedInTarget(returnTo);
  const here = location.pathname + location.search;
  if (!target || target === '/' || target === here) return false;
  location.assign(target);
  return true;
}
