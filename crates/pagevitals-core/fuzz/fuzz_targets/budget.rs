//! Feeds arbitrary bytes to the budget parser, and whatever it accepts to the evaluator with
//! an empty report set and the default budget's report-free paths: bad budgets must come back
//! as `BudgetError` values with a printable message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match pagevitals_core::parse_budget("fuzz.json", text) {
        Ok(file) => {
            let evaluation = pagevitals_core::evaluate(&file, &[]);
            if let Err(e) = serde_json::to_string(&evaluation) {
                panic!("an evaluation that does not serialise: {e}");
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
