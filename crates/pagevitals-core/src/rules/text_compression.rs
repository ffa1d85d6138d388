//! `uses-text-compression`: text responses sent without compression, after Lighthouse's
//! audit of the same id
//! (<https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/byte-efficiency/uses-text-compression.js>)
//! and DevTools' document-latency insight, whose estimate this follows
//! (<https://github.com/ChromeDevTools/devtools-frontend/blob/main/front_end/models/trace/insights/DocumentLatency.ts>).
//!
//! - **Uncompressed:** the response record has no `Content-Encoding` naming `gzip`, `br`,
//!   `deflate` or `zstd`; without a response record, the entry's `encodedBodySize` equals its
//!   `decodedBodySize` (both known, so same-origin or Timing-Allow-Origin). Responses served
//!   from cache are skipped (nothing crossed the network).
//! - **Size:** `decodedBodySize`, else the response's `Content-Length` (a cross-origin
//!   response without Timing-Allow-Origin reports 0 sizes to the page).
//! - **Saving:** Lighthouse gzips the body; the log has no body, so the saving is estimated
//!   as DevTools does, by MIME type ([`saving_ratio`]): CSS 80 %, HTML and JavaScript 67 %,
//!   other text 50 %, anything else 0. Flagged when the saving is at least
//!   [`IGNORE_THRESHOLD_IN_BYTES`] and at least [`IGNORE_THRESHOLD_IN_PERCENT`] of the size
//!   (Lighthouse's two floors; the ratios always pass the second).
//! - The document is left to `document-latency`, which reports its compression with the rest
//!   of the document's latency (as DevTools does), so its bytes are not counted twice.
//!
//! Where this differs from `shared/notes/field-facts.md` ("saving >= 1400 bytes and (>= 20000
//! bytes or >= 5 %)"): the Lighthouse source read for this rule (above) requires >= 1400 bytes
//! and >= 10 %, with no 20000-byte alternative; this rule follows the source.

use super::render_blocking::plural;
use super::{Context, Evidence, Finding, Fix, Saving, mime_essence};
use crate::resources::Request;

/// Lighthouse `uses-text-compression.js` (and DevTools `DocumentLatency.ts`)
/// `IGNORE_THRESHOLD_IN_BYTES`: savings under this are not worth a finding.
pub const IGNORE_THRESHOLD_IN_BYTES: f64 = 1400.0;

/// Lighthouse `uses-text-compression.js` `IGNORE_THRESHOLD_IN_PERCENT`: nor are savings under
/// 10 % of the size.
pub const IGNORE_THRESHOLD_IN_PERCENT: f64 = 0.1;

/// The content codings that compress (`Content-Encoding` values DevTools accepts).
const COMPRESSED_ENCODINGS: [&str; 4] = ["gzip", "br", "deflate", "zstd"];

/// The rule's id.
pub const ID: &str = "uses-text-compression";

const FIX: Fix = Fix {
    action: "Compress text responses with Brotli or gzip at the server or CDN.",
    how: "Turn on compression for text responses at the server or CDN: Brotli \
    (`br`) where the client accepts it, gzip otherwise, for HTML, CSS, JavaScript, JSON, SVG \
    and other text types. Pre-compress static files at build time so the server does not \
    compress on every request, and check that a proxy in between does not strip \
    `Content-Encoding`.",
};

/// DevTools' estimated compression saving for a MIME type essence, as a share of the body
/// (`DocumentLatency.ts` `getCompressionSavings`, ratios from HTTP Archive).
pub fn saving_ratio(essence: &str) -> f64 {
    match essence {
        "text/css" => 0.8,
        "text/html" | "text/javascript" => 0.67,
        "text/plain"
        | "text/xml"
        | "text/x-component"
        | "application/javascript"
        | "application/json"
        | "application/manifest+json"
        | "application/vnd.api+json"
        | "application/xml"
        | "application/xhtml+xml"
        | "application/rss+xml"
        | "application/atom+xml"
        | "application/vnd.ms-fontobject"
        | "application/x-font-ttf"
        | "application/x-font-opentype"
        | "application/x-font-truetype"
        | "image/svg+xml"
        | "image/x-icon"
        | "image/vnd.microsoft.icon"
        | "font/ttf"
        | "font/eot"
        | "font/otf"
        | "font/opentype" => 0.5,
        _ => 0.0,
    }
}

/// The estimated saving of compressing `r` and its size, bytes, when it crossed the network
/// uncompressed and the saving passes both floors.
pub(crate) fn uncompressed_saving(r: &Request<'_>) -> Option<(f64, f64)> {
    if r.cache_hit {
        return None;
    }
    let uncompressed = match r.response {
        Some(resp) => !resp.header("content-encoding").is_some_and(|v| {
            v.split(',')
                .any(|c| COMPRESSED_ENCODINGS.contains(&c.trim().to_ascii_lowercase().as_str()))
        }),
        None => r.encoded_body_size > 0.0 && r.encoded_body_size == r.decoded_body_size,
    };
    if !uncompressed {
        return None;
    }
    let size = if r.decoded_body_size > 0.0 {
        r.decoded_body_size
    } else {
        r.response
            .and_then(|resp| resp.header("content-length"))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let ratio = saving_ratio(&mime_essence(r.content_type));
    let saving = (size * ratio).round();
    (saving.is_finite()
        && saving >= IGNORE_THRESHOLD_IN_BYTES
        && ratio >= IGNORE_THRESHOLD_IN_PERCENT)
        .then_some((saving, size))
}

/// The finding, if any subresource went uncompressed.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut evidence = Vec::new();
    let mut total = 0.0;
    for r in cx.subresources() {
        if let Some((saving, size)) = uncompressed_saving(r) {
            total += saving;
            evidence.push(
                Evidence::new("uncompressed text response")
                    .url(r.url)
                    .bytes(size)
                    .detail(format!(
                        "{}; about {saving:.0} bytes to save",
                        mime_essence(r.content_type)
                    )),
            );
        }
    }
    if evidence.is_empty() {
        return Vec::new();
    }
    let n = evidence.len();
    vec![Finding::new(
        ID,
        format!("{n} text response{} sent without compression", plural(n)),
        evidence,
        Saving {
            ms: None,
            bytes: Some(total),
            method: "bytes: body size times DevTools' typical compression saving for the MIME \
                     type (CSS 80 %, HTML/JS 67 %, other text 50 %)"
                .into(),
        },
        &FIX,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource, response};
    use crate::testing::NAV;

    #[test]
    fn uncompressed_text_is_flagged_and_compressed_small_or_binary_is_not() {
        let js = "http://x/app.js";
        // (sizes, content type, content-encoding header, flagged saving)
        type Case<'a> = ((f64, f64, f64), &'a str, &'a str, Option<f64>);
        let cases: [Case<'_>; 6] = [
            (
                (30300.0, 30000.0, 30000.0),
                "text/javascript",
                "",
                Some(20100.0),
            ),
            ((30300.0, 30000.0, 30000.0), "text/css", "", Some(24000.0)),
            (
                (9300.0, 9000.0, 30000.0),
                "text/javascript",
                r#","content-encoding":"br""#,
                None,
            ),
            ((2300.0, 2000.0, 2000.0), "text/javascript", "", None), // 1340 bytes saving
            ((90300.0, 90000.0, 90000.0), "image/png", "", None),
            ((0.0, 10.0, 30000.0), "text/javascript", "", None), // from cache
        ];
        for (sizes, ct, enc, expected) in cases {
            let records = [
                NAV.into(),
                resource(js, "script", sizes, &format!(r#","contentType":"{ct}""#)),
                response(js, "script", &format!(r#""content-type":"{ct}"{enc}"#)),
            ]
            .join(",");
            let f = findings(&records, ID);
            assert_eq!(
                f.first().and_then(|f| f.saving.bytes),
                expected,
                "{ct} {enc} {sizes:?}"
            );
        }
    }

    #[test]
    fn without_a_response_record_equal_sizes_mean_uncompressed() {
        let r = |e: f64, d: f64| {
            resource(
                "http://x/a.css",
                "link",
                (e + 300.0, e, d),
                r#","contentType":"text/css""#,
            )
        };
        assert_eq!(findings(&r(10000.0, 10000.0), ID).len(), 1);
        assert!(findings(&r(2000.0, 10000.0), ID).is_empty());
    }
}
