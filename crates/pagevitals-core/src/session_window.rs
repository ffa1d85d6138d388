//! Session windows of layout shifts, the grouping CLS takes the largest of, as web-vitals
//! `src/lib/LayoutShiftManager.ts` forms them
//! (<https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/lib/LayoutShiftManager.ts>;
//! definition: <https://web.dev/articles/evolving-cls>).
//!
//! A shift joins the current window when it starts less than [`MAX_GAP_MS`] after the
//! window's previous shift and less than [`MAX_WINDOW_MS`] after its first; otherwise it
//! opens a new window. As in web-vitals, a window whose value is still 0 never takes another
//! shift. Which shifts are fed in (`hadRecentInput`, FCP, restores) is the caller's business.

/// A window ends when the next shift comes this long or longer after the previous one
/// (`LayoutShiftManager.ts`: `entry.startTime - lastSessionEntry.startTime < 1000`).
pub const MAX_GAP_MS: f64 = 1000.0;

/// A window ends when the next shift comes this long or longer after its first shift
/// (`LayoutShiftManager.ts`: `entry.startTime - firstSessionEntry.startTime < 5000`).
pub const MAX_WINDOW_MS: f64 = 5000.0;

/// The window being filled, fed one shift at a time in the order the browser delivered them.
#[derive(Debug, Clone, Default)]
pub struct SessionWindows {
    /// Number of the current window (0 for the first), `None` before any shift.
    current: Option<usize>,
    /// Sum of the current window's shift values.
    value: f64,
    /// `startTime` of the current window's first shift.
    first_start: f64,
    /// `startTime` of the current window's latest shift.
    last_start: f64,
}

impl SessionWindows {
    /// Adds a shift; returns the number of the window it joined (0, 1, 2, ... in order).
    pub fn push(&mut self, start_time: f64, value: f64) -> usize {
        let joins = match self.current {
            // `this._sessionValue && ...`: JavaScript truthiness, so 0 and NaN do not join.
            Some(window) if self.value != 0.0 && !self.value.is_nan() => {
                (start_time - self.last_start < MAX_GAP_MS
                    && start_time - self.first_start < MAX_WINDOW_MS)
                    .then_some(window)
            }
            _ => None,
        };
        let window = match joins {
            Some(window) => {
                self.value += value;
                window
            }
            None => {
                self.value = value;
                self.first_start = start_time;
                self.current.map_or(0, |w| w + 1)
            }
        };
        self.last_start = start_time;
        self.current = Some(window);
        window
    }

    /// The current window's value (0 before any shift).
    pub fn value(&self) -> f64 {
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_of_one_second_or_more_opens_a_new_window() {
        let mut w = SessionWindows::default();
        assert_eq!(w.push(100.0, 0.1), 0);
        assert_eq!(w.push(1099.0, 0.1), 0);
        assert!((w.value() - 0.2).abs() < 1e-12);
        assert_eq!(w.push(2099.0, 0.05), 1);
        assert_eq!(w.value(), 0.05);
    }

    #[test]
    fn a_window_is_capped_at_five_seconds() {
        let mut w = SessionWindows::default();
        let windows: Vec<usize> = (0..7)
            .map(|i| w.push(1000.0 + f64::from(i) * 900.0, 0.01))
            .collect();
        // 1000, 1900, ..., 5500 are within 5 s of 1000; 6400 is not.
        assert_eq!(windows, [0, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn a_window_worth_zero_takes_no_more_shifts() {
        let mut w = SessionWindows::default();
        assert_eq!(w.push(100.0, 0.0), 0);
        assert_eq!(w.push(200.0, 0.1), 1);
        assert_eq!(w.push(300.0, 0.1), 1);
    }

    #[test]
    fn nan_and_infinite_input_do_not_panic() {
        let mut w = SessionWindows::default();
        w.push(f64::NAN, f64::INFINITY);
        w.push(0.0, f64::NEG_INFINITY);
        w.push(f64::INFINITY, f64::NAN);
        assert!(w.value().is_nan());
    }
}
