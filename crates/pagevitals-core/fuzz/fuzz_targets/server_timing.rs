//! Feeds arbitrary header values to the W3C Server-Timing parser: any text must come back as a
//! list of metrics (possibly empty) with finite durations, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else {
        return;
    };
    for metric in pagevitals_core::server_timing::parse(header) {
        assert!(
            metric.duration.is_finite(),
            "duration {} from {header:?}",
            metric.duration
        );
    }
});
