//! `duplicate-requests`: the same static resource downloaded more than once in one page
//! view.
//!
//! Lighthouse's nearest audit, `duplicated-javascript`, finds the same module in different
//! bundles from source maps, which the log has no access to; this rule finds the plainer
//! waste the log does show: one URL (fragment ignored) of a static type
//! ([`super::STATIC_TYPES`]: script, stylesheet, image, font, media) fetched over the network
//! more than once. Fetch/XHR and documents are left out: an API polled twice is not waste.
//! Copies served from cache, and revalidations (a 304 carries headers only), are not counted.
//!
//! - **Trigger:** the extra copies' transfer sizes add up to at least
//!   [`super::text_compression::IGNORE_THRESHOLD_IN_BYTES`], Lighthouse's byte floor for a
//!   saving worth reporting.
//! - **Saving:** the transfer size of every copy after the first.

use std::collections::BTreeMap;

use super::text_compression::IGNORE_THRESHOLD_IN_BYTES;
use super::{Context, Evidence, Finding, Fix, STATIC_TYPES, Saving, finite, status};

/// The rule's id.
pub const ID: &str = "duplicate-requests";

/// HTTP 304 Not Modified: a revalidation, not a second download.
const NOT_MODIFIED: u16 = 304;

const FIX: Fix = Fix {
    action: "Request each file once per page, always by exactly the same URL.",
    how: "Request each file once per page: make every reference use exactly the \
    same URL (the same host, path, query string and case), remove a second copy of a library \
    loaded by another script or tag manager, and give the file a cache lifetime so that a \
    repeated request is served from memory. Where two versions of a library are bundled, \
    dedupe the dependency.",
};

/// The finding, if any static resource was downloaded twice.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut by_url: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for r in cx.subresources() {
        if !STATIC_TYPES.contains(&r.resource_type)
            || r.cache_hit
            || status(r) == NOT_MODIFIED
            || r.url.starts_with("data:")
        {
            continue;
        }
        let url = r.url.split('#').next().unwrap_or_default();
        let e = by_url.entry(url).or_insert((0, 0.0));
        if e.0 > 0 {
            e.1 += finite(r.transfer_size);
        }
        e.0 += 1;
    }
    let mut evidence = Vec::new();
    let mut total = 0.0;
    for (url, (count, wasted)) in by_url {
        if count > 1 && wasted > 0.0 {
            total += wasted;
            evidence.push(
                Evidence::new("downloaded more than once")
                    .url(url)
                    .bytes(wasted)
                    .detail(format!("{count} downloads")),
            );
        }
    }
    if total < IGNORE_THRESHOLD_IN_BYTES {
        return Vec::new();
    }
    vec![Finding::new(
        ID,
        "The same files were downloaded more than once",
        evidence,
        Saving {
            ms: None,
            bytes: Some(total),
            method: "bytes: the transfer size of every download after the first".into(),
        },
        &FIX,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource};
    use crate::testing::NAV;

    #[test]
    fn a_twice_downloaded_script_is_flagged_and_cached_or_fetched_repeats_are_not() {
        let js = |t: f64| resource("http://x/lib.js", "script", (t, 9000.0, 9000.0), "");
        let f = findings(&[NAV.into(), js(9300.0), js(9300.0)].join(","), ID);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].saving.bytes, Some(9300.0));
        // Second copy from cache.
        assert!(findings(&[NAV.into(), js(9300.0), js(0.0)].join(","), ID).is_empty());
        // An API polled twice.
        let api = resource("http://x/api", "fetch", (9300.0, 9000.0, 9000.0), "");
        assert!(findings(&[NAV.into(), api.clone(), api].join(","), ID).is_empty());
    }
}
