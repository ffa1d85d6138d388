//! The field-style verdict: the Core Web Vitals (LCP, INP, CLS) rated as web-vitals rates
//! them, and the worst of those measured decides, as a page "passes" the Core Web Vitals
//! assessment only when all three are good
//! (<https://web.dev/articles/vitals#core-web-vitals>). The badge shows it.

use serde::{Deserialize, Serialize};

use crate::metric::{Metric, MetricName};
use crate::rating::Rating;

/// The Core Web Vital with the worst rating, and how many of the three were measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The worst rating among the measured Core Web Vitals.
    pub rating: Rating,
    /// The metric that has it (the first of LCP, INP, CLS on a tie).
    pub metric: MetricName,
    /// That metric's value.
    pub value: f64,
    /// The Core Web Vitals measured so far, in the order LCP, INP, CLS.
    pub measured: Vec<MetricName>,
}

/// The verdict over the Core Web Vitals measured so far; `None` before any is.
pub fn verdict<A, B, C>(
    lcp: Option<&Metric<A>>,
    inp: Option<&Metric<B>>,
    cls: Option<&Metric<C>>,
) -> Option<Verdict> {
    let measured: Vec<(MetricName, Rating, f64)> = [
        lcp.map(|m| (m.name, m.rating, m.value)),
        inp.map(|m| (m.name, m.rating, m.value)),
        cls.map(|m| (m.name, m.rating, m.value)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let &(metric, rating, value) = measured
        .iter()
        .reduce(|worst, next| if next.1 > worst.1 { next } else { worst })?;
    Some(Verdict {
        rating,
        metric,
        value,
        measured: measured.iter().map(|m| m.0).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::NavigationType;

    fn metric(name: MetricName, rating: Rating, value: f64) -> Metric<()> {
        Metric {
            name,
            value,
            rating,
            delta: value,
            id: String::new(),
            navigation_type: NavigationType::Navigate,
            attribution: (),
        }
    }

    #[test]
    fn the_worst_rating_decides_and_ties_go_to_the_first() {
        let lcp = metric(MetricName::LCP, Rating::NeedsImprovement, 3000.0);
        let inp = metric(MetricName::INP, Rating::Poor, 600.0);
        let cls = metric(MetricName::CLS, Rating::Poor, 0.4);
        let v = verdict(Some(&lcp), Some(&inp), Some(&cls)).unwrap();
        assert_eq!(
            (v.metric, v.rating, v.value),
            (MetricName::INP, Rating::Poor, 600.0)
        );
        assert_eq!(
            v.measured,
            [MetricName::LCP, MetricName::INP, MetricName::CLS]
        );
    }

    #[test]
    fn unmeasured_metrics_are_left_out_and_none_means_no_verdict() {
        let lcp = metric(MetricName::LCP, Rating::Good, 1200.0);
        let v = verdict::<(), (), ()>(Some(&lcp), None, None).unwrap();
        assert_eq!((v.metric, v.rating), (MetricName::LCP, Rating::Good));
        assert_eq!(v.measured, [MetricName::LCP]);
        assert!(verdict::<(), (), ()>(None, None, None).is_none());
    }
}
