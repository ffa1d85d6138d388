//! `lcp-discovery`: the LCP image was found late, after Lighthouse's `prioritize-lcp-image`
//! and `lcp-lazy-loaded` audits and DevTools' "LCP request discovery" insight
//! (<https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/prioritize-lcp-image.js>,
//! <https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/lcp-lazy-loaded.js>).
//!
//! Those audits read the LCP element's `loading` and `fetchpriority` attributes and the
//! request's initiator from the trace. The log has neither attribute, so the rule works
//! from what it has:
//! - **Late discovery:** the LCP resource was not requested by a `<link rel=preload>`
//!   (`initiatorType` `link`) and either came from CSS (`initiatorType` `css`: a background
//!   image the preload scanner cannot see) or from script (`fetch`, `xmlhttprequest`), or
//!   its request started only after the HTML was parsed (`startTime` at or after
//!   `domInteractive`): the preload scanner did not find it, which is what a script-inserted
//!   image, a `loading=lazy` image (whose fetch waits for layout) or a `data-src` lazy-loader
//!   all look like.
//! - **Trigger:** late discovery and a resource load delay (LCP attribution) of at least
//!   [`super::render_blocking::MINIMUM_WASTED_MS`], Lighthouse's floor for a wait worth
//!   reporting.
//! - **Saving:** the resource load delay: a request discoverable in the HTML and preloaded
//!   starts at about the first byte, which is what that delay measures from.
//!
//! Agent fields that would complete it: `lcpElement: {loading, fetchPriority, tagName,
//! inViewportAtLoad}` on the `largest-contentful-paint` record (to name `loading=lazy` and a
//! missing `fetchpriority=high` instead of inferring them), and the request's initial
//! priority, which no Web API exposes.

use super::render_blocking::MINIMUM_WASTED_MS;
use super::{Context, Evidence, Finding, Saving, finite};
use crate::log::{Entry, Record};

/// The rule's id.
pub const ID: &str = "lcp-discovery";

const FIX: &str = "Make the LCP image discoverable from the HTML and fetch it first: use an \
    `<img>` with a real `src` (or `srcset`) in the initial HTML rather than a CSS background, \
    a script-inserted element or a `data-src` lazy-loader; never put `loading=lazy` on it; \
    add `fetchpriority=high`; where it must come from CSS or script, add `<link \
    rel=preload as=image fetchpriority=high>` for it in the head.";

/// The finding, if the LCP image was requested late.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let (Some(lcp), Some(nav)) = (&cx.report.metrics.lcp, cx.navigation()) else {
        return Vec::new();
    };
    let Some(url) = &lcp.attribution.url else {
        return Vec::new();
    };
    let Some(entry) = cx
        .log
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Entry(Entry::Resource(e)) if &e.name == url => Some(e.as_ref()),
            _ => None,
        })
        .reduce(|a, b| if b.start_time < a.start_time { b } else { a })
    else {
        return Vec::new();
    };
    let delay = lcp.attribution.resource_load_delay;
    let reason = match entry.initiator_type.as_str() {
        "link" => return Vec::new(),
        "css" => "requested from CSS (a background image the preload scanner cannot see)",
        "fetch" | "xmlhttprequest" => "requested by a script",
        _ if entry.start_time >= nav.dom_interactive => {
            "requested only after the HTML was parsed (inserted by script, lazy-loaded, or \
             hidden from the preload scanner)"
        }
        _ => return Vec::new(),
    };
    if delay.is_nan() || delay < MINIMUM_WASTED_MS {
        return Vec::new();
    }
    vec![Finding::new(
        ID,
        "The LCP image was discovered late",
        vec![
            Evidence::new("LCP image")
                .url(url.clone())
                .ms(entry.start_time)
                .detail(format!(
                    "initiatorType {:?}; {reason}",
                    entry.initiator_type
                )),
            Evidence::new("resource load delay").ms(delay),
            Evidence::new("HTML parsed (domInteractive)").ms(nav.dom_interactive),
        ],
        Saving {
            ms: Some(finite(delay)),
            bytes: None,
            method: "LCP: the resource load delay (from the first byte of the HTML to the \
                     image's request), which a preloaded, HTML-discoverable image avoids"
                .into(),
        },
        FIX,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource};
    use crate::testing::NAV;

    fn case(initiator: &str, start: f64) -> Vec<Finding> {
        let hero = "http://x/hero.jpg";
        let records = [
            NAV.into(),
            resource(hero, initiator, (9.0, 9.0, 9.0), "")
                .replace(r#""startTime":10"#, &format!(r#""startTime":{start}"#))
                .replace(
                    r#""requestStart":20"#,
                    &format!(r#""requestStart":{start}"#),
                )
                .replace(r#""responseEnd":30"#, r#""responseEnd":1900"#),
            format!(
                r#"{{"entryType":"largest-contentful-paint","startTime":2000,"size":9,
                    "url":"{hero}","selector":"img"}}"#
            ),
        ];
        findings(&records.join(","), ID)
    }

    #[test]
    fn late_or_css_or_script_discovery_is_flagged_and_an_early_or_preloaded_image_is_not() {
        // (initiatorType, request start, flagged): NAV's TTFB is 100, domInteractive 500.
        let cases = [
            ("img", 800.0, true),
            ("css", 300.0, true),
            ("fetch", 300.0, true),
            ("img", 120.0, false),  // found by the preload scanner, 20 ms delay
            ("img", 300.0, false),  // parser-discovered before domInteractive
            ("link", 800.0, false), // preloaded
        ];
        for (initiator, start, flagged) in cases {
            let f = case(initiator, start);
            assert_eq!(f.len(), usize::from(flagged), "{initiator} at {start}");
            if flagged {
                assert_eq!(f[0].saving.ms, Some(start - 100.0));
            }
        }
    }
}
