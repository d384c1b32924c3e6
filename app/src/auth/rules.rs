//! Pure rules of sign-in: how failed attempts slow down later ones.
use chrono::{DateTime, Duration, Utc};

/// What a run of failures is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleScope {
    /// The e-mail address tried, known account or not (so the answer reveals nothing).
    Account,
    /// The client's network address.
    Address,
    /// A browser's device cookie (the SHA-256 of its token): a browser that signed in to the
    /// account before, counted on its own so that others' failures do not hold it back.
    Device,
}

impl ThrottleScope {
    pub fn code(self) -> &'static str {
        match self {
            ThrottleScope::Account => "account",
            ThrottleScope::Address => "address",
            ThrottleScope::Device => "device",
        }
    }
}

/// How many failures are free, and how the wait grows after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub free_failures: u32,
    pub first_delay_secs: i64,
    pub max_delay_secs: i64,
    /// A run of failures is forgotten after this long without a new one.
    pub forget_after_secs: i64,
}

/// Five tries per account, then 30 s, 1 min, 2 min… up to 15 min between tries.
pub const ACCOUNT_POLICY: ThrottlePolicy = ThrottlePolicy {
    free_failures: 5,
    first_delay_secs: 30,
    max_delay_secs: 900,
    forget_after_secs: 3600,
};

/// An address may be shared (an office behind one router), so it gets more room.
pub const ADDRESS_POLICY: ThrottlePolicy = ThrottlePolicy {
    free_failures: 50,
    first_delay_secs: 30,
    max_delay_secs: 900,
    forget_after_secs: 3600,
};

/// The recorded failures of one account or address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: u32,
    pub last_failure_at: DateTime<Utc>,
    pub blocked_until: Option<DateTime<Utc>>,
}

impl ThrottlePolicy {
    pub fn policy_for(scope: ThrottleScope) -> ThrottlePolicy {
        match scope {
            // A device cookie stands for one browser of one account: as strict as an account.
            ThrottleScope::Account | ThrottleScope::Device => ACCOUNT_POLICY,
            ThrottleScope::Address => ADDRESS_POLICY,
        }
    }

    /// The longest any policy remembers a run of failures: older rows may be purged.
    pub fn longest_memory_secs() -> i64 {
        ACCOUNT_POLICY
            .forget_after_secs
            .max(ADDRESS_POLICY.forget_after_secs)
    }

    /// Until when `failures` failures, the last at `last_failure_at`, hold the next attempt.
    pub fn blocked_until(
        &self,
        failures: u32,
        last_failure_at: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        self.delay_after(failures).map(|d| last_failure_at + d)
    }

    /// Whole seconds left to wait before the next attempt is looked at, if any.
    pub fn wait_secs(&self, state: Option<&ThrottleState>, now: DateTime<Utc>) -> Option<u64> {
        let until = state?.blocked_until?;
        let left = (until - now).num_milliseconds();
        // Round up: "wait 0 seconds" would be a lie.
        (left > 0).then(|| (left as u64).div_ceil(1000))
    }

    /// The state after one more failed attempt at `now`.
    pub fn after_failure(
        &self,
        state: Option<&ThrottleState>,
        now: DateTime<Utc>,
    ) -> ThrottleState {
        let previous = state
            .filter(|s| (now - s.last_failure_at).num_seconds() < self.forget_after_secs)
            .map_or(0, |s| s.failures);
        let failures = previous.saturating_add(1);
        let blocked_until = self.blocked_until(failures, now);
        ThrottleState {
            failures,
            last_failure_at: now,
            blocked_until,
        }
    }

    fn delay_after(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.free_failures)?;
        // 2^over grows past the cap long before it could overflow; clamp the exponent anyway.
        let factor = 1_i64 << over.min(20);
        let secs = self
            .first_delay_secs
            .saturating_mul(factor)
            .min(self.max_delay_secs);
        Some(Duration::seconds(secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    fn fail_n(policy: &ThrottlePolicy, n: u32, now: DateTime<Utc>) -> Option<ThrottleState> {
        let mut state = None;
        for _ in 0..n {
            state = Some(policy.after_failure(state.as_ref(), now));
        }
        state
    }

    #[test]
    fn the_first_failures_are_free() {
        let state = fail_n(&ACCOUNT_POLICY, 4, at(0));
        assert_eq!(state.map(|s| s.failures), Some(4));
        assert_eq!(ACCOUNT_POLICY.wait_secs(state.as_ref(), at(0)), None);
    }

    #[test]
    fn the_wait_doubles_after_the_free_failures_and_is_capped() {
        let fifth = fail_n(&ACCOUNT_POLICY, 5, at(0));
        assert_eq!(ACCOUNT_POLICY.wait_secs(fifth.as_ref(), at(0)), Some(30));
        let sixth = fail_n(&ACCOUNT_POLICY, 6, at(0));
        assert_eq!(ACCOUNT_POLICY.wait_secs(sixth.as_ref(), at(0)), Some(60));
        let twentieth = fail_n(&ACCOUNT_POLICY, 20, at(0));
        assert_eq!(
            ACCOUNT_POLICY.wait_secs(twentieth.as_ref(), at(0)),
            Some(900)
        );
        let many = fail_n(&ACCOUNT_POLICY, 500, at(0));
        assert_eq!(ACCOUNT_POLICY.wait_secs(many.as_ref(), at(0)), Some(900));
    }

    #[test]
    fn the_wait_runs_out() {
        let state = fail_n(&ACCOUNT_POLICY, 5, at(0));
        assert_eq!(ACCOUNT_POLICY.wait_secs(state.as_ref(), at(29)), Some(1));
        assert_eq!(ACCOUNT_POLICY.wait_secs(state.as_ref(), at(30)), None);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let state = fail_n(&ACCOUNT_POLICY, 5, at(0));
        let later = ACCOUNT_POLICY.after_failure(state.as_ref(), at(3600));
        assert_eq!(later.failures, 1);
        assert_eq!(later.blocked_until, None);
    }

    #[test]
    fn taking_back_a_failure_takes_back_its_wait() {
        assert_eq!(ACCOUNT_POLICY.blocked_until(4, at(0)), None);
        assert_eq!(ACCOUNT_POLICY.blocked_until(5, at(0)), Some(at(30)));
        assert_eq!(ACCOUNT_POLICY.blocked_until(6, at(10)), Some(at(70)));
        assert_eq!(
            ThrottlePolicy::policy_for(ThrottleScope::Device),
            ACCOUNT_POLICY
        );
        assert_eq!(ThrottlePolicy::longest_memory_secs(), 3600);
    }

    #[test]
    fn addresses_get_more_room_than_accounts() {
        let state = fail_n(&ADDRESS_POLICY, 20, at(0));
        assert_eq!(ADDRESS_POLICY.wait_secs(state.as_ref(), at(0)), None);
        let state = fail_n(&ADDRESS_POLICY, 50, at(0));
        assert_eq!(ADDRESS_POLICY.wait_secs(state.as_ref(), at(0)), Some(30));
    }
}
