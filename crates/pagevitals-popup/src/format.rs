//! Numbers to text, and ratings to the classes and colours the popup paints them in.

use pagevitals_core::metric::MetricName;
use pagevitals_core::rating::Rating;

/// Milliseconds: `850 ms` below a second, `2.35 s` from there on.
pub fn ms(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    if value.abs() < 1000.0 {
        format!("{} ms", value.round())
    } else {
        format!("{:.2} s", value / 1000.0)
    }
}

/// A metric's value as the popup shows it: CLS unitless with three decimals, the rest as
/// [`ms`].
pub fn metric_value(name: MetricName, value: f64) -> String {
    match name {
        MetricName::CLS => format!("{value:.3}"),
        _ => ms(value),
    }
}

/// Bytes in binary units: `512 B`, `37.5 KB`, `2.41 MB`.
pub fn bytes(value: f64) -> String {
    const KIB: f64 = 1024.0;
    if !value.is_finite() {
        "–".to_owned()
    } else if value < KIB {
        format!("{} B", value.round())
    } else if value < KIB * KIB {
        format!("{:.1} KB", value / KIB)
    } else {
        format!("{:.2} MB", value / (KIB * KIB))
    }
}

/// A cache lifetime given in ms, in the largest whole unit that fits: `45 s`, `10 min`,
/// `1 h`, `30 d`, `1 y`.
pub fn lifetime(ms: f64) -> String {
    const UNITS: [(f64, &str); 5] = [
        (365.0 * 86_400.0, "y"),
        (86_400.0, "d"),
        (3_600.0, "h"),
        (60.0, "min"),
        (1.0, "s"),
    ];
    let seconds = ms / 1000.0;
    if !seconds.is_finite() || seconds <= 0.0 {
        return "none".to_owned();
    }
    for (size, unit) in UNITS {
        if seconds >= size {
            let n = seconds / size;
            return if n.fract() == 0.0 || n >= 10.0 {
                format!("{} {unit}", n.round())
            } else {
                format!("{n:.1} {unit}")
            };
        }
    }
    format!("{seconds:.1} s")
}

/// A share as a whole percentage; 0 when the whole is 0.
pub fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 && part.is_finite() {
        (part / whole * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// The CSS class of a rating (the report's own spelling).
pub fn rating_class(rating: Rating) -> &'static str {
    match rating {
        Rating::Good => "good",
        Rating::NeedsImprovement => "needs-improvement",
        Rating::Poor => "poor",
    }
}

/// A rating in words.
pub fn rating_label(rating: Rating) -> &'static str {
    match rating {
        Rating::Good => "Good",
        Rating::NeedsImprovement => "Needs improvement",
        Rating::Poor => "Poor",
    }
}

/// The colour of a rating as text on white: the badge's green, orange and red
/// (`extension/badge.js`) darkened until they reach WCAG AA's 4.5:1 contrast.
pub fn rating_colour(rating: Rating) -> &'static str {
    match rating {
        Rating::Good => "#0a7d3b",
        Rating::NeedsImprovement => "#a15c00",
        Rating::Poor => "#b3261e",
    }
}

/// The last path segment of a URL (with its query), for table cells; the whole URL when it
/// has no path.
pub fn short_url(url: &str) -> String {
    let without_fragment = url.split('#').next().unwrap_or(url);
    let after_scheme = without_fragment
        .split_once("://")
        .map_or(without_fragment, |(_, rest)| rest);
    match after_scheme.split_once('/') {
        Some((host, path)) => match path.rsplit('/').find(|s| !s.is_empty()) {
            Some(last) => last.to_owned(),
            None => host.to_owned(),
        },
        None => after_scheme.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_switch_to_seconds_at_one_second() {
        assert_eq!(ms(0.0), "0 ms");
        assert_eq!(ms(849.6), "850 ms");
        assert_eq!(ms(999.4), "999 ms");
        assert_eq!(ms(1000.0), "1.00 s");
        assert_eq!(ms(2345.0), "2.35 s");
        assert_eq!(ms(f64::NAN), "–");
        assert_eq!(metric_value(MetricName::CLS, 0.04213), "0.042");
        assert_eq!(metric_value(MetricName::LCP, 120.2), "120 ms");
    }

    #[test]
    fn bytes_and_lifetimes_read_naturally() {
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(37_339.0), "36.5 KB");
        assert_eq!(bytes(2.5 * 1024.0 * 1024.0), "2.50 MB");
        assert_eq!(lifetime(3_600_000.0), "1 h");
        assert_eq!(lifetime(5_400_000.0), "1.5 h");
        assert_eq!(lifetime(31_536_000_000.0), "1 y");
        assert_eq!(lifetime(0.0), "none");
        assert_eq!(lifetime(45_000.0), "45 s");
    }

    #[test]
    fn ratings_have_one_class_label_and_colour_each() {
        for (rating, class) in [
            (Rating::Good, "good"),
            (Rating::NeedsImprovement, "needs-improvement"),
            (Rating::Poor, "poor"),
        ] {
            assert_eq!(rating_class(rating), class);
            // The class is the report's own spelling of the rating.
            assert_eq!(
                serde_json::to_value(rating).unwrap(),
                serde_json::json!(class)
            );
            assert!(rating_colour(rating).starts_with('#'));
        }
        assert_eq!(rating_label(Rating::NeedsImprovement), "Needs improvement");
    }

    #[test]
    fn urls_shorten_to_their_last_segment() {
        assert_eq!(short_url("https://x.dev/a/b/app.js?v=2"), "app.js?v=2");
        assert_eq!(short_url("https://x.dev/a/dir/"), "dir");
        assert_eq!(short_url("https://x.dev/"), "x.dev");
        assert_eq!(short_url("https://x.dev"), "x.dev");
        assert_eq!(percent(1.0, 4.0), 25.0);
        assert_eq!(percent(1.0, 0.0), 0.0);
    }
}
