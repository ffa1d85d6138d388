//! `backend-timing` and `timing-hidden`: where a slow TTFB went, and which cross-origin
//! requests hide their timing.
//!
//! - **Phases** of the navigation's TTFB, from its navigation entry (Navigation Timing
//!   Level 2): redirect (`redirectEnd - redirectStart`), DNS (`domainLookupEnd -
//!   domainLookupStart`), connect (`connectEnd - connectStart` less TLS), TLS (`connectEnd -
//!   secureConnectionStart`), request (`responseStart - requestStart`: sending and the
//!   server's work), then response (`responseEnd - responseStart`, after TTFB, shown for
//!   completeness). The request phase is broken into the document's own Server-Timing
//!   metrics (from the entry, else the raw header the background recorded; parsed per the
//!   W3C grammar by [`crate::server_timing`]) and what they leave unattributed (network and
//!   unreported server time). Server-Timing durations have no start time, so metrics that
//!   overlap are listed as sent, not summed into the split beyond the request phase.
//! - **Trigger:** TTFB rated worse than good ([`crate::ttfb::THRESHOLDS`], 800 ms).
//!   **Saving:** what TTFB exceeds that threshold by.
//! - **`timing-hidden`:** cross-origin requests whose response lacks a Timing-Allow-Origin
//!   for the page (the resource summary's `timingHidden`): the page saw no detailed timing,
//!   sizes or Server-Timing for them, so other findings may under-count them. A note, with
//!   no saving; for each, whether the raw Server-Timing header was recovered.

use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::resources::Source;
use crate::ttfb::THRESHOLDS;

/// The id of the TTFB breakdown.
pub const ID: &str = "backend-timing";
/// The id of the Timing-Allow-Origin note.
pub const HIDDEN_ID: &str = "timing-hidden";

/// How many hidden requests the note lists.
const TOP_HIDDEN: usize = 10;

const FIX: Fix = Fix {
    action: "Cut the server's response time: the Server-Timing breakdown names the slow steps to cache or speed up.",
    how: "Time to first byte is slow; the breakdown shows where. Redirects: link \
    to the final URL. DNS and connection: use a CDN close to users, `preconnect` for other \
    origins, HTTP/2 or HTTP/3 and TLS 1.3 with session resumption. Request (server): the \
    Server-Timing components name the slow steps; cache rendered pages, speed up or cache \
    slow queries, and add Server-Timing to the steps that have none.",
};
const FIX_HIDDEN: Fix = Fix {
    action: "Send `Timing-Allow-Origin` from the origins you control, so that their timings can be measured.",
    how: "The browser hid the timing of these cross-origin responses from \
    the page because they lack `Timing-Allow-Origin`. For origins you control (your CDN, API, \
    image host) send `Timing-Allow-Origin: *` or the page's origin, so that field data and \
    these findings can see their sizes, timings and Server-Timing.",
};

/// The TTFB breakdown and the hidden-timing note.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(breakdown(cx));
    out.extend(hidden(cx));
    out
}

fn breakdown(cx: &Context<'_>) -> Option<Finding> {
    let ttfb = cx.report.metrics.ttfb.as_ref()?;
    let nav = cx.navigation()?;
    if ttfb.value.is_nan() || ttfb.value <= THRESHOLDS.good {
        return None;
    }
    let tls = if nav.secure_connection_start > 0.0 {
        finite(nav.connect_end - nav.secure_connection_start)
    } else {
        0.0
    };
    let request = finite(nav.response_start - nav.request_start);
    let phases = [
        ("redirect", finite(nav.redirect_end - nav.redirect_start)),
        (
            "DNS",
            finite(nav.domain_lookup_end - nav.domain_lookup_start),
        ),
        ("connect", finite(nav.connect_end - nav.connect_start - tls)),
        ("TLS", tls),
        ("request (send to first byte)", request),
    ];
    let mut evidence: Vec<Evidence> = phases
        .iter()
        .map(|(name, ms)| Evidence::new(*name).ms(*ms))
        .collect();
    let document = cx
        .requests
        .iter()
        .find(|r| matches!(r.source, Source::Document(_)));
    let mut attributed = 0.0;
    if let Some(st) = document.and_then(|d| d.server_timing.as_ref()) {
        for m in &st.metrics {
            attributed += finite(m.duration);
            let e = Evidence::new(format!("server: {}", m.name)).ms(m.duration);
            evidence.push(if m.description.is_empty() {
                e
            } else {
                e.detail(m.description.clone())
            });
        }
    }
    evidence.push(
        Evidence::new("request: not covered by Server-Timing")
            .ms(finite(request - attributed))
            .detail("network, queueing and server time without a Server-Timing metric"),
    );
    evidence.push(
        Evidence::new("response (after TTFB)").ms(finite(nav.response_end - nav.response_start)),
    );
    let (name, longest) = phases
        .iter()
        .fold(("", 0.0), |best, p| if p.1 > best.1 { *p } else { best });
    Some(Finding::new(
        ID,
        format!(
            "TTFB was {:.0} ms; the longest phase was {name} ({longest:.0} ms)",
            ttfb.value
        ),
        evidence,
        Saving {
            ms: Some(finite(ttfb.value - THRESHOLDS.good)),
            bytes: None,
            method: "TTFB (and with it FCP and LCP): what TTFB exceeds the good threshold \
                     (800 ms) by"
                .into(),
        },
        &FIX,
    ))
}

fn hidden(cx: &Context<'_>) -> Option<Finding> {
    let res = cx.report.resources.as_ref()?;
    if res.timing_hidden.is_empty() {
        return None;
    }
    let evidence = res
        .timing_hidden
        .iter()
        .take(TOP_HIDDEN)
        .map(|url| {
            let recovered = res.server_timing.iter().any(|s| &s.url == url);
            Evidence::new("no Timing-Allow-Origin")
                .url(url.clone())
                .detail(if recovered {
                    "Server-Timing recovered from the raw header"
                } else {
                    "no Server-Timing"
                })
        })
        .collect();
    let n = res.timing_hidden.len();
    Some(Finding::new(
        HIDDEN_ID,
        format!(
            "{n} cross-origin request{} hid their timing from the page",
            super::render_blocking::plural(n)
        ),
        evidence,
        Saving {
            ms: None,
            bytes: None,
            method: "none: a visibility note; other findings may under-count these requests".into(),
        },
        &FIX_HIDDEN,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, nav_with, resource, response};
    use crate::testing::NAV;

    #[test]
    fn a_slow_ttfb_is_broken_into_phases_and_server_timing_and_a_fast_one_is_not() {
        let slow = nav_with(
            r#""secureConnectionStart":30,"responseStart":1300,"responseEnd":1400,
               "domainLookupEnd":20,"serverTiming":[{"name":"db","duration":900,"description":"query"}]"#,
        )
        .replace(r#""responseStart":100,"#, "")
        .replace(r#""connectEnd":5,"#, r#""connectEnd":60,"#);
        let f = findings(&slow, ID);
        assert_eq!(f.len(), 1, "{slow}");
        assert_eq!(f[0].saving.ms, Some(500.0));
        let ms = |label: &str| {
            f[0].evidence
                .iter()
                .find(|e| e.label == label)
                .and_then(|e| e.ms)
        };
        assert_eq!(ms("TLS"), Some(30.0));
        assert_eq!(ms("request (send to first byte)"), Some(1290.0));
        assert_eq!(ms("server: db"), Some(900.0));
        assert_eq!(ms("request: not covered by Server-Timing"), Some(390.0));
        assert!(findings(NAV, ID).is_empty());
    }

    #[test]
    fn cross_origin_requests_without_timing_allow_origin_get_a_note() {
        let api = "https://api.other.com/a";
        let records = |tao: &str| {
            [
                NAV.into(),
                resource(api, "fetch", (0.0, 0.0, 0.0), ""),
                response(api, "xmlhttprequest", tao),
            ]
            .join(",")
        };
        let f = findings(&records(r#""server-timing":"edge;dur=4""#), HIDDEN_ID);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].evidence[0].detail.as_deref(),
            Some("Server-Timing recovered from the raw header")
        );
        assert!(findings(&records(r#""timing-allow-origin":"*""#), HIDDEN_ID).is_empty());
    }
}
