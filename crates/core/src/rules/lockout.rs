//! Account lockout after repeated wrong passwords.

use chrono::{DateTime, Duration, Utc};

pub use crate::config::LockoutPolicy;

/// What a wrong password does to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AfterFailure {
    /// Failures to store (reset to 0 when the account locks).
    pub failures: u32,
    /// Set when this failure locks the account.
    pub locked_until: Option<DateTime<Utc>>,
    /// Tries left before the lock (0 when locked now).
    pub tries_left: u32,
}

impl LockoutPolicy {
    /// Whether an account locked until `locked_until` is still locked at `now`; returns
    /// the time left.
    pub fn time_left(
        &self,
        locked_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<Duration> {
        locked_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    /// Counts one more wrong password.
    pub fn after_failure(&self, failures_before: u32, now: DateTime<Utc>) -> AfterFailure {
        let failures = failures_before + 1;
        if failures >= self.max_failures {
            AfterFailure {
                failures: 0,
                locked_until: Some(now + Duration::minutes(self.lock_minutes)),
                tries_left: 0,
            }
        } else {
            AfterFailure {
                failures,
                locked_until: None,
                tries_left: self.max_failures - failures,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let policy = LockoutPolicy::default();
        let now = Utc::now();
        let mut failures = 0;
        for expected_left in [4, 3, 2, 1] {
            let r = policy.after_failure(failures, now);
            assert_eq!(r.tries_left, expected_left);
            assert!(r.locked_until.is_none());
            failures = r.failures;
        }
        let r = policy.after_failure(failures, now);
        assert_eq!(r.locked_until, Some(now + Duration::minutes(15)));
        assert_eq!(
            policy.time_left(r.locked_until, now + Duration::minutes(14)),
            Some(Duration::minutes(1))
        );
        assert_eq!(
            policy.time_left(r.locked_until, now + Duration::minutes(15)),
            None
        );
    }
}
