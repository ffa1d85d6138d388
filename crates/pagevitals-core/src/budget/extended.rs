//! PageVitals' extended budget format, version [`VERSION`]: a JSON object
//!
//! ```json
//! { "$schema": "…/budget.schema.json", "version": 1, "aggregate": "p75",
//!   "budgets": [ { …a Lighthouse budget…, "files": […], "serverTiming": […],
//!                  "longAnimationFrames": […], "ratings": […], "scores": […] } ] }
//! ```
//!
//! Each budget is a Lighthouse budget ([`super::lighthouse`]: same keys, path rules and
//! last-match-wins) whose items may carry `"level": "warn" | "error"` (default `error`, as
//! Lighthouse CI assertion levels) and whose `timings` also take
//! `interaction-to-next-paint` and `time-to-first-byte`, plus:
//! - `files`: `{url, budget, compression?, level?}`: every request whose URL matches the glob
//!   ([`glob_options`]) is at most `budget` KiB of `compression` (`transfer` default,
//!   `gzip`, `brotli`; see [`super::evaluate`] for what is compared);
//! - `serverTiming`: `{name, budget, level?}`: no Server-Timing metric of that name lasts
//!   more than `budget` ms on any request;
//! - `longAnimationFrames`: `{measure, budget, level?}` with `count`, `total-duration` or
//!   `total-blocking-duration` (ms);
//! - `ratings`: `{metric, atLeast, level?}`: the metric (or each of `core-web-vitals`: LCP,
//!   INP, CLS) is rated at least `good` or `needs-improvement` by web-vitals' thresholds;
//! - `scores`: `{formFactor, minScore, level?}`: the estimated Lighthouse performance score
//!   ([`crate::score`]) for `mobile` or `desktop` is at least `minScore` (0-1);
//! - `regressions`: `{metric, maxIncrease | maxIncreasePercent, level?}`: against a baseline's
//!   runs (`--baseline`), the metric's median must not grow by more than `maxIncrease` (ms,
//!   KiB for `transfer-size`, unitless for CLS) or `maxIncreasePercent` of the baseline's
//!   median, counting only a change the Mann-Whitney test finds significant; without a
//!   baseline the item is not measurable.
//!
//! `aggregate` (`median` default, or `p75`) says how several runs are combined. The JSON
//! Schema `schemas/budget.schema.json` describes the same keys; a test holds them equal.

use jsonc_parser::ast::Value;

use super::lighthouse::{Extension, TIMING_ALIASES, read_budget, read_level};
use super::parse::{BudgetError, Ctx, Fields, child, range};
use super::{
    Aggregate, BudgetFile, Check, Compression, Format, Item, LoafMeasure, RegressionMetric,
};
use crate::metric::MetricName;
use crate::rating::Rating;
use crate::score::FormFactor;

/// The extended format's version.
pub const VERSION: u32 = 1;

/// The keys of the top-level object.
pub const TOP_LEVEL_KEYS: &[&str] = &["$schema", "version", "aggregate", "budgets"];

/// The keys an extended budget adds to [`lighthouse::BUDGET_KEYS`].
pub const EXTRA_BUDGET_KEYS: &[&str] = &[
    "files",
    "serverTiming",
    "longAnimationFrames",
    "ratings",
    "scores",
    "regressions",
];

/// Metrics a rating budget names: the Core Web Vitals together, or one web-vitals metric by
/// its Lighthouse-style id.
pub const RATING_METRICS: &[&str] = &[
    "core-web-vitals",
    "largest-contentful-paint",
    "interaction-to-next-paint",
    "cumulative-layout-shift",
    "first-contentful-paint",
    "time-to-first-byte",
];

/// How per-file URL globs match (glob crate): `*` and `?` stay within one `/`-separated
/// segment, `**` spans segments, `[...]` is a character class; case-sensitive, and a leading
/// `.` needs no literal match.
pub fn glob_options() -> glob::MatchOptions {
    glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    }
}

/// Reads an extended budget file (a JSON object).
pub(crate) fn read(ctx: &Ctx<'_>, root: &Value<'_>) -> Result<BudgetFile, BudgetError> {
    let fields = ctx.object(root, "", TOP_LEVEL_KEYS, &[])?;
    let (version, p) = fields.required(ctx, "version")?;
    let found = ctx.non_negative(version, &p);
    if found != Ok(f64::from(VERSION)) {
        return Err(ctx.error(
            range(version).start,
            &p,
            &format!("version {VERSION}"),
            &super::parse::describe(version),
            None,
        ));
    }
    if let Some((v, p)) = fields.get("$schema") {
        ctx.string(v, &p)?;
    }
    let aggregate = match fields.get("aggregate") {
        Some((v, p)) => match ctx.one_of(v, &p, &["median", "p75"], &[("75", "p75")])? {
            "p75" => Aggregate::P75,
            _ => Aggregate::Median,
        },
        None => Aggregate::Median,
    };
    let (budgets, p) = fields.required(ctx, "budgets")?;
    let list = ctx.array(budgets, &p)?;
    let extension = Extension {
        keys: EXTRA_BUDGET_KEYS,
        read: &read_extra,
    };
    let budgets = list
        .elements
        .iter()
        .enumerate()
        .map(|(i, b)| read_budget(ctx, b, &child(&p, &i.to_string()), Some(&extension)))
        .collect::<Result<_, _>>()?;
    Ok(BudgetFile {
        file: ctx.file.to_owned(),
        format: Format::Extended,
        aggregate,
        budgets,
    })
}

/// The items of a budget's extra keys.
fn read_extra(ctx: &Ctx<'_>, budget: &Fields<'_, '_>) -> Result<Vec<Item>, BudgetError> {
    let mut items = Vec::new();
    each(
        ctx,
        budget,
        "files",
        &["url", "budget", "compression", "level"],
        |f, p| {
            let (url, url_pointer) = f.required(ctx, "url")?;
            let pattern = ctx.string(url, &url_pointer)?;
            if let Err(e) = glob::Pattern::new(pattern) {
                return Err(ctx.error(
                    range(url).start,
                    &url_pointer,
                    "a URL glob (`*` within a path segment, `**` across segments)",
                    &format!("\"{pattern}\", which {}", e.msg),
                    None,
                ));
            }
            let compression = match f.get("compression") {
                Some((v, p)) => {
                    let names = ["transfer", "gzip", "brotli"];
                    match ctx.one_of(v, &p, &names, &[("br", "brotli"), ("none", "transfer")])? {
                        "gzip" => Compression::Gzip,
                        "brotli" => Compression::Brotli,
                        _ => Compression::Transfer,
                    }
                }
                None => Compression::Transfer,
            };
            items.push(item(
                ctx,
                f,
                p,
                "budget",
                Check::File {
                    url: pattern.to_owned(),
                    compression,
                },
            )?);
            Ok(())
        },
    )?;
    each(
        ctx,
        budget,
        "serverTiming",
        &["name", "budget", "level"],
        |f, p| {
            let (name, name_pointer) = f.required(ctx, "name")?;
            let name = ctx.string(name, &name_pointer)?;
            items.push(item(
                ctx,
                f,
                p,
                "budget",
                Check::ServerTiming(name.to_owned()),
            )?);
            Ok(())
        },
    )?;
    each(
        ctx,
        budget,
        "longAnimationFrames",
        &["measure", "budget", "level"],
        |f, p| {
            let (v, mp) = f.required(ctx, "measure")?;
            let names = ["count", "total-duration", "total-blocking-duration"];
            let measure =
                match ctx.one_of(v, &mp, &names, &[("blocking", "total-blocking-duration")])? {
                    "count" => LoafMeasure::Count,
                    "total-duration" => LoafMeasure::TotalDuration,
                    _ => LoafMeasure::TotalBlockingDuration,
                };
            items.push(item(
                ctx,
                f,
                p,
                "budget",
                Check::LongAnimationFrames(measure),
            )?);
            Ok(())
        },
    )?;
    each(
        ctx,
        budget,
        "ratings",
        &["metric", "atLeast", "level"],
        |f, p| {
            let (v, mp) = f.required(ctx, "metric")?;
            let aliases: Vec<(&str, &str)> = TIMING_ALIASES
                .iter()
                .copied()
                .chain([("cwv", "core-web-vitals")])
                .collect();
            let metrics: &[MetricName] = match ctx.one_of(v, &mp, RATING_METRICS, &aliases)? {
                "core-web-vitals" => &[MetricName::LCP, MetricName::INP, MetricName::CLS],
                "largest-contentful-paint" => &[MetricName::LCP],
                "interaction-to-next-paint" => &[MetricName::INP],
                "cumulative-layout-shift" => &[MetricName::CLS],
                "first-contentful-paint" => &[MetricName::FCP],
                _ => &[MetricName::TTFB],
            };
            let (v, rp) = f.required(ctx, "atLeast")?;
            let at_least = match ctx.one_of(v, &rp, &["good", "needs-improvement"], &[])? {
                "good" => Rating::Good,
                _ => Rating::NeedsImprovement,
            };
            let level = read_level(ctx, f)?;
            for &metric in metrics {
                items.push(Item {
                    pointer: p.to_owned(),
                    level,
                    limit: super::evaluate::rating_limit(metric, at_least),
                    check: Check::Rating { metric, at_least },
                });
            }
            Ok(())
        },
    )?;
    each(
        ctx,
        budget,
        "scores",
        &["formFactor", "minScore", "level"],
        |f, p| {
            let (v, fp) = f.required(ctx, "formFactor")?;
            let form_factor = match ctx.one_of(v, &fp, &["mobile", "desktop"], &[])? {
                "desktop" => FormFactor::Desktop,
                _ => FormFactor::Mobile,
            };
            let (v, sp) = f.required(ctx, "minScore")?;
            if ctx.non_negative(v, &sp).is_ok_and(|s| s > 1.0) {
                return Err(ctx.wrong(v, &sp, "a score from 0 to 1"));
            }
            items.push(item(ctx, f, p, "minScore", Check::Score(form_factor))?);
            Ok(())
        },
    )?;
    each(
        ctx,
        budget,
        "regressions",
        &["metric", "maxIncrease", "maxIncreasePercent", "level"],
        |f, p| {
            let (v, mp) = f.required(ctx, "metric")?;
            let aliases: Vec<(&str, &str)> = TIMING_ALIASES
                .iter()
                .copied()
                .chain([
                    ("tbt", "total-blocking-time"),
                    ("bytes", "transfer-size"),
                    ("total-byte-weight", "transfer-size"),
                ])
                .collect();
            let name = ctx.one_of(v, &mp, RegressionMetric::IDS, &aliases)?;
            let metric = match RegressionMetric::IDS.iter().position(|id| *id == name) {
                Some(0) => RegressionMetric::LargestContentfulPaint,
                Some(1) => RegressionMetric::InteractionToNextPaint,
                Some(2) => RegressionMetric::CumulativeLayoutShift,
                Some(3) => RegressionMetric::FirstContentfulPaint,
                Some(4) => RegressionMetric::TimeToFirstByte,
                Some(5) => RegressionMetric::TotalBlockingTime,
                _ => RegressionMetric::TransferSize,
            };
            let relative = match (f.get("maxIncrease"), f.get("maxIncreasePercent")) {
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (Some(_), Some((v, p))) => {
                    return Err(ctx.wrong(
                        v,
                        &p,
                        "one of maxIncrease (in the metric's unit) or maxIncreasePercent, not both",
                    ));
                }
                (None, None) => {
                    return Err(ctx.error(
                        range(v).start,
                        p,
                        "maxIncrease (in the metric's unit: ms, KiB for transfer-size, unitless for CLS) or maxIncreasePercent (of the baseline's median)",
                        "neither",
                        None,
                    ));
                }
            };
            let key = if relative {
                "maxIncreasePercent"
            } else {
                "maxIncrease"
            };
            items.push(item(
                ctx,
                f,
                p,
                key,
                Check::Regression { metric, relative },
            )?);
            Ok(())
        },
    )?;
    Ok(items)
}

/// Calls `read` with each object of the list under `key`, its keys checked against `keys`.
fn each(
    ctx: &Ctx<'_>,
    budget: &Fields<'_, '_>,
    key: &str,
    keys: &[&str],
    mut read: impl FnMut(&Fields<'_, '_>, &str) -> Result<(), BudgetError>,
) -> Result<(), BudgetError> {
    let Some((value, pointer)) = budget.get(key) else {
        return Ok(());
    };
    let list = ctx.array(value, &pointer)?;
    for (i, entry) in list.elements.iter().enumerate() {
        let p = child(&pointer, &i.to_string());
        let fields = ctx.object(entry, &p, keys, &[])?;
        read(&fields, &p)?;
    }
    Ok(())
}

/// An item whose limit is the number under `limit_key`.
fn item(
    ctx: &Ctx<'_>,
    fields: &Fields<'_, '_>,
    pointer: &str,
    limit_key: &str,
    check: Check,
) -> Result<Item, BudgetError> {
    let (v, p) = fields.required(ctx, limit_key)?;
    Ok(Item {
        pointer: pointer.to_owned(),
        level: read_level(ctx, fields)?,
        limit: ctx.non_negative(v, &p)?,
        check,
    })
}
