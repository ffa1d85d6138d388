//! `repeat-view-cache`: on a repeat view, what came from the cache and which static assets
//! were downloaded again.
//!
//! - **Repeat view:** the page view's navigation type is `reload` or `back-forward` (a
//!   history traversal that loaded the page anew). A first visit says nothing about caching.
//! - **From cache:** [`crate::resources::is_cache_hit`]: `deliveryType` `cache`, a
//!   `transferSize` of 0 with a body, or `webRequest`'s `fromCache`.
//! - **Downloaded again:** a static asset ([`super::STATIC_TYPES`]) that crossed the network
//!   with a body (not a cache hit, not a 304 revalidation). Since Chrome 54 a reload
//!   revalidates only the document, so a subresource fetched again was not fresh in the
//!   cache.
//! - **Trigger:** those bytes add up to at least
//!   [`super::text_compression::IGNORE_THRESHOLD_IN_BYTES`]. **Saving:** those bytes.

use super::text_compression::IGNORE_THRESHOLD_IN_BYTES;
use super::{Context, Evidence, Finding, Fix, STATIC_TYPES, Saving, finite, status};
use crate::metric::NavigationType;

/// The rule's id.
pub const ID: &str = "repeat-view-cache";

/// HTTP 304 Not Modified.
const NOT_MODIFIED: u16 = 304;

const FIX: Fix = Fix {
    action: "Give static files a cache lifetime and a validator, and keep their URLs stable between views.",
    how: "On this repeat view the browser downloaded static files again instead of \
    using its cache. Give them a cache lifetime (`max-age`; a year and `immutable` for files \
    with a content hash in the name) and a validator (`ETag`), avoid `no-store`, and keep \
    their URLs stable between views (no per-request query strings or cache-busting \
    timestamps).",
};

/// The finding, if a repeat view re-downloaded static assets.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    if !matches!(
        cx.report.page.navigation_type,
        NavigationType::Reload | NavigationType::BackForward
    ) {
        return Vec::new();
    }
    let mut hits = 0;
    let mut statics = 0;
    let mut evidence = Vec::new();
    let mut total = 0.0;
    for r in cx.subresources() {
        if !STATIC_TYPES.contains(&r.resource_type) {
            continue;
        }
        statics += 1;
        if r.cache_hit {
            hits += 1;
            continue;
        }
        let bytes = finite(r.transfer_size);
        if status(r) == NOT_MODIFIED || bytes == 0.0 {
            continue;
        }
        total += bytes;
        let cc = r
            .response
            .and_then(|resp| resp.header("cache-control"))
            .unwrap_or("(none)");
        evidence.push(
            Evidence::new("downloaded again")
                .url(r.url)
                .bytes(bytes)
                .detail(format!("Cache-Control: {cc}")),
        );
    }
    if total < IGNORE_THRESHOLD_IN_BYTES {
        return Vec::new();
    }
    evidence.insert(
        0,
        Evidence::new("static assets from cache").detail(format!("{hits} of {statics}")),
    );
    vec![Finding::new(
        ID,
        "A repeat view downloaded static files again",
        evidence,
        Saving {
            ms: None,
            bytes: Some(total),
            method: "bytes: the transfer size of static assets fetched over the network on \
                     this repeat view"
                .into(),
        },
        &FIX,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, nav_with, resource};
    use crate::testing::NAV;

    #[test]
    fn a_reload_that_downloads_again_is_flagged_and_one_served_from_cache_is_not() {
        let reload = nav_with(r#""type":"reload""#).replace(r#""type":"navigate","#, "");
        let net = resource("http://x/app.js", "script", (9300.0, 9000.0, 9000.0), "");
        let cached = resource("http://x/app.js", "script", (0.0, 9000.0, 9000.0), "");
        let f = findings(&[reload.clone(), net.clone()].join(","), ID);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].saving.bytes, Some(9300.0));
        assert!(findings(&[reload, cached].join(","), ID).is_empty());
        // A first visit is not a repeat view.
        assert!(findings(&[NAV.into(), net].join(","), ID).is_empty());
    }
}
