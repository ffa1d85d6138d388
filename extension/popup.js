// Starts the Leptos popup (crates/pagevitals-popup, built into popup/ by scripts/build).
import init from './popup/pagevitals_popup.js';

await init();
