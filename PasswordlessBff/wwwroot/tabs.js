// Other tabs of this page hear about a sign-in or sign-out at once; polling stays the fallback.
const otherTabs = 'BroadcastChannel' in window ? new BroadcastChannel('passwordlessbff') : null;

export function tellOtherTabs(event) {
  otherTabs?.postMessage(event);
}

export function onOtherTabs(listener) {
  otherTabs?.addEventListener('message', (event) => listener(event.data));
}
