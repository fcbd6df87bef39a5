// Talking to the BFF, shared by the sign-in page and the confirm page. The session and browser-binding cookies are
// HttpOnly: a page never sees a token, only the JSON bodies the API returns.

export class ApiError extends Error {
  constructor(problem) {
    super(problem.title || problem.code);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

// Every POST carries the CSRF header and a JSON body; answers are JSON or RFC 9457 problem JSON.
export async function api(path, { method = 'GET', body } = {}) {
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

export function problemOf(error) {
  if (error instanceof ApiError) return error.problem;
  console.error(error);
  return { status: 0, code: 'unknown' };
}

export async function readJson(response) {
  if (response.status === 204) return null;
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// The stable problem code a page switches on, with a fallback from the status when the body has none.
export function toProblem(response, data) {
  const body = data && typeof data === 'object' ? data : {};
  return {
    status: response.status,
    code: typeof body.code === 'string' ? body.code : codeForStatus(response.status),
    title: body.title,
    detail: body.detail,
    errors: body.errors,
    retryAfter: toSeconds(body.retryAfter) ?? toSeconds(response.headers.get('Retry-After')),
  };
}

export function codeForStatus(status) {
  if (status === 400) return 'validation_failed';
  if (status === 401) return 'unauthenticated';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'upstream_unavailable';
  if (status >= 500) return 'internal_error';
  return 'unknown';
}

export function toSeconds(value) {
  if (value === null || value === undefined || value === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}
