//! Feeds arbitrary bytes to the entry-log parser, and whatever it accepts to `analyze` and
//! the report's serialisation: the core's promise is that bad input is a `LogError` value,
//! never a panic, and that every report it builds can be sent as JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match pagevitals_core::parse_log(text) {
        Ok(log) => {
            let report = pagevitals_core::analyze(&log);
            if let Err(e) = serde_json::to_string(&report) {
                panic!("a report that does not serialise: {e}");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
