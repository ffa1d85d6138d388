//! Good / needs-improvement / poor, as web-vitals rates a value
//! (web-vitals `src/lib/bindReporter.ts`, `getRating`).

use serde::{Deserialize, Serialize};

/// How a metric value compares with its thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// At or below the first threshold.
    Good,
    /// Above the first threshold, at or below the second.
    NeedsImprovement,
    /// Above the second threshold.
    Poor,
}

/// A metric's two rating thresholds: `value <= good` is good, `value <= poor` needs
/// improvement, anything above is poor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Upper bound of "good", inclusive.
    pub good: f64,
    /// Upper bound of "needs improvement", inclusive.
    pub poor: f64,
}

impl Thresholds {
    /// Rates `value`.
    pub fn rate(&self, value: f64) -> Rating {
        if value > self.poor {
            Rating::Poor
        } else if value > self.good {
            Rating::NeedsImprovement
        } else {
            Rating::Good
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_are_inclusive_like_web_vitals() {
        let t = Thresholds {
            good: 1800.0,
            poor: 3000.0,
        };
        assert_eq!(t.rate(1800.0), Rating::Good);
        assert_eq!(t.rate(1800.1), Rating::NeedsImprovement);
        assert_eq!(t.rate(3000.0), Rating::NeedsImprovement);
        assert_eq!(t.rate(3000.1), Rating::Poor);
    }
}
