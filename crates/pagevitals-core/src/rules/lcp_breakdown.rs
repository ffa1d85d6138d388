//! `lcp-breakdown`: where a slow LCP's time went, with the largest phase called out.
//!
//! The phases are web-vitals' LCP attribution (time to first byte, resource load delay,
//! resource load duration, element render delay; [`crate::lcp`]), which DevTools' "LCP by
//! phase" insight shows under the same split
//! (<https://web.dev/articles/optimize-lcp#lcp-breakdown>).
//!
//! - **Trigger:** LCP rated worse than good ([`crate::lcp::THRESHOLDS`], 2500 ms).
//! - **Dominant phase:** the longest of the four; the fix text is the one for that phase.
//! - **Saving:** what LCP exceeds the good threshold by, capped at the dominant phase: the
//!   most that shortening that phase alone can bring LCP back to good.

use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::lcp::THRESHOLDS;

/// The rule's id.
pub const ID: &str = "lcp-breakdown";

/// The finding, if LCP was not good.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let Some(lcp) = &cx.report.metrics.lcp else {
        return Vec::new();
    };
    if lcp.value.is_nan() || lcp.value <= THRESHOLDS.good {
        return Vec::new();
    }
    let a = &lcp.attribution;
    let phases = [
        ("time to first byte", a.time_to_first_byte, &FIX_TTFB),
        (
            "resource load delay",
            a.resource_load_delay,
            &FIX_LOAD_DELAY,
        ),
        (
            "resource load duration",
            a.resource_load_duration,
            &FIX_LOAD_DURATION,
        ),
        (
            "element render delay",
            a.element_render_delay,
            &FIX_RENDER_DELAY,
        ),
    ];
    let Some(&(name, longest, fix)) = phases.iter().reduce(|best, p| {
        if finite(p.1) > finite(best.1) {
            p
        } else {
            best
        }
    }) else {
        return Vec::new();
    };
    let mut evidence: Vec<Evidence> = phases
        .iter()
        .map(|(phase, ms, _)| {
            let e = Evidence::new(*phase).ms(*ms);
            if *phase == name {
                e.detail("dominant phase")
            } else {
                e
            }
        })
        .collect();
    if let Some(target) = &a.target {
        evidence.push(Evidence::new("LCP element").detail(target.clone()));
    }
    if let Some(url) = &a.url {
        evidence.push(Evidence::new("LCP resource").url(url.clone()));
    }
    vec![Finding::new(
        ID,
        format!(
            "LCP was {:.0} ms; most of it was {name} ({:.0} ms)",
            lcp.value, longest
        ),
        evidence,
        Saving {
            ms: Some(finite((lcp.value - THRESHOLDS.good).min(longest))),
            bytes: None,
            method: "LCP: what LCP exceeds the good threshold (2500 ms) by, capped at the \
                     dominant phase"
                .into(),
        },
        fix,
    )]
}

const FIX_TTFB: Fix = Fix {
    action: "Make the HTML arrive sooner: cache it at the edge or on the server, and avoid redirects.",
    how: "The document itself arrived late: see the document latency and \
    backend timing findings. Cache the HTML at the edge or on the server, avoid redirects, \
    and cut the server's own time (the Server-Timing components show where it goes).",
};
const FIX_LOAD_DELAY: Fix = Fix {
    action: "Make the LCP image discoverable in the HTML, or preload it with `fetchpriority=high`.",
    how: "The LCP resource was requested long after the HTML arrived: \
    make it discoverable in the HTML (an `<img>` with `src`, not a CSS background or a \
    script-inserted image), or preload it with `<link rel=preload>` and \
    `fetchpriority=high`; never lazy-load it.",
};
const FIX_LOAD_DURATION: Fix = Fix {
    action: "Serve the LCP resource smaller (AVIF or WebP, sized with `srcset`) and from close to users.",
    how: "The LCP resource took long to download: serve it smaller \
    (modern formats such as AVIF or WebP, `srcset` sized for the viewport, compression), \
    from a CDN close to users, and with a long cache lifetime for repeat views.",
};
const FIX_RENDER_DELAY: Fix = Fix {
    action: "Remove what holds back the LCP element's paint: render-blocking CSS and scripts, long tasks, scripts that hide it.",
    how: "The LCP element was ready but not painted: remove \
    render-blocking CSS and scripts, break up long tasks on the main thread, and do not hide \
    the element until a script or web font runs (A/B testing snippets, client-side \
    rendering).",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource};
    use crate::testing::NAV;

    fn lcp(start: f64, url: &str) -> String {
        format!(
            r#"{{"entryType":"largest-contentful-paint","startTime":{start},"size":9,
                "url":"{url}","selector":"img.hero"}}"#
        )
    }

    #[test]
    fn a_slow_lcp_names_its_dominant_phase_and_a_good_one_gives_nothing() {
        let hero = "http://x/hero.jpg";
        let slow = [
            NAV.into(),
            resource(hero, "img", (9.0, 9.0, 9.0), "")
                .replace(r#""startTime":10"#, r#""startTime":2000"#)
                .replace(r#""requestStart":20"#, r#""requestStart":2000"#)
                .replace(r#""responseEnd":30"#, r#""responseEnd":2600"#),
            lcp(3000.0, hero),
        ]
        .join(",");
        let f = findings(&slow, ID);
        assert_eq!(f.len(), 1);
        assert!(f[0].title.contains("resource load delay"), "{}", f[0].title);
        // LCP 3000, good 2500: 500 ms, under the 1900 ms load delay.
        assert_eq!(f[0].saving.ms, Some(500.0));
        assert!(findings(&[NAV.into(), lcp(1200.0, "")].join(","), ID).is_empty());
    }
}
