//! Per-address limits on the endpoints that cost a password hash (sign-up, sign-in, the event
//! request, which creates an account, and password changes): past the limit they answer
//! `429 Too Many Requests` with `Retry-After`, before any work is done.
//!
//! The counting is `governor`'s (GCRA, keyed by client address, lock-free). It lives in this
//! process's memory: each server behind a load balancer counts on its own (see the README).
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coopole_app::error::AppError;
use coopole_app::state::{ClientAddr, RateLimit};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The server functions that hash a password (an application can make an account).
pub const LIMITED_PATHS: [&str; 5] = [
    "/api/auth/sign_up",
    "/api/auth/sign_in",
    "/api/auth/password",
    "/api/events/request",
    "/api/applications/submit",
];

pub struct Limiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Option<Limiter> {
        let per_minute = NonZeroU32::new(limit.per_minute)?;
        let period = Duration::from_secs(60) / per_minute.get();
        let quota = Quota::with_period(period)?
            .allow_burst(NonZeroU32::new(limit.burst).unwrap_or(per_minute));
        Some(Limiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        })
    }

    /// `Ok` when `client` may go on, else the whole seconds to wait (at least 1).
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            // Round up: a client that waits what we say must get through.
            wait.as_millis().div_ceil(1000).max(1) as u64
        })
    }

    /// Forgets addresses whose bucket is full again, so that memory follows active clients.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// Refuses a limited request from an address that is over its limit.
pub async fn limit(State(limiter): State<Arc<Limiter>>, request: Request, next: Next) -> Response {
    let limited = request.method() == Method::POST && LIMITED_PATHS.contains(&request.uri().path());
    let client = request.extensions().get::<ClientAddr>().map(|c| c.0);
    let (true, Some(client)) = (limited, client) else {
        return next.run(request).await;
    };
    match limiter.check(client) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            tracing::info!(%client, path = request.uri().path(), wait, "rate limit reached");
            too_many(&request, wait)
        }
    }
}

fn too_many(request: &Request, wait: u64) -> Response {
    let message = format!(
        "Trop de tentatives depuis votre adresse : réessayez dans {wait} s. / \
         Too many attempts from your address: try again in {wait} s."
    );
    let wants_page = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let mut response = if wants_page {
        (StatusCode::TOO_MANY_REQUESTS, message).into_response()
    } else {
        // The body server functions answer with, so the page's code shows the message.
        let error = AppError::TooManyRequests {
            message,
            retry_after_secs: wait,
        };
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(error)).into_response()
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_then_waits() {
        let limiter = Limiter::new(RateLimit {
            per_minute: 10,
            burst: 3,
        })
        .unwrap();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.check(a), Ok(()));
        }
        let wait = limiter.check(a).unwrap_err();
        assert!((1..=6).contains(&wait), "{wait}");
        assert_eq!(limiter.check(b), Ok(()));
    }

    #[test]
    fn a_rate_of_zero_means_no_limiter() {
        assert!(
            Limiter::new(RateLimit {
                per_minute: 0,
                burst: 5
            })
            .is_none()
        );
    }
}
