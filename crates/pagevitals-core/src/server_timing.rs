//! The `Server-Timing` response header, parsed as the W3C Server Timing spec defines it
//! (<https://w3c.github.io/server-timing/#the-server-timing-header-field>):
//!
//! ```text
//! Server-Timing             = #server-timing-metric
//! server-timing-metric      = metric-name *( OWS ";" OWS server-timing-param )
//! metric-name               = token
//! server-timing-param       = server-timing-param-name OWS "=" OWS server-timing-param-value
//! server-timing-param-name  = token
//! server-timing-param-value = token / quoted-string
//! ```
//!
//! The resource summary uses it for responses whose entry has an empty `serverTiming` (a
//! cross-origin response without `Timing-Allow-Origin`): the background's `webRequest`
//! listener sees the raw header regardless.
//!
//! Rules, as the spec's processing model and the browsers give them:
//! - Metrics are comma-separated; a comma inside a quoted-string does not separate them.
//!   Every metric is kept, duplicates included, in header order.
//! - Params are `dur` and `desc`, matched ASCII case-insensitively (as Chromium's
//!   `ServerTimingHeader` and Firefox's parser do); unknown params are ignored; a repeated
//!   param keeps its first value.
//! - `dur` is a decimal number in ms; missing or not a finite number means 0 (Chromium
//!   parses the whole value, so `12ms` is not a number). `desc` defaults to `""`.
//! - A quoted-string is unescaped (`\x` is `x`); one left open runs to the end of the metric,
//!   as Fetch's "collect an HTTP quoted string" does. Text after its closing quote, up to the
//!   next `;`, is ignored.
//! - A metric whose name is not a token is malformed and skipped; the others are kept. A
//!   param whose name is not a token is ignored. Nothing here panics.

use crate::log::ServerTiming;

/// The param that carries the duration.
const DUR: &str = "dur";
/// The param that carries the description.
const DESC: &str = "desc";

/// The metrics of a `Server-Timing` header value, in order; malformed metrics are skipped.
pub fn parse(header: &str) -> Vec<ServerTiming> {
    split_outside_quotes(header, ',')
        .into_iter()
        .filter_map(parse_metric)
        .collect()
}

/// One `server-timing-metric`, or `None` when its name is not a token.
fn parse_metric(metric: &str) -> Option<ServerTiming> {
    let mut parts = split_outside_quotes(metric, ';').into_iter();
    let name = parts.next().unwrap_or_default().trim_matches(is_ows);
    if !is_token(name) {
        return None;
    }
    let mut dur: Option<String> = None;
    let mut desc: Option<String> = None;
    for param in parts {
        let (param_name, value) = match param.split_once('=') {
            Some((n, v)) => (n.trim_matches(is_ows), Some(v)),
            None => (param.trim_matches(is_ows), None),
        };
        if !is_token(param_name) {
            continue;
        }
        let slot = if param_name.eq_ignore_ascii_case(DUR) {
            &mut dur
        } else if param_name.eq_ignore_ascii_case(DESC) {
            &mut desc
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = Some(value.map(param_value).unwrap_or_default());
        }
    }
    Some(ServerTiming {
        name: name.to_owned(),
        duration: dur.as_deref().map_or(0.0, parse_duration),
        description: desc.unwrap_or_default(),
    })
}

/// A `server-timing-param-value`: a quoted-string, unescaped, or the trimmed token.
fn param_value(raw: &str) -> String {
    let raw = raw.trim_start_matches(is_ows);
    match raw.strip_prefix('"') {
        Some(quoted) => {
            let mut out = String::new();
            let mut chars = quoted.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    }
                    c => out.push(c),
                }
            }
            out
        }
        None => raw.trim_end_matches(is_ows).to_owned(),
    }
}

/// `dur` in ms: a finite decimal number, else 0.
fn parse_duration(value: &str) -> f64 {
    // `f64::from_str` also takes `inf`, `NaN` and `infinity`; a header number has only
    // digits, a sign, a point and an exponent.
    let numeric = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    match value.parse::<f64>() {
        Ok(d) if numeric && d.is_finite() => d,
        _ => 0.0,
    }
}

/// Splits `text` at `separator` where it is not inside a quoted-string (a `\` inside quotes
/// escapes the next character).
fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_quotes {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_quotes = false;
            }
        } else if c == '"' {
            in_quotes = true;
        } else if c == separator {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Optional whitespace (RFC 9110 `OWS`: space and tab).
fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// An RFC 9110 `token`: one or more `tchar`.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '!' | '#'
                        | '$'
                        | '%'
                        | '&'
                        | '\''
                        | '*'
                        | '+'
                        | '-'
                        | '.'
                        | '^'
                        | '_'
                        | '`'
                        | '|'
                        | '~'
                )
        })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn st(name: &str, duration: f64, description: &str) -> ServerTiming {
        ServerTiming {
            name: name.into(),
            duration,
            description: description.into(),
        }
    }

    #[test]
    fn reads_the_specs_examples() {
        assert_eq!(
            parse("miss, db;dur=53, app;dur=47.2"),
            [st("miss", 0.0, ""), st("db", 53.0, ""), st("app", 47.2, "")]
        );
        assert_eq!(
            parse("customView, dc;desc=atl"),
            [st("customView", 0.0, ""), st("dc", 0.0, "atl")]
        );
        assert_eq!(
            parse(r#"cache;desc="Cache Read";dur=23.2"#),
            [st("cache", 23.2, "Cache Read")]
        );
        assert_eq!(parse("total;dur=123.4"), [st("total", 123.4, "")]);
    }

    #[test]
    fn quoted_strings_hide_commas_and_semicolons_and_unescape() {
        assert_eq!(
            parse(r#"a;desc="x, y; z";dur=1, b;dur=2"#),
            [st("a", 1.0, "x, y; z"), st("b", 2.0, "")]
        );
        assert_eq!(
            parse(r#"a;desc="say \"hi\" \\ \, ok""#),
            [st("a", 0.0, r#"say "hi" \ , ok"#)]
        );
        // An unterminated quoted-string runs to the end of the header.
        assert_eq!(
            parse(r#"a;desc="open, b;dur=2"#),
            [st("a", 0.0, "open, b;dur=2")]
        );
        // Text after the closing quote is ignored.
        assert_eq!(parse(r#"a;desc="q"tail;dur=3"#), [st("a", 3.0, "q")]);
    }

    #[test]
    fn whitespace_around_everything_is_optional() {
        assert_eq!(
            parse(" \ta \t; dur = 5 ;\tdesc = x ,b"),
            [st("a", 5.0, "x"), st("b", 0.0, "")]
        );
    }

    #[test]
    fn duplicates_are_kept_and_a_repeated_param_keeps_its_first_value() {
        assert_eq!(
            parse("db;dur=1, db;dur=2"),
            [st("db", 1.0, ""), st("db", 2.0, "")]
        );
        assert_eq!(parse("a;dur=1;dur=2;desc=x;DESC=y"), [st("a", 1.0, "x")]);
        // Case-insensitive param names; a repeat in another case is still a repeat.
        assert_eq!(parse("a;DUR=7;Dur=9"), [st("a", 7.0, "")]);
    }

    #[test]
    fn missing_or_bad_dur_is_zero_and_unknown_params_are_ignored() {
        for header in [
            "a",
            "a;dur",
            "a;dur=",
            "a;dur=abc",
            "a;dur=12ms",
            "a;dur=NaN",
            "a;dur=inf",
            "a;dur=1e999",
            "a;dur=\"\"",
        ] {
            assert_eq!(parse(header), [st("a", 0.0, "")], "{header}");
        }
        assert_eq!(parse("a;dur=\"12.5\""), [st("a", 12.5, "")]);
        assert_eq!(parse("a;dur=-3;foo=bar;x;desc"), [st("a", -3.0, "")]);
        assert_eq!(parse("a;dur=1e2"), [st("a", 100.0, "")]);
    }

    #[test]
    fn empty_headers_trailing_commas_and_garbage_yield_what_can_be_read() {
        assert!(parse("").is_empty());
        assert!(parse(" , ,, ").is_empty());
        assert_eq!(parse("a;dur=1,"), [st("a", 1.0, "")]);
        assert_eq!(parse(",a,"), [st("a", 0.0, "")]);
        // Names that are not tokens are skipped; the rest survive.
        assert_eq!(
            parse("bad name;dur=1, \"q\";dur=2, ;dur=3, ok;dur=4"),
            [st("ok", 4.0, "")]
        );
        // A param name that is not a token is ignored, not the metric.
        assert_eq!(parse("a;d u r=5;dur=6"), [st("a", 6.0, "")]);
        assert_eq!(parse("ünïcödé;dur=1, b"), [st("b", 0.0, "")]);
    }

    proptest! {
        #[test]
        fn never_panics_and_every_metric_is_a_named_finite_one(header in any::<String>()) {
            for m in parse(&header) {
                prop_assert!(is_token(&m.name));
                prop_assert!(m.duration.is_finite());
            }
        }

        #[test]
        fn never_panics_on_header_like_text(
            header in r#"[a-z;=," \\\t.0-9dueschr]{0,40}"#
        ) {
            let _ = parse(&header);
        }
    }
}
