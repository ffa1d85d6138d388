//! `render-blocking-resources`: stylesheets and scripts that held back the first paint,
//! after Lighthouse's audit of the same id
//! (<https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/byte-efficiency/render-blocking-resources.js>).
//!
//! - **Which requests.** Where the browser reports `renderBlockingStatus` (Chromium), those
//!   marked `blocking`. Where it does not (Firefox, Safari), a documented heuristic: a
//!   stylesheet (`initiatorType` `link`, type stylesheet) whose fetch started before the
//!   document was parsed (`domInteractive`) is assumed to block, as a `<link
//!   rel=stylesheet>` in the document does; scripts are never assumed to, because `async`,
//!   `defer` and `type=module` cannot be told from a parser-blocking script in the log. Each
//!   such item says it is a heuristic.
//! - **As Lighthouse,** a request that finished after FCP did not block it and is skipped,
//!   and one that took under [`MINIMUM_WASTED_MS`] is ignored.
//! - **Saving.** Lighthouse simulates the page without the blocking requests. The log holds
//!   the real timings instead: FCP could have come as soon as the HTML arrived, so the saving
//!   is how long after the document's `responseEnd` the last blocking request finished,
//!   capped at FCP.
//!
//! Agent fields that would make it exact in every browser: none for Chromium; elsewhere the
//! blocking `<link>`/`<script>` elements of the document (`media`, `async`, `defer`, `type`)
//! at `DOMContentLoaded`.

use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::resources::{Availability, ResourceType, Source};

/// Lighthouse `render-blocking-resources.js` `MINIMUM_WASTED_MS`: "ignore stylesheets that
/// loaded fast enough to possibly be non-blocking (and they have minimal impact anyway)".
pub const MINIMUM_WASTED_MS: f64 = 50.0;

/// The rule's id.
pub const ID: &str = "render-blocking-resources";

const FIX: Fix = Fix {
    action: "Inline the critical CSS and give scripts in the head `defer` or `async`, so that the first paint waits for nothing else.",
    how: "Inline the CSS the first screen needs into the HTML and load the rest \
    without blocking (a `media` attribute that does not match, or `rel=preload` swapped to a \
    stylesheet on load); give scripts in the head `defer` or `async` (or make them modules), \
    or move them to the end of the body. The browser then paints as soon as the HTML and the \
    critical CSS have arrived instead of waiting for every blocking download.",
};

/// The finding, if any request blocked the first paint for long enough.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let (Some(fcp), Some(nav)) = (cx.fcp_time(), cx.navigation()) else {
        return Vec::new();
    };
    let Some(status) = cx.render_blocking_status else {
        return Vec::new();
    };
    let mut evidence = Vec::new();
    let mut last_end = f64::NEG_INFINITY;
    for r in cx.subresources() {
        let Source::Resource(e) = r.source else {
            continue;
        };
        let heuristic = status == Availability::Unavailable;
        let blocking = match status {
            Availability::Available => r.render_blocking == Some(true),
            Availability::Unavailable => {
                r.resource_type == ResourceType::Stylesheet
                    && e.initiator_type == "link"
                    && e.start_time < nav.dom_interactive
            }
        };
        let duration = e.response_end - e.start_time;
        if !blocking || e.response_end > fcp || duration.is_nan() || duration < MINIMUM_WASTED_MS {
            continue;
        }
        last_end = last_end.max(e.response_end);
        let mut item = Evidence::new(format!("render-blocking {}", type_name(r.resource_type)))
            .url(r.url)
            .ms(duration)
            .bytes(r.transfer_size);
        if heuristic {
            item = item.detail(
                "assumed blocking: a stylesheet requested before the document was parsed \
                 (this browser does not report renderBlockingStatus)",
            );
        }
        evidence.push(item);
    }
    if evidence.is_empty() {
        return Vec::new();
    }
    let saving = finite((last_end - nav.response_end).min(fcp - nav.response_start));
    let n = evidence.len();
    vec![Finding::new(
        ID,
        format!(
            "{n} render-blocking request{} delayed the first paint",
            plural(n)
        ),
        evidence,
        Saving {
            ms: Some(saving),
            bytes: None,
            method: "FCP: from the document's responseEnd to the end of the last render-blocking \
                     request before FCP (the time the paint waited after the HTML arrived)"
                .into(),
        },
        &FIX,
    )]
}

fn type_name(t: ResourceType) -> &'static str {
    match t {
        ResourceType::Stylesheet => "stylesheet",
        ResourceType::Script => "script",
        ResourceType::Font => "font",
        _ => "request",
    }
}

/// `s` for counts other than one.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, findings_of, resource};
    use crate::testing::{NAV, log_supporting, paint};

    fn css(status: &str, start: f64, end: f64) -> String {
        resource(
            "http://x/site.css",
            "link",
            (5000.0, 5000.0, 5000.0),
            &format!(r#","renderBlockingStatus":"{status}","contentType":"text/css""#),
        )
        .replace(r#""startTime":10"#, &format!(r#""startTime":{start}"#))
        .replace(r#""responseEnd":30"#, &format!(r#""responseEnd":{end}"#))
    }

    #[test]
    fn a_slow_blocking_stylesheet_before_fcp_is_flagged_and_a_fast_or_late_one_is_not() {
        // Document responseEnd is 0 in NAV (absent), responseStart 100; FCP at 900.
        let nav = crate::rules::testing::nav_with(r#""responseEnd":150"#);
        let cases = [
            // (status, start, end, expected saving)
            ("blocking", 120.0, 700.0, Some(550.0)),
            ("blocking", 120.0, 160.0, None),     // under 50 ms
            ("blocking", 120.0, 1000.0, None),    // finished after FCP
            ("non-blocking", 120.0, 700.0, None), // not blocking
        ];
        for (status, start, end, expected) in cases {
            let f = findings(
                &[nav.clone(), paint(900.0), css(status, start, end)].join(","),
                ID,
            );
            assert_eq!(
                f.first().and_then(|f| f.saving.ms),
                expected,
                "{status} {start}-{end}"
            );
        }
    }

    #[test]
    fn without_render_blocking_status_an_early_linked_stylesheet_is_assumed_blocking() {
        let supported = ["navigation", "paint", "resource"];
        let early = css("", 120.0, 700.0).replace(r#","renderBlockingStatus":"""#, "");
        let log = log_supporting(&supported, &[NAV.into(), paint(900.0), early].join(","));
        let f = findings_of(&log, ID);
        assert_eq!(f.len(), 1);
        assert!(f[0].evidence[0].detail.is_some());
        // Requested after domInteractive (500): injected later, not assumed blocking.
        let late = css("", 600.0, 700.0).replace(r#","renderBlockingStatus":"""#, "");
        let log = log_supporting(&supported, &[NAV.into(), paint(900.0), late].join(","));
        assert!(findings_of(&log, ID).is_empty());
    }
}
