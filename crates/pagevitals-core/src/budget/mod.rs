//! Performance budgets: what a page may cost, checked against one or more reports.
//!
//! Two file formats are read into one model ([`BudgetFile`]):
//! - Lighthouse's `budget.json` ([`lighthouse`]), as is: an array of budgets with `path`,
//!   `options.firstPartyHostnames`, `resourceSizes`, `resourceCounts` and `timings`;
//! - PageVitals' extended format ([`extended`]), a versioned object whose `budgets` are a
//!   superset of Lighthouse's: more timings (INP, TTFB), per-file budgets by URL glob with a
//!   chosen compression, Server-Timing metrics by name, long-animation-frame limits, rating
//!   and score budgets, a `warn` or `error` level per item, and the aggregation of several
//!   runs (median or p75). Its JSON Schema is `schemas/budget.schema.json`.
//!
//! [`parse_budget`] reads either (an array is Lighthouse's, an object the extended format)
//! and rejects a bad file with a [`BudgetError`] naming file, line:column, JSON pointer,
//! expected and found, and a suggestion. [`evaluate`] checks reports against a budget file and
//! returns a [`BudgetResult`] per item. [`default_budget`] is the Core Web Vitals "good"
//! thresholds, for a user who has no budget.
//!
//! This layer reads the [`Report`](crate::report::Report) and the metric thresholds; nothing
//! below it knows budgets. Scoring lives beside it in [`crate::score`].

// A `BudgetError` (file, position, pointer, expected, found, suggestion) is built at most
// once per file read, on the way out; boxing it would cost every caller a deref for nothing.
#![allow(clippy::result_large_err)]

pub mod aggregate;
pub mod evaluate;
pub mod extended;
pub mod lighthouse;
pub mod parse;

use serde::{Deserialize, Serialize};

use crate::metric::MetricName;
use crate::resources::ResourceType;
use crate::score::FormFactor;

pub use aggregate::Aggregate;
pub use evaluate::{BudgetResult, Evaluation, GroupResult, Status, evaluate, evaluate_against};
pub use parse::BudgetError;

/// Which format a budget file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Lighthouse's `budget.json`.
    Lighthouse,
    /// PageVitals' extended format, version [`extended::VERSION`].
    Extended,
    /// [`default_budget`], built in.
    Default,
}

/// A budget file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetFile {
    /// The file name the caller gave (for messages).
    pub file: String,
    /// Its format.
    pub format: Format,
    /// How several runs are combined.
    pub aggregate: Aggregate,
    /// The budgets, in file order; the last whose path matches a page applies to it.
    pub budgets: Vec<Budget>,
}

/// One budget: the limits for the pages its path matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// JSON pointer of the budget in its file (`/0`, `/budgets/0`).
    pub pointer: String,
    /// Lighthouse path pattern; `None` matches every page.
    pub path: Option<String>,
    /// `options.firstPartyHostnames`: hostnames (`*.` wildcard allowed) that are first
    /// party; `None` means the page's registrable domain, as the report groups parties.
    pub first_party_hostnames: Option<Vec<String>>,
    /// What is limited.
    pub items: Vec<Item>,
}

/// One limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// JSON pointer of the item in its file.
    pub pointer: String,
    /// What happens when the limit is exceeded.
    pub level: Level,
    /// The limit, in [`Check::unit`]s: a maximum, or for [`Check::Score`] a minimum.
    pub limit: f64,
    /// What is measured.
    pub check: Check,
}

/// What a budget item measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Summed transfer size of a resource type, KiB (Lighthouse: 1 KB = 1024 bytes).
    ResourceSize(BudgetResourceType),
    /// Request count of a resource type.
    ResourceCount(BudgetResourceType),
    /// A timing metric, ms (CLS unitless).
    Timing(Timing),
    /// The size of each file whose URL matches a glob, KiB.
    File {
        /// The URL glob as written.
        url: String,
        /// Which size is compared.
        compression: Compression,
    },
    /// The longest duration of a Server-Timing metric of this name on any request, ms.
    ServerTiming(String),
    /// A long-animation-frame summary value.
    LongAnimationFrames(LoafMeasure),
    /// A metric's value must have at least this rating: a maximum at the rating's upper
    /// threshold from [`crate::rating`]'s per-metric thresholds.
    Rating {
        /// The metric.
        metric: MetricName,
        /// The worst rating allowed.
        at_least: crate::rating::Rating,
    },
    /// The estimated Lighthouse performance score, 0-1, is at least the limit.
    Score(FormFactor),
    /// The metric must not regress against the baseline's runs by more than the limit: the
    /// change of the median, in the metric's unit or (`relative`) in percent of the
    /// baseline's median, counted only when the Mann-Whitney test finds the runs differ
    /// ([`crate::compare`]). Not measurable without a baseline.
    Regression {
        /// The metric, by its budget id.
        metric: RegressionMetric,
        /// The limit is a percentage of the baseline's median.
        relative: bool,
    },
}

/// What a regression budget item watches: the compared metrics ([`crate::compare::METRICS`])
/// by Lighthouse-style ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RegressionMetric {
    /// LCP, ms.
    LargestContentfulPaint,
    /// INP, ms.
    InteractionToNextPaint,
    /// CLS.
    CumulativeLayoutShift,
    /// FCP, ms.
    FirstContentfulPaint,
    /// TTFB, ms.
    TimeToFirstByte,
    /// Total Blocking Time, ms.
    TotalBlockingTime,
    /// All transferred bytes, KiB.
    TransferSize,
}

impl RegressionMetric {
    /// The budget ids, in the order above.
    pub const IDS: &[&str] = &[
        "largest-contentful-paint",
        "interaction-to-next-paint",
        "cumulative-layout-shift",
        "first-contentful-paint",
        "time-to-first-byte",
        "total-blocking-time",
        "transfer-size",
    ];

    /// The metric's name in [`crate::compare`].
    pub fn compare_name(self) -> &'static str {
        match self {
            RegressionMetric::LargestContentfulPaint => "LCP",
            RegressionMetric::InteractionToNextPaint => "INP",
            RegressionMetric::CumulativeLayoutShift => "CLS",
            RegressionMetric::FirstContentfulPaint => "FCP",
            RegressionMetric::TimeToFirstByte => "TTFB",
            RegressionMetric::TotalBlockingTime => "TBT",
            RegressionMetric::TransferSize => "bytes",
        }
    }
}

/// Lighthouse's budget resource types: the report's [`ResourceType`]s, all of them, and
/// third-party requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum BudgetResourceType {
    /// Every request.
    Total,
    /// Requests not on a first-party host.
    ThirdParty,
    /// One type.
    #[serde(untagged)]
    Type(ResourceType),
}

/// A timing metric, by its Lighthouse audit id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Timing {
    /// FCP.
    FirstContentfulPaint,
    /// LCP.
    LargestContentfulPaint,
    /// CLS.
    CumulativeLayoutShift,
    /// TBT, from long tasks.
    TotalBlockingTime,
    /// Max Potential FID: the longest long task.
    MaxPotentialFid,
    /// Time to Interactive: lab only.
    Interactive,
    /// First Meaningful Paint: lab only, retired by Lighthouse.
    FirstMeaningfulPaint,
    /// Speed Index: lab only (needs a filmstrip).
    SpeedIndex,
    /// INP (extended format only).
    InteractionToNextPaint,
    /// TTFB (extended format only).
    TimeToFirstByte,
}

/// Which size a per-file budget compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Compression {
    /// `transferSize`: bytes over the network, headers included.
    Transfer,
    /// `encodedBodySize` of a response served with `Content-Encoding: gzip`.
    Gzip,
    /// `encodedBodySize` of a response served with `Content-Encoding: br`.
    Brotli,
}

/// Which long-animation-frame value a budget limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LoafMeasure {
    /// How many long animation frames.
    Count,
    /// Their summed duration, ms.
    TotalDuration,
    /// Their summed blocking duration, ms.
    TotalBlockingDuration,
}

/// What exceeding a limit means, as Lighthouse CI assertion levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Reported, not failing.
    Warn,
    /// A budget failure.
    Error,
}

/// The unit a limit and its measurement are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Unit {
    /// Milliseconds.
    Ms,
    /// Kibibytes (1024 bytes), Lighthouse's budget KB.
    KiB,
    /// Requests or frames.
    Count,
    /// A unitless value (CLS).
    Unitless,
    /// A score from 0 to 1.
    Score,
    /// Percent (of a baseline).
    Percent,
}

impl Check {
    /// The unit of the limit and the measured value.
    pub fn unit(&self) -> Unit {
        match self {
            Check::ResourceSize(_) | Check::File { .. } => Unit::KiB,
            Check::ResourceCount(_) => Unit::Count,
            Check::Timing(Timing::CumulativeLayoutShift) => Unit::Unitless,
            Check::Timing(_) | Check::ServerTiming(_) => Unit::Ms,
            Check::LongAnimationFrames(LoafMeasure::Count) => Unit::Count,
            Check::LongAnimationFrames(_) => Unit::Ms,
            Check::Rating { metric, .. } => match metric {
                MetricName::CLS => Unit::Unitless,
                _ => Unit::Ms,
            },
            Check::Score(_) => Unit::Score,
            Check::Regression { relative: true, .. } => Unit::Percent,
            Check::Regression { metric, .. } => match metric {
                RegressionMetric::CumulativeLayoutShift => Unit::Unitless,
                RegressionMetric::TransferSize => Unit::KiB,
                _ => Unit::Ms,
            },
        }
    }

    /// True when the limit is a minimum (higher is better).
    pub fn is_minimum(&self) -> bool {
        matches!(self, Check::Score(_))
    }
}

/// Reads a budget file: a JSON array is Lighthouse's `budget.json`, an object PageVitals'
/// extended format. `file` names the file in errors.
pub fn parse_budget(file: &str, text: &str) -> Result<BudgetFile, BudgetError> {
    let root = parse::parse_json(file, text)?;
    let ctx = parse::Ctx { file, text };
    match &root {
        jsonc_parser::ast::Value::Array(_) => lighthouse::read(&ctx, &root),
        jsonc_parser::ast::Value::Object(_) => extended::read(&ctx, &root),
        other => Err(ctx.wrong(
            other,
            "",
            "an array (Lighthouse budget.json) or an object (PageVitals budget)",
        )),
    }
}

/// The pointer prefix of [`default_budget`]'s items.
pub const DEFAULT_BUDGET_FILE: &str = "(default budget)";

/// The budget used when the user has none: every Core Web Vital (LCP, INP, CLS) rated good by
/// web-vitals' thresholds ([`crate::lcp::THRESHOLDS`], [`crate::inp::THRESHOLDS`],
/// [`crate::cls::THRESHOLDS`]), at the 75th percentile of runs as the Core Web Vitals
/// assessment takes it (<https://web.dev/articles/vitals#core-web-vitals>).
pub fn default_budget() -> BudgetFile {
    let items = [MetricName::LCP, MetricName::INP, MetricName::CLS]
        .into_iter()
        .map(|metric| {
            let check = Check::Rating {
                metric,
                at_least: crate::rating::Rating::Good,
            };
            Item {
                pointer: "/budgets/0/ratings/0".to_owned(),
                level: Level::Error,
                limit: evaluate::rating_limit(metric, crate::rating::Rating::Good),
                check,
            }
        })
        .collect();
    BudgetFile {
        file: DEFAULT_BUDGET_FILE.to_owned(),
        format: Format::Default,
        aggregate: Aggregate::P75,
        budgets: vec![Budget {
            pointer: "/budgets/0".to_owned(),
            path: None,
            first_party_hostnames: None,
            items,
        }],
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn data() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/budgets")
    }

    fn json_files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
    }

    /// Every malformed budget under `tests/data/budgets/invalid` is rejected with the message
    /// in its `.expected` file. `PAGEVITALS_BLESS=1` rewrites them (then review the diff).
    #[test]
    fn malformed_budgets_are_rejected_with_the_expected_message() {
        let files = json_files(&data().join("invalid"));
        assert!(files.len() >= 10);
        for path in files {
            let name = format!("invalid/{}", path.file_name().unwrap().to_string_lossy());
            let text = std::fs::read_to_string(&path).unwrap();
            let error = parse_budget(&name, &text).unwrap_err().to_string();
            let expected_path = path.with_extension("expected");
            if std::env::var_os("PAGEVITALS_BLESS").is_some() {
                std::fs::write(&expected_path, format!("{error}\n")).unwrap();
            }
            let expected = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|_| panic!("{} missing", expected_path.display()));
            assert_eq!(error, expected.trim_end(), "{name}");
        }
    }

    #[test]
    fn example_budgets_parse() {
        for path in json_files(&data()) {
            let text = std::fs::read_to_string(&path).unwrap();
            let file =
                parse_budget("b.json", &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!file.budgets.is_empty());
        }
    }

    #[test]
    fn lighthouse_budget_reads_into_the_model() {
        let text = std::fs::read_to_string(data().join("lighthouse.json")).unwrap();
        let file = parse_budget("lighthouse.json", &text).unwrap();
        assert_eq!(file.format, Format::Lighthouse);
        let b = &file.budgets[0];
        assert_eq!(
            b.first_party_hostnames.as_deref(),
            Some(&["*.example.com".to_owned(), "example-cdn.net".to_owned()][..])
        );
        assert_eq!(b.items.len(), 10);
        assert!(b.items.iter().all(|i| i.level == Level::Error));
        assert_eq!(b.items[1].pointer, "/0/resourceSizes/1");
        assert_eq!(
            b.items[1].check,
            Check::ResourceSize(BudgetResourceType::Type(ResourceType::Script))
        );
        assert_eq!(file.budgets[1].path.as_deref(), Some("/checkout*$"));
    }

    #[test]
    fn extended_budget_reads_levels_aggregation_and_expands_core_web_vitals() {
        let text = std::fs::read_to_string(data().join("extended.json")).unwrap();
        let file = parse_budget("extended.json", &text).unwrap();
        assert_eq!(
            (file.format, file.aggregate),
            (Format::Extended, Aggregate::P75)
        );
        let items = &file.budgets[0].items;
        assert_eq!(items[0].level, Level::Warn);
        let ratings: Vec<f64> = items
            .iter()
            .filter(|i| matches!(i.check, Check::Rating { .. }))
            .map(|i| i.limit)
            .collect();
        assert_eq!(
            ratings,
            [
                crate::lcp::THRESHOLDS.good,
                crate::inp::THRESHOLDS.good,
                crate::cls::THRESHOLDS.good
            ]
        );
        assert!(items.iter().any(|i| i.check
            == Check::File {
                url: "https://cdn.example.com/**/*.js".to_owned(),
                compression: Compression::Brotli
            }));
    }

    #[test]
    fn the_default_budget_is_the_core_web_vitals_good_thresholds() {
        let file = default_budget();
        let limits: Vec<f64> = file.budgets[0].items.iter().map(|i| i.limit).collect();
        assert_eq!(limits, [2500.0, 200.0, 0.1]);
        assert_eq!(file.aggregate, Aggregate::P75);
    }

    /// The schema and the parser accept the same keys, so neither drifts from the other.
    #[test]
    fn the_json_schema_lists_the_keys_the_parser_accepts() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/budget.schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        };
        let sorted = |k: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = k.iter().map(|s| (*s).to_owned()).collect();
            k.sort();
            k
        };
        assert_eq!(keys(&schema), sorted(extended::TOP_LEVEL_KEYS));
        let budget_keys: Vec<&str> = lighthouse::BUDGET_KEYS
            .iter()
            .chain(extended::EXTRA_BUDGET_KEYS)
            .copied()
            .collect();
        assert_eq!(keys(&schema["$defs"]["budget"]), sorted(&budget_keys));
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["$defs"]["budget"]["additionalProperties"], false);
    }
}
