// jsdom implements <dialog> as a plain element: showModal() and close() are missing. These follow the
// HTML standard's steps that the console relies on (the open attribute, the close event); focus handling
// and the top layer are the browser's and are covered by the end-to-end test in real Chromium.
const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal?: () => void };
if (!('showModal' in proto) || typeof proto.showModal !== 'function') {
  Object.defineProperty(proto, 'open', {
    configurable: true,
    get(this: HTMLDialogElement) {
      return this.hasAttribute('open');
    },
  });
  proto.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}
