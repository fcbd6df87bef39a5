// In-app browsers and webviews (Facebook, Instagram, LINE, Google app, Android WebView): a link from the email opens
// in another browser there, so the page leads with the code.
const IN_APP = /FBAN|FBAV|Instagram|\bLine\/|; wv\)|\bGSA\//;

export function isInAppBrowser(userAgent = navigator.userAgent) {
  return IN_APP.test(userAgent);
}
