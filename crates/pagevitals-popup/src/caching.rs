//! The Caching section: the cache lifetime of each static file the rules flagged, and how
//! many requests a repeat view served from cache.

use pagevitals_core::Report;

use crate::format;

/// The rules whose evidence is about caching (`docs/recommendations.md`).
pub const CACHE_RULES: [&str; 5] = [
    "uses-long-cache-ttl",
    "fingerprinted-short-ttl",
    "cache-disabled-static",
    "missing-validators",
    "repeat-view-cache",
];

/// One file in the cache table.
#[derive(Debug, Clone, PartialEq)]
pub struct TtlRow {
    /// The file's URL.
    pub url: String,
    /// Its last path segment.
    pub name: String,
    /// What the rule found, e.g. `short cache lifetime`.
    pub finding: String,
    /// The cache lifetime where the rule measured one (`1 h`), else the rule's detail.
    pub lifetime: String,
    /// Bytes at stake.
    pub bytes: Option<f64>,
}

/// Every file the caching rules named, in ranking order.
pub fn ttl_rows(report: &Report) -> Vec<TtlRow> {
    report
        .recommendations
        .iter()
        .filter(|f| CACHE_RULES.contains(&f.id.as_str()) && f.id != "repeat-view-cache")
        .flat_map(|f| {
            f.evidence.iter().filter_map(|e| {
                let url = e.url.clone()?;
                let lifetime = match (f.id.as_str(), e.ms) {
                    ("uses-long-cache-ttl" | "fingerprinted-short-ttl", Some(ms)) => {
                        format::lifetime(ms)
                    }
                    _ => e.detail.clone().unwrap_or_else(|| e.label.clone()),
                };
                Some(TtlRow {
                    name: format::short_url(&url),
                    url,
                    finding: e.label.clone(),
                    lifetime,
                    bytes: e.bytes,
                })
            })
        })
        .collect()
}

/// How the page view used the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatView {
    /// Requests served from cache.
    pub hits: usize,
    /// All requests.
    pub requests: usize,
    /// How the page view began (`reload` and `back-forward` are repeat views).
    pub navigation_type: String,
    /// The repeat-view finding's title, when there was one.
    pub finding: Option<String>,
}

/// Cache hits of the page view, with the repeat-view finding if any; `None` where the
/// browser has no resource timing.
pub fn repeat_view(report: &Report) -> Option<RepeatView> {
    let resources = report.resources.as_ref()?;
    Some(RepeatView {
        hits: resources.total.cache_hits,
        requests: resources.total.requests,
        navigation_type: serde_json::to_value(report.page.navigation_type)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        finding: report
            .recommendations
            .iter()
            .find(|f| f.id == "repeat-view-cache")
            .map(|f| f.title.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn the_short_hero_lifetime_is_in_the_table() {
        // The fixtures serve hero.png with max-age=3600 (tests/sites/fixtures/_headers.json).
        let r = report("basic.chromium.json");
        let rows = ttl_rows(&r);
        let Some(hero) = rows.iter().find(|row| row.name.starts_with("hero.png")) else {
            panic!("hero.png not flagged: {rows:?}")
        };
        assert_eq!(hero.lifetime, "1 h");
        let repeat = repeat_view(&r).unwrap();
        assert_eq!(repeat.navigation_type, "navigate");
        assert!(repeat.hits <= repeat.requests);
    }

    #[test]
    fn a_reload_counts_its_cache_hits() {
        let r = report("reload.chromium.json");
        let repeat = repeat_view(&r).unwrap();
        assert_eq!(repeat.navigation_type, "reload");
    }
}
