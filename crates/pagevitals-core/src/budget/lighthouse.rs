//! Lighthouse's `budget.json`, read as Lighthouse 11 read it (`core/config/budget.js`,
//! <https://github.com/GoogleChrome/lighthouse/blob/v11.7.1/core/config/budget.js>, and
//! `docs/performance-budgets.md`; Lighthouse 12 dropped budgets):
//!
//! - the file is an array of budgets; a budget's keys are [`BUDGET_KEYS`] and any other key
//!   is an error;
//! - `path` starts with `/`, has at most one `*` and a `$` only at its end ([`path_matches`]
//!   gives the matching); when several budgets match a page, the last one wins; no path
//!   matches every page;
//! - `options.firstPartyHostnames`: hostnames, a wildcard only as a leading `*.`;
//! - `resourceSizes` / `resourceCounts`: `{resourceType, budget}` with the types of
//!   [`RESOURCE_TYPES`], each type at most once; sizes are KB of transfer size (1 KB = 1024
//!   bytes, as Lighthouse multiplies by 1024), counts are requests;
//! - `timings`: `{metric, budget}` with the metrics of [`LIGHTHOUSE_TIMINGS`], each at most
//!   once; ms, CLS unitless.
//!
//! Every item of a Lighthouse budget is at level `error`: Lighthouse reports an item over
//! budget as over budget, with no lesser level. The extended format ([`super::extended`])
//! reuses [`read_budget`] with its own additions.

use jsonc_parser::ast::Value;

use super::parse::{BudgetError, Ctx, child, describe, range};
use super::{
    Aggregate, Budget, BudgetFile, BudgetResourceType, Check, Format, Item, Level, Timing,
};
use crate::resources::ResourceType;

/// The keys of a Lighthouse budget.
pub const BUDGET_KEYS: &[&str] = &[
    "path",
    "options",
    "resourceSizes",
    "resourceCounts",
    "timings",
];

/// The keys of `options`.
pub const OPTION_KEYS: &[&str] = &["firstPartyHostnames"];

/// Lighthouse's budget resource types, in its documentation's order.
pub const RESOURCE_TYPES: &[&str] = &[
    "total",
    "document",
    "script",
    "stylesheet",
    "image",
    "media",
    "font",
    "other",
    "third-party",
];

/// Lighthouse's budget timing metrics (`budget.js` `validateTimingMetric`).
pub const LIGHTHOUSE_TIMINGS: &[&str] = &[
    "first-contentful-paint",
    "interactive",
    "first-meaningful-paint",
    "max-potential-fid",
    "total-blocking-time",
    "speed-index",
    "largest-contentful-paint",
    "cumulative-layout-shift",
];

/// Names people write for the timing metrics, and the metric each means.
pub const TIMING_ALIASES: &[(&str, &str)] = &[
    ("fcp", "first-contentful-paint"),
    ("lcp", "largest-contentful-paint"),
    ("cls", "cumulative-layout-shift"),
    ("tbt", "total-blocking-time"),
    ("si", "speed-index"),
    ("tti", "interactive"),
    ("time-to-interactive", "interactive"),
    ("fmp", "first-meaningful-paint"),
    ("fid", "max-potential-fid"),
    ("mpfid", "max-potential-fid"),
    ("inp", "interaction-to-next-paint"),
    ("ttfb", "time-to-first-byte"),
];

/// Names people write for the resource types.
pub const RESOURCE_TYPE_ALIASES: &[(&str, &str)] = &[
    ("js", "script"),
    ("javascript", "script"),
    ("scripts", "script"),
    ("css", "stylesheet"),
    ("styles", "stylesheet"),
    ("img", "image"),
    ("images", "image"),
    ("fonts", "font"),
    ("html", "document"),
    ("3p", "third-party"),
    ("third-parties", "third-party"),
    ("thirdparty", "third-party"),
];

/// Reads a Lighthouse `budget.json` (a JSON array).
pub(crate) fn read(ctx: &Ctx<'_>, root: &Value<'_>) -> Result<BudgetFile, BudgetError> {
    let budgets = ctx.array(root, "")?;
    let budgets = budgets
        .elements
        .iter()
        .enumerate()
        .map(|(i, b)| read_budget(ctx, b, &format!("/{i}"), None))
        .collect::<Result<_, _>>()?;
    Ok(BudgetFile {
        file: ctx.file.to_owned(),
        format: Format::Lighthouse,
        // One run is its own median; Lighthouse CI's default aggregation is the median.
        aggregate: Aggregate::Median,
        budgets,
    })
}

/// What the extended format adds to a budget: its extra keys, and a reader for them.
pub(crate) struct Extension<'e> {
    /// Keys beyond [`BUDGET_KEYS`].
    pub keys: &'e [&'e str],
    /// Reads the extra keys of one budget into items.
    #[allow(clippy::type_complexity)]
    pub read: &'e dyn Fn(&Ctx<'_>, &super::parse::Fields<'_, '_>) -> Result<Vec<Item>, BudgetError>,
}

/// Reads one budget at `pointer`; with `extension`, the extended format's budget (items may
/// carry a `level`, and timings include INP and TTFB).
pub(crate) fn read_budget(
    ctx: &Ctx<'_>,
    value: &Value<'_>,
    pointer: &str,
    extension: Option<&Extension<'_>>,
) -> Result<Budget, BudgetError> {
    let keys: Vec<&str> = BUDGET_KEYS
        .iter()
        .chain(extension.map_or(&[][..], |e| e.keys))
        .copied()
        .collect();
    let fields = ctx.object(value, pointer, &keys, &[])?;
    let path = match fields.get("path") {
        Some((v, p)) => Some(read_path(ctx, v, &p)?),
        None => None,
    };
    let first_party_hostnames = match fields.get("options") {
        Some((v, p)) => {
            let options = ctx.object(v, &p, OPTION_KEYS, &[])?;
            match options.get("firstPartyHostnames") {
                Some((v, p)) => Some(read_hostnames(ctx, v, &p)?),
                None => None,
            }
        }
        None => None,
    };
    let extended = extension.is_some();
    let mut items = Vec::new();
    for (key, size) in [("resourceSizes", true), ("resourceCounts", false)] {
        if let Some((v, p)) = fields.get(key) {
            read_list(
                ctx,
                v,
                &p,
                "resourceType",
                extended,
                &mut items,
                |ctx, v, p| {
                    let name = ctx.one_of(v, p, RESOURCE_TYPES, RESOURCE_TYPE_ALIASES)?;
                    let t = resource_type(name);
                    Ok(if size {
                        Check::ResourceSize(t)
                    } else {
                        Check::ResourceCount(t)
                    })
                },
            )?;
        }
    }
    if let Some((v, p)) = fields.get("timings") {
        read_list(ctx, v, &p, "metric", extended, &mut items, |ctx, v, p| {
            Ok(Check::Timing(read_timing(ctx, v, p, extended)?))
        })?;
    }
    if let Some(extension) = extension {
        items.extend((extension.read)(ctx, &fields)?);
    }
    Ok(Budget {
        pointer: pointer.to_owned(),
        path,
        first_party_hostnames,
        items,
    })
}

/// A list of `{<name_key>, budget[, level]}` items; the same name twice is an error.
fn read_list(
    ctx: &Ctx<'_>,
    value: &Value<'_>,
    pointer: &str,
    name_key: &str,
    extended: bool,
    items: &mut Vec<Item>,
    check: impl Fn(&Ctx<'_>, &Value<'_>, &str) -> Result<Check, BudgetError>,
) -> Result<(), BudgetError> {
    let list = ctx.array(value, pointer)?;
    let keys: &[&str] = if extended {
        &[name_key, "budget", "level"]
    } else {
        &[name_key, "budget"]
    };
    let mut seen: Vec<Check> = Vec::new();
    for (i, entry) in list.elements.iter().enumerate() {
        let p = child(pointer, &i.to_string());
        let fields = ctx.object(entry, &p, keys, &[])?;
        let (name, name_pointer) = fields.required(ctx, name_key)?;
        let c = check(ctx, name, &name_pointer)?;
        if seen.contains(&c) {
            return Err(ctx.error(
                range(name).start,
                &name_pointer,
                &format!("each {name_key} once in {pointer}"),
                &format!("it again: {}", describe(name)),
                None,
            ));
        }
        seen.push(c.clone());
        let (budget, budget_pointer) = fields.required(ctx, "budget")?;
        let limit = ctx.non_negative(budget, &budget_pointer)?;
        items.push(Item {
            pointer: p.clone(),
            level: read_level(ctx, &fields)?,
            limit,
            check: c,
        });
    }
    Ok(())
}

/// The item's `level`, `error` when absent.
pub(crate) fn read_level(
    ctx: &Ctx<'_>,
    fields: &super::parse::Fields<'_, '_>,
) -> Result<Level, BudgetError> {
    Ok(match fields.get("level") {
        Some((v, p)) => match ctx.one_of(v, &p, &["warn", "error"], &[("warning", "warn")])? {
            "warn" => Level::Warn,
            _ => Level::Error,
        },
        None => Level::Error,
    })
}

/// A timing metric name; INP and TTFB only in the extended format.
pub(crate) fn read_timing(
    ctx: &Ctx<'_>,
    value: &Value<'_>,
    pointer: &str,
    extended: bool,
) -> Result<Timing, BudgetError> {
    const EXTENDED: &[&str] = &["interaction-to-next-paint", "time-to-first-byte"];
    let all: Vec<&str> = LIGHTHOUSE_TIMINGS.iter().chain(EXTENDED).copied().collect();
    let names: &[&str] = if extended { &all } else { LIGHTHOUSE_TIMINGS };
    match ctx.one_of(value, pointer, names, TIMING_ALIASES) {
        Ok(name) => Ok(timing(name)),
        Err(mut e) => {
            if let Value::StringLit(s) = value
                && EXTENDED.contains(&&*s.value)
            {
                e.expected = format!(
                    "{} (\"{}\" needs the PageVitals budget format, not Lighthouse's)",
                    e.expected, s.value
                );
            }
            Err(e)
        }
    }
}

/// The timing a valid name stands for.
fn timing(name: &str) -> Timing {
    match name {
        "first-contentful-paint" => Timing::FirstContentfulPaint,
        "largest-contentful-paint" => Timing::LargestContentfulPaint,
        "cumulative-layout-shift" => Timing::CumulativeLayoutShift,
        "total-blocking-time" => Timing::TotalBlockingTime,
        "max-potential-fid" => Timing::MaxPotentialFid,
        "interactive" => Timing::Interactive,
        "first-meaningful-paint" => Timing::FirstMeaningfulPaint,
        "speed-index" => Timing::SpeedIndex,
        "interaction-to-next-paint" => Timing::InteractionToNextPaint,
        _ => Timing::TimeToFirstByte,
    }
}

/// The resource type a valid name stands for.
fn resource_type(name: &str) -> BudgetResourceType {
    match name {
        "total" => BudgetResourceType::Total,
        "third-party" => BudgetResourceType::ThirdParty,
        "document" => BudgetResourceType::Type(ResourceType::Document),
        "script" => BudgetResourceType::Type(ResourceType::Script),
        "stylesheet" => BudgetResourceType::Type(ResourceType::Stylesheet),
        "image" => BudgetResourceType::Type(ResourceType::Image),
        "media" => BudgetResourceType::Type(ResourceType::Media),
        "font" => BudgetResourceType::Type(ResourceType::Font),
        _ => BudgetResourceType::Type(ResourceType::Other),
    }
}

/// A `path` pattern, validated as `budget.js` `validatePath` does.
fn read_path(ctx: &Ctx<'_>, value: &Value<'_>, pointer: &str) -> Result<String, BudgetError> {
    let path = ctx.string(value, pointer)?;
    let dollar = path.find('$');
    let valid = path.starts_with('/')
        && path.matches('*').count() <= 1
        && dollar.is_none_or(|i| i == path.len() - 1);
    if valid {
        Ok(path.to_owned())
    } else {
        Err(ctx.error(
            range(value).start,
            pointer,
            "a path that starts with \"/\", has at most one \"*\" and \"$\" only at its end",
            &format!("\"{path}\""),
            None,
        ))
    }
}

/// `firstPartyHostnames`: hostnames, a wildcard only as a leading `*.`.
fn read_hostnames(
    ctx: &Ctx<'_>,
    value: &Value<'_>,
    pointer: &str,
) -> Result<Vec<String>, BudgetError> {
    let list = ctx.array(value, pointer)?;
    list.elements
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let p = child(pointer, &i.to_string());
            let host = ctx.string(v, &p)?;
            let bare = host.strip_prefix("*.").unwrap_or(host);
            let valid = !bare.is_empty()
                && bare
                    .split('.')
                    .all(|label| !label.is_empty() && label.chars().all(is_host_char));
            if valid {
                Ok(host.to_ascii_lowercase())
            } else {
                Err(ctx.error(
                    range(v).start,
                    &p,
                    "a hostname such as \"cdn.example.com\" or \"*.example.com\" \
                     (no scheme, port or path; a wildcard only as a leading \"*.\")",
                    &format!("\"{host}\""),
                    None,
                ))
            }
        })
        .collect()
}

fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Whether a Lighthouse path pattern matches a page URL, as `budget.js`
/// `urlMatchesPattern` decides, against the URL's pathname plus query:
/// - no `*`, no `$`: the path starts with the pattern;
/// - `$` only: the path equals the pattern without `$`;
/// - `*` only: the path starts with the part before `*`, and the rest contains the part
///   after it;
/// - `*` and `$`: the path starts with the part before `*`, and the rest ends with the part
///   after it.
pub fn path_matches(pattern: &str, url: &str) -> bool {
    let path = path_and_query(url);
    let (body, anchored) = match pattern.strip_suffix('$') {
        Some(body) => (body, true),
        None => (pattern, false),
    };
    match body.split_once('*') {
        None if anchored => path == body,
        None => path.starts_with(body),
        Some((before, after)) => {
            let Some(rest) = path.strip_prefix(before) else {
                return false;
            };
            if anchored {
                rest.ends_with(after)
            } else {
                rest.contains(after)
            }
        }
    }
}

/// The pathname plus query of a URL (`/a/b?x=1`), without the fragment; `/` when the URL has
/// no path. Browser URLs are already serialised by the URL Standard, so splitting suffices.
pub fn path_and_query(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or_default();
    let Some((_, rest)) = url.split_once("://") else {
        return url;
    };
    match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => &rest[i..],
        // `http://x?q`: the URL Standard's path is `/`, but the query is kept.
        Some(i) => &rest[i..],
        None => "/",
    }
}

/// Whether `host` is first party by `firstPartyHostnames`: equal to an entry, or for
/// `*.example.com` equal to `example.com` or a subdomain of it.
pub fn is_first_party_host(host: &str, hostnames: &[String]) -> bool {
    let host = host.to_ascii_lowercase();
    hostnames.iter().any(|h| match h.strip_prefix("*.") {
        Some(domain) => {
            host == domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|sub| sub.ends_with('.'))
        }
        None => host == *h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_matching_follows_lighthouse() {
        let url = "https://x.com/shop/item?id=3#top";
        assert_eq!(path_and_query(url), "/shop/item?id=3");
        assert_eq!(path_and_query("https://x.com"), "/");
        for (pattern, expected) in [
            ("/", true),
            ("/shop", true),
            ("/cart", false),
            ("/shop/item?id=3$", true),
            ("/shop/item$", false),
            ("/*/item", true),
            ("/*?id=3$", true),
            ("/*id=4$", false),
            ("/shop*cart", false),
        ] {
            assert_eq!(path_matches(pattern, url), expected, "{pattern}");
        }
    }

    #[test]
    fn wildcard_hostnames_match_the_domain_and_its_subdomains() {
        let hosts = vec!["*.example.com".to_owned(), "cdn.other.net".to_owned()];
        assert!(is_first_party_host("example.com", &hosts));
        assert!(is_first_party_host("a.b.example.com", &hosts));
        assert!(!is_first_party_host("badexample.com", &hosts));
        assert!(is_first_party_host("cdn.other.net", &hosts));
        assert!(!is_first_party_host("other.net", &hosts));
    }
}
