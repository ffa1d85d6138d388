//! `lcp-discovery`: the LCP image was found late, lazy-loaded, or fetched without high
//! priority, after Lighthouse's `prioritize-lcp-image` and `lcp-lazy-loaded` audits and
//! DevTools' "LCP request discovery" insight
//! (<https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/prioritize-lcp-image.js>,
//! <https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/lcp-lazy-loaded.js>,
//! <https://github.com/ChromeDevTools/devtools-frontend/blob/main/front_end/models/trace/insights/LCPDiscovery.ts>).
//!
//! Three checks on the LCP image, as the insight makes them:
//! - **Lazy-loaded:** the LCP element (recorded by the agent: `elementTag`,
//!   `elementLoading`) is an `<img>` with `loading=lazy`. The LCP element is in the viewport
//!   by definition, so the attribute only made the browser wait for layout before fetching
//!   it. Flagged whatever the delay, as `lcp-lazy-loaded` flags it.
//! - **No high priority:** the LCP element is an `<img>` without `fetchpriority=high`
//!   (`elementFetchPriority`) and its request was not a preload. Images start at low
//!   priority in Chromium and wait behind scripts and stylesheets; a preload's own
//!   `fetchpriority` is not in the log, so a preloaded image is not judged on this.
//! - **Late discovery:** the request was not a `<link rel=preload>` (`initiatorType` `link`)
//!   and either came from CSS (`initiatorType` `css`: a background image the preload scanner
//!   cannot see) or from script (`fetch`, `xmlhttprequest`), or started only after the HTML
//!   was parsed (`startTime` at or after `domInteractive`): the preload scanner did not find
//!   it, which is what a script-inserted image or a `data-src` lazy-loader looks like.
//!   Flagged when the resource load delay (LCP attribution) is at least
//!   [`super::render_blocking::MINIMUM_WASTED_MS`], Lighthouse's floor for a wait worth
//!   reporting.
//! - **Saving:** the resource load delay: a request discoverable in the HTML, preloaded or
//!   given high priority starts at about the first byte, which is what that delay measures
//!   from.
//!
//! In logs without the element fields (older agents, or an element no longer in the
//! document) only late discovery is checked. The request's initial priority, which the
//! insight also reads, is in no Web API.

use super::render_blocking::MINIMUM_WASTED_MS;
use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::log::{Entry, LargestContentfulPaint, Record, ResourceTiming};

/// The rule's id.
pub const ID: &str = "lcp-discovery";

const FIX: Fix = Fix {
    action: "Put the LCP image in the initial HTML as an `<img>` with `src` and `fetchpriority=high`, never lazy-loaded.",
    how: "Make the LCP image discoverable from the HTML and fetch it first: use an \
    `<img>` with a real `src` (or `srcset`) in the initial HTML rather than a CSS background, \
    a script-inserted element or a `data-src` lazy-loader; never put `loading=lazy` on it; \
    add `fetchpriority=high`; where it must come from CSS or script, add `<link \
    rel=preload as=image fetchpriority=high>` for it in the head.",
};

/// The finding, if the LCP image was lazy-loaded, not prioritised, or requested late.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let (Some(lcp), Some(nav)) = (&cx.report.metrics.lcp, cx.navigation()) else {
        return Vec::new();
    };
    let Some(url) = &lcp.attribution.url else {
        return Vec::new();
    };
    let element = crate::lcp::final_entry(cx.log, &cx.view).filter(|e| &e.url == url);
    let entry = first_request(cx, url);
    let delay = lcp.attribution.resource_load_delay;
    let preloaded = entry.is_some_and(|e| e.initiator_type == "link");
    let is_img = element.is_some_and(|e| e.element_tag.as_deref() == Some("img"));
    let attribute = |get: fn(&LargestContentfulPaint) -> &Option<String>| {
        element
            .and_then(|e| get(e).as_deref())
            .map(|v| v.trim().to_ascii_lowercase())
    };
    let lazy = is_img && attribute(|e| &e.element_loading).as_deref() == Some("lazy");
    let priority = attribute(|e| &e.element_fetch_priority);
    let unprioritised = is_img && !preloaded && priority.as_deref() != Some("high");
    let late = entry
        .filter(|_| !delay.is_nan() && delay >= MINIMUM_WASTED_MS)
        .and_then(|e| match e.initiator_type.as_str() {
            "link" => None,
            "css" => Some("requested from CSS (a background image the preload scanner cannot see)"),
            "fetch" | "xmlhttprequest" => Some("requested by a script"),
            _ if e.start_time >= nav.dom_interactive => Some(
                "requested only after the HTML was parsed (inserted by script, lazy-loaded, or \
                 hidden from the preload scanner)",
            ),
            _ => None,
        });
    if !lazy && !unprioritised && late.is_none() {
        return Vec::new();
    }
    let mut image = Evidence::new("LCP image").url(url.clone());
    let mut about = Vec::new();
    if let Some(e) = entry {
        image = image.ms(e.start_time);
        about.push(format!("initiatorType {:?}", e.initiator_type));
    }
    if let Some(target) = &lcp.attribution.target {
        about.push(format!("element {target}"));
    }
    let mut evidence = vec![image.detail(about.join("; "))];
    if lazy {
        evidence.push(
            Evidence::new("loading=lazy on the LCP image")
                .detail("the browser waits for layout before fetching a lazy image"),
        );
    }
    if unprioritised {
        evidence.push(
            Evidence::new("no fetchpriority=high").detail(match &priority {
                Some(p) => format!("fetchpriority={p}"),
                None => "no fetchpriority attribute and not preloaded".to_owned(),
            }),
        );
    }
    if let Some(reason) = late {
        evidence.push(Evidence::new("discovered late").detail(reason));
    }
    evidence.push(Evidence::new("resource load delay").ms(delay));
    evidence.push(Evidence::new("HTML parsed (domInteractive)").ms(nav.dom_interactive));
    let title = if lazy {
        "The LCP image was lazy-loaded"
    } else if late.is_some() {
        "The LCP image was discovered late"
    } else {
        "The LCP image was not fetched with high priority"
    };
    vec![Finding::new(
        ID,
        title,
        evidence,
        Saving {
            ms: Some(finite(delay)),
            bytes: None,
            method: "LCP: the resource load delay (from the first byte of the HTML to the \
                     image's request), which an HTML-discoverable, eagerly loaded, \
                     high-priority image avoids"
                .into(),
        },
        &FIX,
    )]
}

/// The first `resource` entry for `url` by `startTime` (the one LCP attribution uses).
fn first_request<'a>(cx: &Context<'a>, url: &str) -> Option<&'a ResourceTiming> {
    cx.log
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Entry(Entry::Resource(e)) if e.name == url => Some(e.as_ref()),
            _ => None,
        })
        .reduce(|a, b| if b.start_time < a.start_time { b } else { a })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource};
    use crate::testing::NAV;

    fn case(initiator: &str, start: f64) -> Vec<Finding> {
        case_with(initiator, start, "")
    }

    /// The same log with `element` (JSON members with a leading `,`) on the LCP record.
    fn case_with(initiator: &str, start: f64, element: &str) -> Vec<Finding> {
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
                    "url":"{hero}","selector":"img"{element}}}"#
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

    #[test]
    fn a_lazy_or_unprioritised_lcp_img_is_flagged_whatever_the_delay() {
        let labels = |f: &[Finding]| -> Vec<String> {
            f.iter()
                .flat_map(|f| f.evidence.iter().map(|e| e.label.clone()))
                .collect()
        };
        // Found by the preload scanner with a 20 ms delay: only the attributes can fail it.
        let lazy = case_with(
            "img",
            120.0,
            r#","elementTag":"img","elementLoading":"lazy","elementFetchPriority":null"#,
        );
        assert_eq!(lazy.len(), 1);
        assert_eq!(lazy[0].title, "The LCP image was lazy-loaded");
        let l = labels(&lazy);
        assert!(
            l.contains(&"loading=lazy on the LCP image".to_owned()),
            "{l:?}"
        );
        assert!(l.contains(&"no fetchpriority=high".to_owned()), "{l:?}");
        assert_eq!(lazy[0].saving.ms, Some(20.0));

        let low = case_with(
            "img",
            120.0,
            r#","elementTag":"img","elementLoading":"eager","elementFetchPriority":"auto""#,
        );
        assert_eq!(low.len(), 1);
        assert_eq!(
            low[0].title,
            "The LCP image was not fetched with high priority"
        );
        assert!(!labels(&low).contains(&"loading=lazy on the LCP image".to_owned()));

        // Eager, high priority, early: clean. Attribute values are read case-insensitively.
        let good = r#","elementTag":"img","elementLoading":null,"elementFetchPriority":"HIGH""#;
        assert!(case_with("img", 120.0, good).is_empty());
        // A preloaded image is not judged on the element's fetchpriority (the preload's own
        // is not in the log).
        let plain = r#","elementTag":"img","elementLoading":null,"elementFetchPriority":null"#;
        assert!(case_with("link", 120.0, plain).is_empty());
        // A CSS background on a div has no loading or fetchpriority to judge.
        let div = r#","elementTag":"div","elementLoading":"lazy","elementFetchPriority":null"#;
        assert!(case_with("img", 120.0, div).is_empty());
        // Late and high priority: late discovery alone.
        let late = case_with(
            "img",
            800.0,
            r#","elementTag":"img","elementLoading":null,"elementFetchPriority":"high""#,
        );
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].title, "The LCP image was discovered late");
    }
}
