//! The Bundles section: bytes by resource type and by party, and the largest files.

use pagevitals_core::resources::{ResourceType, Resources, Totals};

use crate::format;

/// One row of a bytes table.
#[derive(Debug, Clone, PartialEq)]
pub struct BytesRow {
    /// What the row counts.
    pub label: String,
    /// Requests.
    pub requests: usize,
    /// Bytes over the network (`transferSize`).
    pub transfer: f64,
    /// Bytes after decoding (`decodedBodySize`).
    pub decoded: f64,
    /// Share of the page's transfer, percent.
    pub share: f64,
}

fn row(label: String, t: &Totals, whole: f64) -> BytesRow {
    BytesRow {
        label,
        requests: t.requests,
        transfer: t.transfer_size,
        decoded: t.decoded_body_size,
        share: format::percent(t.transfer_size, whole),
    }
}

fn type_name(t: ResourceType) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Bytes per resource type that loaded anything, most bytes first (ties in report order).
pub fn by_type(r: &Resources) -> Vec<BytesRow> {
    let mut rows: Vec<BytesRow> = ResourceType::ALL
        .iter()
        .filter_map(|t| r.by_type.get(t).map(|totals| (t, totals)))
        .filter(|(_, totals)| totals.requests > 0)
        .map(|(t, totals)| row(type_name(*t), totals, r.total.transfer_size))
        .collect();
    rows.sort_by(|a, b| b.transfer.total_cmp(&a.transfer));
    rows
}

/// First party, third party, then each third-party domain, most bytes first.
pub fn by_party(r: &Resources) -> Vec<BytesRow> {
    let whole = r.total.transfer_size;
    let mut rows = vec![
        row("First party".to_owned(), &r.first_party, whole),
        row("Third party".to_owned(), &r.third_party, whole),
    ];
    let mut domains: Vec<BytesRow> = r
        .by_domain
        .iter()
        .filter(|(_, d)| !d.first_party)
        .map(|(name, d)| row(format!("  {name}"), &d.totals, whole))
        .collect();
    domains.sort_by(|a, b| b.transfer.total_cmp(&a.transfer));
    rows.extend(domains);
    rows
}

/// One of the largest files.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRow {
    /// The URL.
    pub url: String,
    /// Its last path segment.
    pub name: String,
    /// Resource type.
    pub kind: String,
    /// `first` or `third` party.
    pub party: &'static str,
    /// Bytes over the network.
    pub transfer: f64,
    /// Bytes after decoding.
    pub decoded: f64,
}

/// The largest requests, as the report lists them.
pub fn largest(r: &Resources) -> Vec<FileRow> {
    r.largest
        .iter()
        .map(|f| FileRow {
            url: f.url.clone(),
            name: format::short_url(&f.url),
            kind: type_name(f.resource_type),
            party: if f.first_party { "first" } else { "third" },
            transfer: f.transfer_size,
            decoded: f.decoded_body_size,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn rows_partition_the_page_and_come_largest_first() {
        let r = report("basic.chromium.json");
        let Some(res) = r.resources.as_ref() else {
            panic!("no resources")
        };
        let types = by_type(res);
        assert_eq!(
            types.iter().map(|t| t.requests).sum::<usize>(),
            res.total.requests
        );
        assert!(types.windows(2).all(|w| w[0].transfer >= w[1].transfer));
        assert!(types.iter().any(|t| t.label == "document"));
        let party = by_party(res);
        assert_eq!(party[0].requests + party[1].requests, res.total.requests);
        let files = largest(res);
        assert_eq!(files.len(), res.largest.len());
        assert!(files.iter().all(|f| !f.name.is_empty()));
    }
}
