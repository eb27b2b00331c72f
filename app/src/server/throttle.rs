//! Slowing down password guessing without locking real users out for long (ASVS 5.0 §6.3).
//!
//! Failures are counted from the audit trail over the last [`WINDOW`], per typed user name
//! (whether or not it exists, so the answer reveals nothing) and per client address. Below the
//! threshold nothing happens; above it each further failure doubles the wait before the next
//! try, from 30 seconds up to [`MAX_WAIT`]. Once the window passes, the count starts over.

use std::time::Duration;

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Failures per user name before waits begin.
pub const PER_ACCOUNT: u64 = 5;
/// Failures per address before waits begin: higher, since offices share an address.
pub const PER_ADDRESS: u64 = 20;
const FIRST_WAIT: Duration = Duration::from_secs(30);

/// How long the caller must still wait, given the failures in the window and the time since
/// the latest one; `None` when a try is allowed now.
pub fn wait(failures: u64, threshold: u64, since_last: Duration) -> Option<Duration> {
    if failures < threshold {
        return None;
    }
    let doublings = u32::try_from(failures - threshold)
        .unwrap_or(u32::MAX)
        .min(16);
    let required = FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT);
    (since_last < required).then(|| required - since_last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_the_threshold_every_try_is_allowed() {
        assert_eq!(wait(PER_ACCOUNT - 1, PER_ACCOUNT, Duration::ZERO), None);
    }

    #[test]
    fn above_it_the_wait_doubles_and_is_capped() {
        let s = Duration::from_secs;
        assert_eq!(wait(5, 5, s(0)), Some(s(30)));
        assert_eq!(wait(6, 5, s(0)), Some(s(60)));
        assert_eq!(wait(7, 5, s(20)), Some(s(100)));
        assert_eq!(wait(40, 5, s(0)), Some(MAX_WAIT));
    }

    #[test]
    fn after_waiting_long_enough_a_try_is_allowed_again() {
        assert_eq!(wait(5, 5, Duration::from_secs(30)), None);
        assert_eq!(wait(40, 5, MAX_WAIT), None);
    }
}
