//! Median and minimum of timing samples. The median is what the benchmark judges by (one
//! slow run on a shared machine does not move it); the minimum shows the noise floor.

use std::time::Duration;

/// The median and minimum of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// The middle sample (the mean of the two middle ones for an even count).
    pub median: Duration,
    /// The fastest sample.
    pub min: Duration,
}

impl Summary {
    /// Summarises `samples`; `None` when there are none.
    pub fn of(samples: &[Duration]) -> Option<Summary> {
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        let min = *sorted.first()?;
        let mid = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[mid]
        } else {
            (sorted[mid - 1] + sorted[mid]) / 2
        };
        Some(Summary { median, min })
    }

    /// The median in milliseconds.
    pub fn median_ms(&self) -> f64 {
        self.median.as_secs_f64() * 1e3
    }

    /// The minimum in milliseconds.
    pub fn min_ms(&self) -> f64 {
        self.min.as_secs_f64() * 1e3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn median_and_min() {
        let odd = Summary::of(&ms(&[9, 1, 5])).unwrap();
        assert_eq!(
            (odd.median, odd.min),
            (Duration::from_millis(5), Duration::from_millis(1))
        );
        let even = Summary::of(&ms(&[4, 2, 8, 6])).unwrap();
        assert_eq!(even.median, Duration::from_millis(5));
        assert_eq!(Summary::of(&[]), None);
    }
}
