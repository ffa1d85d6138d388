//! Cache headers of static assets beyond their lifetime: three findings over the same
//! requests as [`super::cache_ttl`] (static types, cacheable status, from the network, with
//! a response record).
//!
//! - `cache-disabled-static`: `Cache-Control: no-store` or `no-cache` on a static asset: it
//!   is downloaded (or revalidated) on every view. Lighthouse's `uses-long-cache-ttl` skips
//!   these as deliberate; for fonts, images, media, scripts and stylesheets it rarely is.
//!   Saving: the transfer size on each repeat view for `no-store`; `no-cache` keeps the body
//!   if the response has a validator, so its saving is a round trip, not counted in bytes.
//! - `fingerprinted-short-ttl`: a file whose name carries a content hash ([`fingerprinted`])
//!   but whose lifetime is under [`IMMUTABLE_TTL_SECONDS`]: the name already changes with
//!   the content, so the file can be cached for a year and marked `immutable`. Saving: as
//!   `uses-long-cache-ttl` computes it (Lighthouse's cache-hit probability), which skips
//!   these files so they are counted once.
//! - `missing-validators`: a cacheable asset with a finite lifetime (no `immutable`, under a
//!   year) and neither `ETag` nor `Last-Modified`: once it expires the browser must
//!   download it again instead of revalidating with a 304 (RFC 9111 section 4.3.1). Saving:
//!   its encoded body size on each revalidation after expiry.

use super::cache_ttl::{cache_hit_probability, cacheable_asset, lifetime, network_bytes};
use super::render_blocking::plural;
use super::{Context, Evidence, Finding, Fix, Saving};

/// One year, in seconds: `max-age=31536000`, the lifetime web.dev recommends for versioned
/// URLs (<https://web.dev/articles/http-cache#versioned-urls>) and the top decile of
/// Lighthouse's cache-hit curve (8760 hours).
pub const IMMUTABLE_TTL_SECONDS: f64 = 31_536_000.0;

/// The shortest run of hash characters taken for a content hash: webpack's and Vite's
/// default `[contenthash:8]`/8-character hashes.
pub const MIN_HASH_LENGTH: usize = 8;

/// The id of the no-store/no-cache finding.
pub const DISABLED_ID: &str = "cache-disabled-static";
/// The id of the fingerprinted-file finding.
pub const FINGERPRINTED_ID: &str = "fingerprinted-short-ttl";
/// The id of the missing-validator finding.
pub const VALIDATORS_ID: &str = "missing-validators";

const FIX_DISABLED: Fix = Fix {
    action: "Replace `no-store` and `no-cache` on static files with a `max-age` lifetime and an `ETag`.",
    how: "Static files are sent with `no-store` or `no-cache`, so every \
    view downloads or revalidates them. Unless a file really changes per user, replace these \
    with a lifetime (`max-age`) and an `ETag`; for files with a content hash in the name use \
    `max-age=31536000, immutable`. Check CDN and framework defaults, which often send \
    `no-store` for everything.",
};
const FIX_FINGERPRINTED: Fix = Fix {
    action: "Serve the content-hashed files with `Cache-Control: public, max-age=31536000, immutable`.",
    how: "These files have a content hash in their name, so a new \
    version always gets a new URL: serve them with `Cache-Control: public, max-age=31536000, \
    immutable`. Repeat visits then never re-download or revalidate them.",
};
const FIX_VALIDATORS: Fix = Fix {
    action: "Send an `ETag` or `Last-Modified` with static files, so that an expired copy revalidates with a small 304.",
    how: "Send an `ETag` (or `Last-Modified`) with static files. When \
    their lifetime runs out the browser can then ask \"has it changed?\" and get a tiny 304 \
    instead of downloading the whole file again. Most servers and CDNs add one by default; \
    check that it is not stripped.",
};

/// True when the file name (the last path segment, query and fragment dropped) has a
/// segment, split at `.`, `-`, `_` or `~`, of at least [`MIN_HASH_LENGTH`] ASCII
/// alphanumerics that is either lower-case hex with a digit (`app.3f9a1c2b.js`) or mixes
/// upper case, lower case and digits (`index-BxY3kZ9a.js`): a content hash. Version query
/// strings (`?v=3`) are not counted; ordinary words do not mix all three.
pub fn fingerprinted(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or_default();
    file.split(['.', '-', '_', '~']).any(|seg| {
        let b = seg.as_bytes();
        b.len() >= MIN_HASH_LENGTH
            && b.iter().all(u8::is_ascii_alphanumeric)
            && b.iter().any(u8::is_ascii_digit)
            && (b
                .iter()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
                || (b.iter().any(u8::is_ascii_uppercase) && b.iter().any(u8::is_ascii_lowercase)))
    })
}

/// The three findings.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut disabled = (Vec::new(), 0.0);
    let mut hashed = (Vec::new(), 0.0);
    let mut unvalidated = (Vec::new(), 0.0);
    for r in cx.subresources() {
        let (Some(cc), Some(resp)) = (cacheable_asset(r), r.response) else {
            continue;
        };
        let bytes = network_bytes(r);
        if cc.no_store || cc.no_cache {
            let directive = if cc.no_store { "no-store" } else { "no-cache" };
            if cc.no_store {
                disabled.1 += bytes;
            }
            disabled.0.push(
                Evidence::new(format!("static asset with {directive}"))
                    .url(r.url)
                    .bytes(bytes),
            );
            continue;
        }
        let ttl = lifetime(cx, r, &cc).unwrap_or(0.0);
        if fingerprinted(r.url) && (ttl.is_nan() || ttl < IMMUTABLE_TTL_SECONDS) {
            hashed.1 += (1.0 - cache_hit_probability(ttl.max(0.0))) * bytes;
            hashed.0.push(
                Evidence::new("content-hashed file with a short lifetime")
                    .url(r.url)
                    .ms(ttl.max(0.0) * 1000.0)
                    .bytes(bytes),
            );
        }
        let has_validator = resp.header("etag").is_some() || resp.header("last-modified").is_some();
        if !has_validator && !cc.immutable && ttl < IMMUTABLE_TTL_SECONDS {
            let body = if r.encoded_body_size > 0.0 {
                r.encoded_body_size
            } else {
                bytes
            };
            unvalidated.1 += body;
            unvalidated.0.push(
                Evidence::new("no ETag or Last-Modified")
                    .url(r.url)
                    .bytes(body),
            );
        }
    }
    let mut out = Vec::new();
    let mut push =
        |id: &str, (evidence, bytes): (Vec<Evidence>, f64), what: &str, method: &str, fix: &Fix| {
            if evidence.is_empty() {
                return;
            }
            let n = evidence.len();
            out.push(Finding::new(
                id,
                format!("{n} static asset{} {what}", plural(n)),
                evidence,
                Saving {
                    ms: None,
                    bytes: Some(bytes),
                    method: method.into(),
                },
                fix,
            ));
        };
    push(
        DISABLED_ID,
        disabled,
        "with caching disabled (no-store or no-cache)",
        "bytes on each repeat view: the transfer size of no-store assets",
        &FIX_DISABLED,
    );
    push(
        FINGERPRINTED_ID,
        hashed,
        "with a content hash but a short cache lifetime",
        "bytes on a repeat visit: (1 - cache-hit probability) x transfer size, as \
         uses-long-cache-ttl",
        &FIX_FINGERPRINTED,
    );
    push(
        VALIDATORS_ID,
        unvalidated,
        "without ETag or Last-Modified",
        "bytes on each revalidation after expiry: the body a 304 would not resend",
        &FIX_VALIDATORS,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource, response};
    use crate::testing::NAV;

    #[test]
    fn content_hashes_in_file_names() {
        for (url, hashed) in [
            ("https://x/app.3f9a1c2b.js", true),
            ("https://x/assets/index-BxY3kZ9a.js", true),
            ("https://x/chunk_0a1b2c3d4e5f.css?x=1", true),
            ("https://x/bootstrap4.min.css", false),
            ("https://x/background.png", false),
            ("https://x/deadbeefcafe.js", false), // hex without a digit: a word, maybe
            ("https://x/app.js?v=3f9a1c2b", false),
        ] {
            assert_eq!(fingerprinted(url), hashed, "{url}");
        }
    }

    fn run(url: &str, headers: &str, id: &str) -> Vec<Finding> {
        let records = [
            NAV.into(),
            resource(url, "script", (10_000.0, 9700.0, 30_000.0), ""),
            response(url, "script", headers),
        ]
        .join(",");
        findings(&records, id)
    }

    #[test]
    fn each_header_problem_is_flagged_and_a_well_cached_file_is_not() {
        let plain = "http://x/app.js";
        let hashed = "http://x/app.3f9a1c2b.js";
        let good = r#""cache-control":"max-age=31536000, immutable","etag":"\"1\"""#;
        // (url, headers, id, flagged bytes)
        let cases: [(&str, &str, &str, Option<f64>); 7] = [
            (
                plain,
                r#""cache-control":"no-store""#,
                DISABLED_ID,
                Some(10_000.0),
            ),
            (
                plain,
                r#""cache-control":"no-cache","etag":"\"1\"""#,
                DISABLED_ID,
                Some(0.0),
            ),
            (
                plain,
                r#""cache-control":"max-age=600""#,
                VALIDATORS_ID,
                Some(9700.0),
            ),
            (
                plain,
                r#""cache-control":"max-age=600","etag":"\"1\"""#,
                VALIDATORS_ID,
                None,
            ),
            (
                hashed,
                r#""cache-control":"max-age=3600","etag":"\"1\"""#,
                FINGERPRINTED_ID,
                Some(8000.0),
            ),
            (hashed, good, FINGERPRINTED_ID, None),
            (hashed, good, DISABLED_ID, None),
        ];
        for (url, headers, id, expected) in cases {
            let f = run(url, headers, id);
            let got = f.first().and_then(|f| f.saving.bytes);
            assert!(
                got.zip(expected)
                    .map_or(got == expected, |(a, b)| (a - b).abs() < 1e-6),
                "{url} {headers} {id}: {got:?}"
            );
        }
        // A hashed file is reported here, not again by uses-long-cache-ttl.
        assert!(
            run(
                hashed,
                r#""cache-control":"max-age=3600""#,
                super::super::cache_ttl::ID
            )
            .is_empty()
        );
    }
}
