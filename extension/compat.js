// The one place that knows Chrome and Firefox differ: Firefox exposes the promise-based
// WebExtension API as `browser`, Chrome as `chrome`. Everything else imports `api` from here
// (content.js, a classic script, repeats this one line).
export const api = globalThis.browser ?? globalThis.chrome;
