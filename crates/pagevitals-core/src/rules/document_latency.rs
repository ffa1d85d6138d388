//! `document-latency`: the document request itself was slow, after DevTools' "Document
//! request latency" insight
//! (<https://github.com/ChromeDevTools/devtools-frontend/blob/main/front_end/models/trace/insights/DocumentLatency.ts>)
//! and Lighthouse's `server-response-time` and `redirects` audits.
//!
//! Three checks, one finding:
//! - **Redirects:** the navigation went through redirects (`redirectCount` > 0, or a
//!   `redirectEnd` after `redirectStart`). Saving: their duration, as the insight counts it.
//!   Cross-origin redirects hide their timing (0) from the page; the count is still shown.
//! - **Slow server response:** `responseStart - requestStart` (the insight's "waiting",
//!   request sent to first byte) over [`TOO_SLOW_THRESHOLD_MS`]. Saving: the time beyond
//!   [`TARGET_MS`].
//! - **Uncompressed HTML:** the document crossed the network without compression; saving
//!   estimated as [`super::text_compression`] does (DevTools' MIME-type ratios).

use super::text_compression::uncompressed_saving;
use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::resources::Source;

/// DevTools `DocumentLatency.ts` and Lighthouse `server-response-time.js`
/// `TOO_SLOW_THRESHOLD_MS`: a server response time above this fails ("we cannot see if server
/// response took less than ~570ms" under throttling).
pub const TOO_SLOW_THRESHOLD_MS: f64 = 600.0;

/// `TARGET_MS` of the same files: "we want devs to shoot for 100ms".
pub const TARGET_MS: f64 = 100.0;

/// The rule's id.
pub const ID: &str = "document-latency";

const FIX: Fix = Fix {
    action: "Make the HTML arrive sooner: no redirects, a fast or cached server response, and compression.",
    how: "The first request gates everything else. Link to the final URL so the \
    browser does not follow redirects (and serve HTTPS and the canonical host directly); \
    make the server answer fast (cache rendered HTML at the server or CDN, trim database and \
    API calls on the request path; the backend timing finding shows where its time goes); \
    and compress the HTML with Brotli or gzip.",
};

/// The finding, if the document had redirects, a slow response or no compression.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let Some(nav) = cx.navigation() else {
        return Vec::new();
    };
    let mut evidence = Vec::new();
    let mut ms = 0.0;
    let mut bytes = None;
    let redirect = finite(nav.redirect_end - nav.redirect_start);
    if nav.redirect_count > 0 || redirect > 0.0 {
        ms += redirect;
        evidence.push(
            Evidence::new("redirects")
                .ms(redirect)
                .detail(format!("{} redirect(s)", nav.redirect_count)),
        );
    }
    // A navigation entry is same-origin, so its request start is never hidden: a zero or
    // negative value is a real time. Firefox puts it at or before the time origin (seen from
    // -4 to 10 ms on loopback). Only a missing first byte leaves nothing to measure.
    let server = nav.response_start - nav.request_start;
    if nav.response_start > 0.0 && server > TOO_SLOW_THRESHOLD_MS {
        ms += finite(server - TARGET_MS);
        evidence.push(
            Evidence::new("server response time")
                .url(nav.name.clone())
                .ms(server)
                .detail(format!(
                    "over {TOO_SLOW_THRESHOLD_MS} ms; aim for {TARGET_MS} ms"
                )),
        );
    }
    let document = cx
        .requests
        .iter()
        .find(|r| matches!(r.source, Source::Document(_)));
    if let Some((saving, size)) = document.and_then(uncompressed_saving) {
        bytes = Some(saving);
        evidence.push(
            Evidence::new("uncompressed HTML")
                .url(nav.name.clone())
                .bytes(size)
                .detail(format!("about {saving:.0} bytes to save")),
        );
    }
    if evidence.is_empty() {
        return Vec::new();
    }
    // Only compression: nothing was slow, and no time is estimated.
    let slow = evidence.iter().any(|e| e.ms.is_some());
    vec![Finding::new(
        ID,
        if slow {
            "The document request was slow"
        } else {
            "The HTML was sent without compression"
        },
        evidence,
        Saving {
            ms: slow.then_some(ms),
            bytes,
            method: "FCP and LCP: redirect time plus the server response time beyond 100 ms \
                     (when over 600 ms), as DevTools' document latency insight; bytes: the \
                     HTML's estimated compression saving"
                .into(),
        },
        &FIX,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, nav_with, response};
    use crate::testing::NAV;

    #[test]
    fn redirects_slow_response_and_uncompressed_html_are_flagged_and_a_fast_document_is_not() {
        let cases: [(String, &str, Option<f64>, Option<f64>); 5] = [
            (
                nav_with(r#""redirectCount":2,"redirectStart":1,"redirectEnd":81"#),
                "",
                Some(80.0),
                None,
            ),
            (
                nav_with(r#""responseStart":1010"#).replace(r#""responseStart":100,"#, ""),
                "",
                Some(900.0),
                None,
            ),
            (
                // Firefox: fetch and request start before the time origin.
                nav_with(r#""responseStart":702"#)
                    .replace(r#""responseStart":100,"#, "")
                    .replace(r#""requestStart":10"#, r#""requestStart":-3"#)
                    .replace(r#""fetchStart":5"#, r#""fetchStart":-4"#),
                "",
                Some(605.0),
                None,
            ),
            (
                nav_with(
                    r#""transferSize":30300,"encodedBodySize":30000,"decodedBodySize":30000,"contentType":"text/html""#,
                ),
                r#""content-type":"text/html""#,
                None, // only compression: no time saving, and not called slow
                Some(20100.0),
            ),
            (
                nav_with(
                    r#""transferSize":9300,"encodedBodySize":9000,"decodedBodySize":30000,"contentType":"text/html""#,
                ),
                r#""content-type":"text/html","content-encoding":"gzip""#,
                None,
                None,
            ),
        ];
        for (nav, headers, ms, bytes) in cases {
            let records = [nav.clone(), response("http://x/", "main_frame", headers)].join(",");
            let f = findings(&records, ID);
            assert_eq!(f.first().and_then(|f| f.saving.ms), ms, "{nav}");
            assert_eq!(f.first().and_then(|f| f.saving.bytes), bytes, "{nav}");
            if let Some(f) = f.first() {
                let slow = f.title == "The document request was slow";
                assert_eq!(slow, ms.is_some(), "{}: {nav}", f.title);
            }
        }
        assert!(findings(NAV, ID).is_empty());
    }
}
