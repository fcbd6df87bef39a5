// Development only: lists what the service "sent" (GET /dev/mailbox/messages), newest first. Message data is written
// with textContent; the email's HTML version only ever goes into a sandboxed srcdoc frame.

const main = document.getElementById('mailbox');
const status = document.getElementById('mailbox-status');

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// A link in the sandboxed HTML version must open at the top, in this browser, or it loads inside the frame without cookies.
function openingLinksInThisTab(html) {
  const base = '<base target="_top">';
  const head = html.search(/<head>/i);
  return head < 0 ? base + html : html.slice(0, head + '<head>'.length) + base + html.slice(head + '<head>'.length);
}

function isWebAddress(line) {
  if (/\s/.test(line)) return false;
  try {
    const url = new URL(line);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// The plain-text part, with each line that is a web address turned into a link that opens in this browser.
function linkedText(text) {
  const nodes = [];
  String(text).split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r+$/, '');
    if (index > 0) nodes.push('\n');
    nodes.push(isWebAddress(line) ? element('a', { href: line, textContent: line }) : line);
  });
  return nodes;
}

function receivedAt(iso) {
  const date = new Date(iso);
  const shown = Number.isNaN(date.getTime()) ? String(iso) : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return element('time', { dateTime: String(iso), textContent: shown });
}

function renderMessage(message) {
  const subject = String(message.subject ?? '');
  const frame = element('iframe', { title: `HTML version of ${subject}` });
  frame.setAttribute('sandbox', 'allow-popups allow-top-navigation-by-user-activation');
  frame.srcdoc = openingLinksInThisTab(String(message.html ?? ''));

  return element('article', { className: 'card mail' }, [
    element('h2', { textContent: subject }),
    element('p', { className: 'meta' }, [`To ${message.to ?? ''} · `, receivedAt(message.receivedAt)]),
    element('pre', { className: 'mail-text' }, linkedText(message.text ?? '')),
    element('details', {}, [element('summary', { textContent: 'HTML version' }), frame]),
  ]);
}

function renderEmpty() {
  return element('p', {}, ['No messages yet. Ask for a sign-in link on the ', element('a', { href: '/', textContent: 'sign-in page' }), '.']);
}

async function load() {
  let messages;
  try {
    const response = await fetch('/dev/mailbox/messages', { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    messages = await response.json();
  } catch (error) {
    status.textContent = `Could not load the messages (${error.message}). Reload the page to try again.`;
    return;
  }
  const list = Array.isArray(messages) ? messages : [];
  status.remove();
  main.append(...(list.length === 0 ? [renderEmpty()] : list.map(renderMessage)));
}

load();
