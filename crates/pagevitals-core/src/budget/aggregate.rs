//! How several runs of a page are combined into one value per budget item.
//!
//! Both choices are nearest-rank percentiles, so the result is always a value one run
//! measured (as Lighthouse CI's `median-run` picks a real run rather than averaging): sort
//! the runs' values from best to worst and take the one at rank `ceil(p * n)`.
//! - `median`: p = 0.5 (of two runs, the better one; Lighthouse CI's default aggregation);
//! - `p75`: p = 0.75, the percentile the Core Web Vitals assessment uses
//!   (<https://web.dev/articles/defining-core-web-vitals-thresholds#choice_of_percentile>).
//!
//! "Best to worst" is ascending for a maximum (a time, a size) and descending for a minimum
//! (a score), so p75 is on the bad side for both. Runs where an item was not measured are
//! left out; NaN never reaches here (the evaluator treats it as not measured).

use serde::{Deserialize, Serialize};

/// Which percentile of the runs a budget item is checked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// The 50th percentile.
    Median,
    /// The 75th percentile.
    P75,
}

impl Aggregate {
    /// The percentile, 0-1.
    pub fn percentile(self) -> f64 {
        match self {
            Aggregate::Median => 0.5,
            Aggregate::P75 => 0.75,
        }
    }

    /// The aggregated value of `values`; `higher_is_better` for minimum limits. `None` for
    /// no values.
    pub fn of(self, values: &[f64], higher_is_better: bool) -> Option<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(|a, b| {
            if higher_is_better {
                b.total_cmp(a)
            } else {
                a.total_cmp(b)
            }
        });
        // Nearest rank: ceil(p * n), 1-based; p * n is small and exact enough for counts
        // of runs, and at least rank 1.
        let rank = (self.percentile() * sorted.len() as f64).ceil().max(1.0) as usize;
        sorted.get(rank - 1).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_from_best_to_worst() {
        let runs = [300.0, 100.0, 200.0, 400.0];
        assert_eq!(Aggregate::Median.of(&runs, false), Some(200.0));
        assert_eq!(Aggregate::P75.of(&runs, false), Some(300.0));
        assert_eq!(Aggregate::Median.of(&[5.0], false), Some(5.0));
        assert_eq!(Aggregate::P75.of(&[], false), None);
        // Scores: higher is better, so p75 is the second-worst of four.
        let scores = [0.9, 0.5, 0.7, 0.8];
        assert_eq!(Aggregate::P75.of(&scores, true), Some(0.7));
        assert_eq!(Aggregate::Median.of(&scores, true), Some(0.8));
    }
}
