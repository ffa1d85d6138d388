//! `third-party-summary`: what third parties cost, by entity, after Lighthouse's audit of
//! the same id
//! (<https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/third-party-summary.js>).
//!
//! - **Entity:** the registrable domain (eTLD+1, the `psl` crate via
//!   [`crate::resources::registrable_domain`]); first party is the page's. Lighthouse groups
//!   by `third-party-web`'s entity list (one company, several domains); the registrable
//!   domain is the part of that the log can say without shipping the list.
//! - **Bytes:** the resource summary's `transferSize` per domain.
//! - **Main-thread time:** script time in `long-animation-frame` entries whose `sourceURL`
//!   is on the domain (Chromium only). Lighthouse counts all main-thread time of the
//!   entity's scripts from the trace; long animation frames cover only frames over 50 ms, so
//!   this is a lower bound.
//! - **Trigger:** third-party main-thread time of at least [`PASS_THRESHOLD_IN_MS`], as the
//!   audit fails. Where long animation frames are unsupported (Firefox, Safari) nothing is
//!   known of main-thread time and there is no finding; the bytes per domain are still in
//!   the report's `resources.byDomain`.
//! - **Saving:** the third parties' main-thread time (what removing or deferring them frees),
//!   and their bytes.

use std::collections::BTreeMap;

use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::log::{Entry, Record};
use crate::resources::{host, registrable_domain};

/// Lighthouse `third-party-summary.js` `PASS_THRESHOLD_IN_MS`: "A page passes when all
/// third-party code blocks for less than 250 ms."
pub const PASS_THRESHOLD_IN_MS: f64 = 250.0;

/// How many entities the finding lists.
const TOP_ENTITIES: usize = 10;

/// The rule's id.
pub const ID: &str = "third-party-summary";

const FIX: Fix = Fix {
    action: "Remove the third-party tags that do not earn their cost, and load the rest after the page is interactive.",
    how: "Third-party code ran long on the main thread. Remove tags that no longer \
    earn their cost, load the rest after the page is interactive (`async`/`defer`, on user \
    interaction, or behind a facade for embeds such as chat widgets and video players), \
    self-host critical third-party files, and move analytics to a worker (e.g. Partytown) or \
    to the server.",
};

/// The finding, if third-party scripts ran long.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let (Some(res), Some(_)) = (&cx.report.resources, &cx.report.long_animation_frames) else {
        return Vec::new();
    };
    let page_domain = host(&cx.log.page.url).map(registrable_domain);
    let mut time: BTreeMap<String, f64> = BTreeMap::new();
    for r in &cx.log.records {
        let Record::Entry(Entry::LongAnimationFrame(f)) = r else {
            continue;
        };
        if f.start_time >= cx.view.restore_time {
            continue;
        }
        for s in &f.scripts {
            let Some(domain) = host(&s.source_url).map(registrable_domain) else {
                continue;
            };
            if Some(&domain) != page_domain.as_ref() {
                *time.entry(domain).or_insert(0.0) += finite(s.duration);
            }
        }
    }
    let total_time: f64 = time.values().sum();
    if total_time < PASS_THRESHOLD_IN_MS {
        return Vec::new();
    }
    let mut entities: Vec<(String, f64, f64)> = res
        .by_domain
        .iter()
        .filter(|(_, d)| !d.first_party)
        .map(|(name, d)| {
            (
                name.clone(),
                time.get(name).copied().unwrap_or(0.0),
                d.totals.transfer_size,
            )
        })
        .collect();
    // Domains with script time but no request entry (sizes hidden) are entities too.
    for (name, t) in &time {
        if !entities.iter().any(|e| &e.0 == name) {
            entities.push((name.clone(), *t, 0.0));
        }
    }
    entities.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.2.total_cmp(&a.2)));
    entities.truncate(TOP_ENTITIES);
    let evidence = entities
        .into_iter()
        .map(|(name, t, bytes)| Evidence::new(name).ms(t).bytes(bytes))
        .collect();
    vec![Finding::new(
        ID,
        format!("Third-party code ran {total_time:.0} ms on the main thread"),
        evidence,
        Saving {
            ms: Some(total_time),
            bytes: Some(res.third_party.transfer_size),
            method: "main-thread time: third-party script time in long animation frames (a \
                     lower bound); bytes: third-party transfer size"
                .into(),
        },
        &FIX,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource};
    use crate::testing::{NAV, log_supporting};

    fn frame(url: &str, script: f64) -> String {
        format!(
            r#"{{"entryType":"long-animation-frame","startTime":100,"duration":{d},
                "styleAndLayoutStart":100,"scripts":[{{"startTime":100,"duration":{script},
                "forcedStyleAndLayoutDuration":0,"sourceURL":"{url}"}}]}}"#,
            d = script + 10.0
        )
    }

    #[test]
    fn long_running_third_party_scripts_are_flagged_by_domain_and_first_party_ones_are_not() {
        let ads = "https://static.ads.example.com/tag.js";
        let trigger = [
            NAV.into(),
            resource(ads, "script", (40_000.0, 40_000.0, 90_000.0), ""),
            frame(ads, 200.0),
            frame(ads, 100.0),
        ]
        .join(",");
        let f = findings(&trigger, ID);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].saving.ms, Some(300.0));
        assert_eq!(f[0].evidence[0].label, "example.com");
        assert_eq!(f[0].evidence[0].bytes, Some(40_000.0));
        // The same time in first-party script, or too little third-party time: nothing.
        let first = [NAV.into(), frame("http://x/app.js", 400.0)].join(",");
        assert!(findings(&first, ID).is_empty());
        let short = [NAV.into(), frame(ads, 120.0)].join(",");
        assert!(findings(&short, ID).is_empty());
        // No long animation frames in this browser: unknown, not flagged.
        let log = log_supporting(&["navigation", "resource"], &trigger);
        assert!(crate::rules::testing::findings_of(&log, ID).is_empty());
    }
}
