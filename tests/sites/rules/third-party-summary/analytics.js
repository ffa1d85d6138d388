// A third-party analytics beacon: records the page view and leaves.
globalThis.analyticsQueue = [['pageview', location.pathname]];
