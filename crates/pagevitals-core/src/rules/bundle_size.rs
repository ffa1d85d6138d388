//! `oversized-files` and `total-byte-weight`: JavaScript and CSS too large per file, and a
//! page too heavy in total.
//!
//! - **Per file** (`oversized-files`): a script or stylesheet whose uncompressed size
//!   (`decodedBodySize`, else the response's `Content-Length`) is over
//!   [`MAX_ASSET_SIZE_BYTES`], webpack's default performance hint for one emitted asset.
//!   Saving: the transfer bytes in proportion to the excess (what splitting the file down to
//!   the limit would keep off the initial load).
//! - **Total** (`total-byte-weight`): the page's summed `transferSize` over
//!   [`TOTAL_BYTE_WEIGHT_P10_BYTES`], where Lighthouse's `total-byte-weight` audit stops
//!   scoring 0.9. Saving: the bytes over it. The evidence lists JavaScript and CSS in total
//!   and by party (first/third by registrable domain, from the resource summary).
//!
//! Requests served from cache weigh nothing here (their `transferSize` is 0).

use super::render_blocking::plural;
use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::resources::ResourceType;

/// webpack `performance.maxAssetSize` default, bytes
/// (<https://webpack.js.org/configuration/performance/#performancemaxassetsize>): "an asset
/// that is over 250kb" gets a warning.
pub const MAX_ASSET_SIZE_BYTES: f64 = 250_000.0;

/// Lighthouse `total-byte-weight.js` `defaultOptions.p10` (2667 KiB): below it the page
/// scores 0.9 or better.
pub const TOTAL_BYTE_WEIGHT_P10_BYTES: f64 = 2667.0 * 1024.0;

/// The per-file rule's id.
pub const ID: &str = "oversized-files";
/// The total rule's id.
pub const TOTAL_ID: &str = "total-byte-weight";

const FIX: Fix = Fix {
    action: "Split and trim the large bundles, so that the first screen loads only the code it needs.",
    how: "Split large bundles: load only the code the first screen needs (route- \
    and component-level code splitting with dynamic `import()`), drop unused dependencies and \
    polyfills for browsers you no longer support, tree-shake, and minify. For CSS, extract the \
    critical rules and load the rest per page. Check the bundle with your bundler's analyzer.",
};
const FIX_TOTAL: Fix = Fix {
    action: "Shrink the largest downloads first: images at the size shown in modern formats, lazy-loading below the fold, less JavaScript.",
    how: "The page downloads a lot. Look at the largest requests first: \
    serve images in modern formats at the size they are shown, lazy-load what is below the \
    fold, split and trim JavaScript, and question each third party. Large payloads cost \
    users on metered or slow connections and delay everything that shares the network.",
};

/// The per-file and total findings.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut evidence = Vec::new();
    let mut saving = 0.0;
    for r in cx.subresources() {
        if !matches!(
            r.resource_type,
            ResourceType::Script | ResourceType::Stylesheet
        ) {
            continue;
        }
        let size = if r.decoded_body_size > 0.0 {
            r.decoded_body_size
        } else {
            r.response
                .and_then(|resp| resp.header("content-length"))
                .and_then(|v| v.trim().parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        if size.is_nan() || size <= MAX_ASSET_SIZE_BYTES {
            continue;
        }
        saving += finite(r.transfer_size * (1.0 - MAX_ASSET_SIZE_BYTES / size));
        evidence.push(
            Evidence::new(if r.resource_type == ResourceType::Script {
                "oversized script"
            } else {
                "oversized stylesheet"
            })
            .url(r.url)
            .bytes(size)
            .detail(format!("{:.0} bytes transferred", r.transfer_size)),
        );
    }
    if !evidence.is_empty() {
        let n = evidence.len();
        out.push(Finding::new(
            ID,
            format!("{n} JavaScript or CSS file{} over 250 kB", plural(n)),
            evidence,
            Saving {
                ms: None,
                bytes: Some(saving),
                method: "bytes: each file's transfer size in proportion to its uncompressed size \
                         over webpack's 250 kB asset limit"
                    .into(),
            },
            &FIX,
        ));
    }
    if let Some(res) = &cx.report.resources {
        let total = res.total.transfer_size;
        if total > TOTAL_BYTE_WEIGHT_P10_BYTES {
            let mut evidence = vec![Evidence::new("total transfer size").bytes(total)];
            for (t, label) in [
                (ResourceType::Script, "JavaScript"),
                (ResourceType::Stylesheet, "CSS"),
            ] {
                if let Some(totals) = res.by_type.get(&t) {
                    evidence.push(
                        Evidence::new(format!("{label} in total"))
                            .bytes(totals.transfer_size)
                            .detail(format!("{} files", totals.requests)),
                    );
                }
            }
            evidence.push(Evidence::new("first party").bytes(res.first_party.transfer_size));
            evidence.push(Evidence::new("third party").bytes(res.third_party.transfer_size));
            evidence.extend(res.largest.iter().take(5).map(|r| {
                Evidence::new("large request")
                    .url(r.url.clone())
                    .bytes(r.transfer_size)
            }));
            out.push(Finding::new(
                TOTAL_ID,
                format!("The page transferred {:.0} KiB", total / 1024.0),
                evidence,
                Saving {
                    ms: None,
                    bytes: Some(total - TOTAL_BYTE_WEIGHT_P10_BYTES),
                    method: "bytes: the transfer size over Lighthouse's total-byte-weight p10 \
                             (2667 KiB)"
                        .into(),
                },
                &FIX_TOTAL,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource};
    use crate::testing::NAV;

    #[test]
    fn a_large_bundle_and_a_heavy_page_are_flagged_and_a_lean_one_is_not() {
        let big = resource(
            "http://x/app.js",
            "script",
            (100_000.0, 100_000.0, 500_000.0),
            "",
        );
        let f = findings(&[NAV.into(), big].join(","), ID);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].saving.bytes, Some(50_000.0));
        let lean = resource(
            "http://x/app.js",
            "script",
            (60_000.0, 60_000.0, 200_000.0),
            "",
        );
        assert!(findings(&[NAV.into(), lean.clone()].join(","), ID).is_empty());
        assert!(findings(&[NAV.into(), lean].join(","), TOTAL_ID).is_empty());

        let video = resource("http://x/v.mp4", "video", (3_000_000.0, 3e6, 3e6), "");
        let f = findings(&[NAV.into(), video].join(","), TOTAL_ID);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].saving.bytes, Some(3_000_000.0 - 2667.0 * 1024.0));
    }
}
