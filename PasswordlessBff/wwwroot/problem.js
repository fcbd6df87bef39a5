// Reading the BFF's answers, shared by the sign-in page and the confirm page: a JSON body or nothing, and the
// stable problem code a page switches on (with a fallback from the status when the body has none).

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
