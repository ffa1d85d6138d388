//! `uses-long-cache-ttl`: static assets served with a short cache lifetime, after
//! Lighthouse's audit of the same id
//! (<https://github.com/GoogleChrome/lighthouse/blob/main/core/audits/byte-efficiency/uses-long-cache-ttl.js>)
//! and DevTools' Cache insight, which shares its model.
//!
//! - **Which requests:** those with a response record (the background's `webRequest`
//!   headers) of status 200, 203 or 206 ([`CACHEABLE_STATUS_CODES`]), of a static type
//!   ([`super::STATIC_TYPES`]), loaded from the network (not a cache hit, not `data:`/`blob:`),
//!   and not fingerprinted (those go to [`super::cache_headers`], whose advice for them
//!   differs).
//! - **Skipped, as Lighthouse does:** `Cache-Control` with `no-cache`, `no-store`,
//!   `must-revalidate`, `stale-while-revalidate` or `private` (policies that mean "not for
//!   long"; `no-store` on a static asset is reported by [`super::cache_headers`]), and a
//!   lifetime that is not positive. `Pragma` is not among the recorded headers, so its
//!   HTTP/1.0 `no-cache` cannot be honoured.
//! - **Lifetime:** `max-age`, else `Expires` minus the time of the response (the log's time
//!   origin plus the entry's `responseEnd`); an `Expires` that is not an IMF-fixdate is
//!   treated as invalid, i.e. already expired, and skipped as Lighthouse skips it. No header:
//!   0.
//! - **Cache-hit probability:** Lighthouse's interpolation over [`RESOURCE_AGE_IN_HOURS_DECILES`];
//!   an asset above [`IGNORE_THRESHOLD_IN_PERCENT`] is fine.
//! - **Saving:** `(1 - probability) * transferSize` bytes on a repeat visit (the response's
//!   `Content-Length` where the entry's size is hidden).
//!
//! `shared/notes/field-facts.md` lists the skipped directives without
//! `stale-while-revalidate`; the Lighthouse source read for this rule includes it, and so
//! does the rule.

use super::render_blocking::plural;
use super::{Context, Evidence, Finding, Fix, STATIC_TYPES, Saving, finite, status};
use crate::resources::{Request, Source};

/// Lighthouse `isCacheableAsset`'s `CACHEABLE_STATUS_CODES`.
pub const CACHEABLE_STATUS_CODES: [u16; 3] = [200, 203, 206];

/// Lighthouse `getCacheHitProbability`'s `RESOURCE_AGE_IN_HOURS_DECILES`: the age in hours of
/// a resource at a cache hit at the 0th, 10th, ... 100th percentile (Chrome UMA
/// `HttpCache.StaleEntry.Validated.Age`), plus one for overflow.
pub const RESOURCE_AGE_IN_HOURS_DECILES: [f64; 12] = [
    0.0,
    0.2,
    1.0,
    3.0,
    8.0,
    12.0,
    24.0,
    48.0,
    72.0,
    168.0,
    8760.0,
    f64::INFINITY,
];

/// Lighthouse `uses-long-cache-ttl.js` `IGNORE_THRESHOLD_IN_PERCENT`: "Ignore assets that have
/// very high likelihood of cache hit".
pub const IGNORE_THRESHOLD_IN_PERCENT: f64 = 0.925;

/// The rule's id.
pub const ID: &str = "uses-long-cache-ttl";

const FIX: Fix = Fix {
    action: "Give static files a long cache lifetime: a year and `immutable` for files with a content hash in the name.",
    how: "Give static assets a long cache lifetime so repeat visits load them from \
    the browser cache: `Cache-Control: max-age=31536000, immutable` for files whose name \
    changes when their content does (add a content hash to the file name in your build), and \
    at least several days plus an `ETag` for the rest.",
};

/// The directives of a `Cache-Control` value that the rules read.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CacheControl {
    /// `max-age`, seconds.
    pub max_age: Option<f64>,
    /// `no-cache`.
    pub no_cache: bool,
    /// `no-store`.
    pub no_store: bool,
    /// `must-revalidate`.
    pub must_revalidate: bool,
    /// `private`.
    pub private: bool,
    /// `stale-while-revalidate`.
    pub stale_while_revalidate: bool,
    /// `immutable`.
    pub immutable: bool,
}

impl CacheControl {
    /// Parses a `Cache-Control` value (RFC 9111 section 5.2: comma-separated directives,
    /// names case-insensitive, arguments a token or a quoted-string). The first `max-age`
    /// wins; one that is not a non-negative integer is ignored.
    pub fn parse(value: &str) -> Self {
        let mut cc = CacheControl::default();
        for directive in value.split(',') {
            let (name, arg) = match directive.split_once('=') {
                Some((n, a)) => (n, Some(a.trim().trim_matches('"'))),
                None => (directive, None),
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "max-age" if cc.max_age.is_none() => {
                    cc.max_age = arg.and_then(|a| a.parse::<u64>().ok()).map(|s| s as f64);
                }
                "no-cache" => cc.no_cache = true,
                "no-store" => cc.no_store = true,
                "must-revalidate" => cc.must_revalidate = true,
                "private" => cc.private = true,
                "stale-while-revalidate" => cc.stale_while_revalidate = true,
                "immutable" => cc.immutable = true,
                _ => {}
            }
        }
        cc
    }

    /// Lighthouse `shouldSkipRecord`: a policy that means "do not cache for long".
    pub fn short_on_purpose(&self) -> bool {
        self.no_cache
            || self.no_store
            || self.must_revalidate
            || self.private
            || self.stale_while_revalidate
    }
}

/// Lighthouse `getCacheHitProbability`: the share of repeat visits that fall within a cache
/// lifetime of `seconds`.
pub fn cache_hit_probability(seconds: f64) -> f64 {
    let hours = seconds / 3600.0;
    let d = RESOURCE_AGE_IN_HOURS_DECILES;
    let Some(upper) = d.iter().position(|&h| h >= hours) else {
        return 0.0; // NaN
    };
    if upper == d.len() - 1 {
        return 1.0;
    }
    if upper == 0 {
        return 0.0;
    }
    let (x0, x1) = (d[upper - 1], d[upper]);
    let (y0, y1) = ((upper - 1) as f64 / 10.0, upper as f64 / 10.0);
    // Lighthouse `linearInterpolation`.
    y0 + (hours - x0) * (y1 - y0) / (x1 - x0)
}

/// The cache lifetime of a response in seconds (`max-age`, else `Expires` at the time of the
/// response), `None` without either, and `Some(0)` for an unreadable `Expires`.
pub(crate) fn lifetime(cx: &Context<'_>, r: &Request<'_>, cc: &CacheControl) -> Option<f64> {
    if let Some(age) = cc.max_age {
        return Some(age);
    }
    let expires = r.response?.header("expires")?;
    let Some(at) = http_date_ms(expires) else {
        return Some(0.0);
    };
    let response_end = match r.source {
        Source::Resource(e) => e.response_end,
        Source::Document(n) => n.response_end,
    };
    if cx.log.page.time_origin.is_nan() || cx.log.page.time_origin <= 0.0 {
        return Some(0.0);
    }
    Some(((at - (cx.log.page.time_origin + response_end)) / 1000.0).ceil())
}

/// A static asset from the network with a cacheable status, and its `Cache-Control`.
pub(crate) fn cacheable_asset(r: &Request<'_>) -> Option<CacheControl> {
    let resp = r.response?;
    (STATIC_TYPES.contains(&r.resource_type)
        && CACHEABLE_STATUS_CODES.contains(&status(r))
        && !r.cache_hit
        && !r.url.starts_with("data:")
        && !r.url.starts_with("blob:"))
    .then(|| CacheControl::parse(resp.header("cache-control").unwrap_or_default()))
}

/// The bytes a request cost over the network: `transferSize`, else `Content-Length`.
pub(crate) fn network_bytes(r: &Request<'_>) -> f64 {
    if r.transfer_size > 0.0 {
        return r.transfer_size;
    }
    r.response
        .and_then(|resp| resp.header("content-length"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0.0, finite)
}

/// The finding, if static assets have short lifetimes.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut evidence = Vec::new();
    let mut total = 0.0;
    for r in cx.subresources() {
        let Some(cc) = cacheable_asset(r) else {
            continue;
        };
        if cc.short_on_purpose() || super::cache_headers::fingerprinted(r.url) {
            continue;
        }
        let ttl = lifetime(cx, r, &cc);
        if ttl.is_some_and(|t| t.is_nan() || t <= 0.0) {
            continue;
        }
        let ttl = ttl.unwrap_or(0.0);
        let p = cache_hit_probability(ttl);
        if p > IGNORE_THRESHOLD_IN_PERCENT {
            continue;
        }
        let bytes = network_bytes(r);
        let wasted = (1.0 - p) * bytes;
        total += wasted;
        evidence.push(
            Evidence::new("short cache lifetime")
                .url(r.url)
                .bytes(bytes)
                .ms(ttl * 1000.0)
                .detail(format!(
                    "cache lifetime {ttl:.0} s; {:.0} % of repeat visits would hit",
                    p * 100.0
                )),
        );
    }
    if evidence.is_empty() {
        return Vec::new();
    }
    let n = evidence.len();
    vec![Finding::new(
        ID,
        format!("{n} static asset{} with a short cache lifetime", plural(n)),
        evidence,
        Saving {
            ms: None,
            bytes: Some(total),
            method: "bytes on a repeat visit: (1 - cache-hit probability) x transfer size, with \
                     Lighthouse's probability curve over the lifetime"
                .into(),
        },
        &FIX,
    )]
}

/// Milliseconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110
/// section 5.6.7); `None` for anything else.
pub fn http_date_ms(s: &str) -> Option<f64> {
    let mut parts = s.split_ascii_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: i64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT"
        || parts.next().is_some()
        || !(1..=31).contains(&day)
        || !(0..=23).contains(&h)
        || !(0..=59).contains(&m)
        || !(0..=60).contains(&sec)
        || !(1..=9999).contains(&year)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + sec) * 1000) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{findings, resource, response};
    use crate::testing::NAV;

    #[test]
    fn the_probability_curve_matches_lighthouse() {
        assert_eq!(cache_hit_probability(0.0), 0.0);
        assert_eq!(cache_hit_probability(3600.0), 0.2);
        assert!((cache_hit_probability(12.0 * 3600.0) - 0.5).abs() < 1e-12);
        assert!((cache_hit_probability(96.0 * 3600.0) - 0.8 - 0.1 * 24.0 / 96.0).abs() < 1e-12);
        assert_eq!(cache_hit_probability(1e12), 1.0);
        assert_eq!(cache_hit_probability(f64::NAN), 0.0);
    }

    #[test]
    fn http_dates_and_cache_control() {
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(
            http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000.0)
        );
        assert_eq!(http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(http_date_ms("0"), None);
        let cc = CacheControl::parse("public, Max-Age=\"600\", max-age=9, immutable");
        assert_eq!(cc.max_age, Some(600.0));
        assert!(cc.immutable && !cc.short_on_purpose());
        assert!(CacheControl::parse("no-store").short_on_purpose());
    }

    #[test]
    fn short_lifetimes_are_flagged_and_long_or_deliberate_ones_are_not() {
        let img = "http://x/hero.png";
        // (headers, flagged wasted bytes)
        let cases: [(&str, Option<f64>); 6] = [
            (r#""cache-control":"max-age=3600""#, Some(8000.0)),
            ("", Some(10_000.0)),
            (r#""cache-control":"max-age=31536000""#, None),
            (r#""cache-control":"no-cache""#, None),
            (r#""cache-control":"max-age=0""#, None),
            (r#""expires":"not a date""#, None),
        ];
        for (headers, expected) in cases {
            let records = [
                NAV.into(),
                resource(img, "img", (10_000.0, 9700.0, 9700.0), ""),
                response(img, "image", headers),
            ]
            .join(",");
            let f = findings(&records, ID);
            let got = f.first().and_then(|f| f.saving.bytes);
            assert!(
                got.zip(expected)
                    .map_or(got == expected, |(a, b)| (a - b).abs() < 1e-6),
                "{headers}: {got:?}"
            );
        }
    }
}
