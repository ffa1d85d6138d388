// Page-load scenarios recorded from real browsers into tests/data (scripts/record-logs) and
// replayed natively by crates/pagevitals-engine/tests/recorded.rs. Each names the fixture
// page, the browsers it applies to, the metrics web-vitals must have reported before the
// recording is taken, and optional steps (interactions) run after load.
export const scenarios = [
  { name: 'basic', path: '/basic.html', browsers: ['chromium', 'firefox'], metrics: ['FCP', 'TTFB'] },
  { name: 'strict-csp', path: '/strict-csp.html', browsers: ['chromium', 'firefox'], metrics: ['FCP', 'TTFB'] },
];
