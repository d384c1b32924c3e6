//! Settings from environment variables, each with a sensible default. A wrong value stops
//! the start with a message naming the variable and saying what was expected.
use coopole_app::events::rules::CancellationScale;
use coopole_app::state::{IpNet, RateLimit};
use std::net::SocketAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (embedded, the default) or `postgres://…`.
    pub database_url: String,
    /// `COOPOLE_ADDR`: where the hub listens.
    pub addr: SocketAddr,
    /// `COOPOLE_PUBLIC_URL`: the address people type, such as `https://hub.example.org`.
    pub public_url: Option<String>,
    /// `COOPOLE_SECURE_COOKIES`: mark cookies `Secure` and send HSTS. By default on, unless
    /// the hub is plainly served over http://127.0.0.1 or localhost (see `secure_by_default`).
    pub secure_cookies: bool,
    /// `COOPOLE_TRUSTED_PROXIES`: reverse proxies (addresses or networks, comma-separated)
    /// whose `X-Forwarded-For`, `-Host` and `-Proto` headers are believed. None by default.
    pub trusted_proxies: Vec<IpNet>,
    /// `COOPOLE_RATE_LIMIT_PER_MINUTE` and `COOPOLE_RATE_LIMIT_BURST`: the per-address limit on
    /// sign-up, sign-in, event requests and password changes; a rate of 0 turns it off.
    pub rate_limit: Option<RateLimit>,
    /// `COOPOLE_LOG`: a tracing filter such as `info` or `coopole=debug,info`.
    pub log_filter: String,
    /// `COOPOLE_DB_MAX_CONNECTIONS`: size of the database connection pool.
    pub db_max_connections: u32,
    /// `COOPOLE_SESSION_DAYS`: how long a sign-in lasts.
    pub session_days: i64,
    /// `COOPOLE_EVENT_DEPOSIT_PERCENT`: the deposit due when an event is confirmed.
    pub event_deposit_percent: u32,
    /// `COOPOLE_EVENT_CANCELLATION_SCALE`: the share of an event's total a cancellation costs,
    /// by days of notice, e.g. `60:0,30:30,7:50,0:100`.
    pub event_cancellation: CancellationScale,
    /// `COOPOLE_OPERATOR_NAME` and `COOPOLE_OPERATOR_ADDRESS`: who runs the hub, as leases
    /// name it.
    pub operator: coopole_app::state::Operator,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/coopole.db?mode=rwc";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {reason} (got {value:?})")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub reason: &'static str,
}

fn invalid(variable: &'static str, value: &str, reason: &'static str) -> ConfigError {
    ConfigError {
        variable,
        value: value.to_owned(),
        reason,
    }
}

fn parse_bool(variable: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(variable, raw, "expected true or false")),
    }
}

fn parse_in_range<T: std::str::FromStr + PartialOrd>(
    variable: &'static str,
    raw: &str,
    range: std::ops::RangeInclusive<T>,
    reason: &'static str,
) -> Result<T, ConfigError> {
    raw.trim()
        .parse::<T>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| invalid(variable, raw, reason))
}

/// The host of an `http://` or `https://` URL, without port or path.
fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    (!host.is_empty()).then_some(host)
}

/// Cookies are `Secure` unless the hub is plainly served over http on this machine: a public
/// URL of http://localhost or http://127.0.0.1, or, without one, a loopback listen address.
/// Anything else is reached over a network and must be behind HTTPS.
pub fn secure_by_default(public_url: Option<&str>, addr: SocketAddr) -> bool {
    match public_url {
        Some(url) => {
            let local = url.starts_with("http://")
                && url_host(url).is_some_and(|host| {
                    host.eq_ignore_ascii_case("localhost")
                        || host
                            .parse::<std::net::IpAddr>()
                            .is_ok_and(|ip| ip.is_loopback())
                });
            !local
        }
        None => !addr.ip().is_loopback(),
    }
}

/// `10.0.0.2, 172.16.0.0/12, fd00::/8`: every item must parse.
pub fn parse_networks(raw: &str) -> Option<Vec<IpNet>> {
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(IpNet::parse)
        .collect()
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let url = database_url.trim();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(invalid(
                "DATABASE_URL",
                url,
                "expected a sqlite://… or postgres://… URL",
            ));
        }

        // cargo-leptos passes LEPTOS_SITE_ADDR; COOPOLE_ADDR wins when both are set.
        let (addr_var, addr_raw) = match (get("COOPOLE_ADDR"), get("LEPTOS_SITE_ADDR")) {
            (Some(v), _) => ("COOPOLE_ADDR", v),
            (None, Some(v)) => ("LEPTOS_SITE_ADDR", v),
            (None, None) => ("COOPOLE_ADDR", DEFAULT_ADDR.to_owned()),
        };
        let addr = addr_raw.trim().parse::<SocketAddr>().map_err(|_| {
            invalid(
                addr_var,
                &addr_raw,
                "expected an IP address and port, such as 127.0.0.1:3000",
            )
        })?;

        let public_url = match get("COOPOLE_PUBLIC_URL") {
            Some(raw) => {
                let url = raw.trim().trim_end_matches('/').to_owned();
                if url_host(&url).is_none() {
                    return Err(invalid(
                        "COOPOLE_PUBLIC_URL",
                        &raw,
                        "expected an http:// or https:// address, such as https://hub.example.org",
                    ));
                }
                Some(url)
            }
            None => None,
        };
        let secure_cookies = match get("COOPOLE_SECURE_COOKIES") {
            Some(raw) => parse_bool("COOPOLE_SECURE_COOKIES", &raw)?,
            None => secure_by_default(public_url.as_deref(), addr),
        };
        let trusted_proxies = match get("COOPOLE_TRUSTED_PROXIES") {
            Some(raw) => parse_networks(&raw).ok_or_else(|| {
                invalid(
                    "COOPOLE_TRUSTED_PROXIES",
                    &raw,
                    "expected IP addresses or networks separated by commas, e.g. 10.0.0.2,172.16.0.0/12",
                )
            })?,
            None => Vec::new(),
        };
        let defaults = RateLimit::default();
        let per_minute = match get("COOPOLE_RATE_LIMIT_PER_MINUTE") {
            Some(raw) => parse_in_range(
                "COOPOLE_RATE_LIMIT_PER_MINUTE",
                &raw,
                0..=60_000,
                "expected a whole number of requests per minute from 0 (no limit) to 60000",
            )?,
            None => defaults.per_minute,
        };
        let burst = match get("COOPOLE_RATE_LIMIT_BURST") {
            Some(raw) => parse_in_range(
                "COOPOLE_RATE_LIMIT_BURST",
                &raw,
                1..=10_000,
                "expected a whole number of requests from 1 to 10000",
            )?,
            None => defaults.burst,
        };
        let rate_limit = (per_minute > 0).then_some(RateLimit { per_minute, burst });

        let log_filter = get("COOPOLE_LOG").unwrap_or_else(|| "info".to_owned());
        if tracing_subscriber::EnvFilter::try_new(&log_filter).is_err() {
            return Err(invalid(
                "COOPOLE_LOG",
                &log_filter,
                "expected a log filter such as info or debug",
            ));
        }

        let db_max_connections = match get("COOPOLE_DB_MAX_CONNECTIONS") {
            Some(raw) => parse_in_range(
                "COOPOLE_DB_MAX_CONNECTIONS",
                &raw,
                1..=200,
                "expected a whole number from 1 to 200",
            )?,
            None => 8,
        };
        let session_days = match get("COOPOLE_SESSION_DAYS") {
            Some(raw) => parse_in_range(
                "COOPOLE_SESSION_DAYS",
                &raw,
                1..=365,
                "expected a whole number of days from 1 to 365",
            )?,
            None => 30,
        };
        let event_deposit_percent = match get("COOPOLE_EVENT_DEPOSIT_PERCENT") {
            Some(raw) => parse_in_range(
                "COOPOLE_EVENT_DEPOSIT_PERCENT",
                &raw,
                0..=100,
                "expected a whole percentage from 0 to 100",
            )?,
            None => 30,
        };
        let event_cancellation = match get("COOPOLE_EVENT_CANCELLATION_SCALE") {
            Some(raw) => CancellationScale::parse(&raw).ok_or_else(|| {
                invalid(
                    "COOPOLE_EVENT_CANCELLATION_SCALE",
                    &raw,
                    "expected days:percent steps ending at 0 days, e.g. 60:0,30:30,7:50,0:100",
                )
            })?,
            None => CancellationScale::default(),
        };

        let mut operator = coopole_app::state::Operator::default();
        for (name, field) in [
            ("COOPOLE_OPERATOR_NAME", &mut operator.name),
            ("COOPOLE_OPERATOR_ADDRESS", &mut operator.address),
        ] {
            if let Some(raw) = get(name) {
                *field = coopole_app::input::line(&raw, 300).map_err(|_| {
                    invalid(name, &raw, "expected one line of at most 300 characters")
                })?;
            }
        }

        Ok(Config {
            database_url: url.to_owned(),
            addr,
            public_url,
            secure_cookies,
            trusted_proxies,
            rate_limit,
            log_filter,
            db_max_connections,
            session_days,
            event_deposit_percent,
            event_cancellation,
            operator,
        })
    }

    /// For an SQLite file, the folder that must exist before the database can be created.
    pub fn sqlite_dir(&self) -> Option<std::path::PathBuf> {
        let rest = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            return None;
        }
        std::path::Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_run_the_hub_on_sqlite_locally() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.addr.to_string(), DEFAULT_ADDR);
        assert!(!c.secure_cookies);
        assert_eq!(c.sqlite_dir(), Some("data".into()));
    }

    #[test]
    fn postgres_urls_are_accepted() {
        let c = config(&[("DATABASE_URL", "postgres://coopole@localhost/coopole")]).unwrap();
        assert_eq!(c.sqlite_dir(), None);
    }

    #[test]
    fn wrong_values_name_their_variable() {
        for (var, value) in [
            ("DATABASE_URL", "mysql://x"),
            ("COOPOLE_ADDR", "localhost"),
            ("COOPOLE_SECURE_COOKIES", "maybe"),
            ("COOPOLE_PUBLIC_URL", "hub.example.org"),
            ("COOPOLE_TRUSTED_PROXIES", "10.0.0.1,proxy"),
            ("COOPOLE_TRUSTED_PROXIES", "10.0.0.0/40"),
            ("COOPOLE_RATE_LIMIT_PER_MINUTE", "-1"),
            ("COOPOLE_RATE_LIMIT_BURST", "0"),
            ("COOPOLE_DB_MAX_CONNECTIONS", "0"),
            ("COOPOLE_SESSION_DAYS", "forever"),
            ("COOPOLE_LOG", "info,[["),
            ("COOPOLE_EVENT_DEPOSIT_PERCENT", "120"),
            ("COOPOLE_EVENT_CANCELLATION_SCALE", "30:50"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable, var);
            assert!(err.to_string().starts_with(var), "{err}");
        }
    }

    #[test]
    fn coopole_addr_wins_over_leptos_site_addr() {
        let c = config(&[
            ("LEPTOS_SITE_ADDR", "127.0.0.1:4000"),
            ("COOPOLE_ADDR", "0.0.0.0:8080"),
        ])
        .unwrap();
        assert_eq!(c.addr.to_string(), "0.0.0.0:8080");
        let c = config(&[("LEPTOS_SITE_ADDR", "127.0.0.1:4000")]).unwrap();
        assert_eq!(c.addr.port(), 4000);
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let c = config(&[(
            "COOPOLE_TRUSTED_PROXIES",
            " 10.0.0.2, 172.16.0.0/12 ,fd00::/8,",
        )])
        .unwrap();
        assert_eq!(c.trusted_proxies.len(), 3);
        assert!(c.trusted_proxies[0].contains("10.0.0.2".parse().unwrap()));
        assert!(!c.trusted_proxies[0].contains("10.0.0.3".parse().unwrap()));
        assert!(c.trusted_proxies[1].contains("172.20.1.1".parse().unwrap()));
        assert!(c.trusted_proxies[2].contains("fd00::1".parse().unwrap()));
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
    }

    #[test]
    fn cookies_are_secure_unless_plainly_served_on_this_machine() {
        let secure = |vars: &[(&str, &str)]| config(vars).unwrap().secure_cookies;
        assert!(!secure(&[]));
        assert!(!secure(&[("COOPOLE_ADDR", "[::1]:3000")]));
        assert!(secure(&[("COOPOLE_ADDR", "0.0.0.0:3000")]));
        assert!(secure(&[(
            "COOPOLE_PUBLIC_URL",
            "https://hub.example.org/"
        )]));
        assert!(secure(&[("COOPOLE_PUBLIC_URL", "https://localhost:3000")]));
        assert!(secure(&[("COOPOLE_PUBLIC_URL", "http://hub.example.org")]));
        assert!(!secure(&[
            ("COOPOLE_ADDR", "0.0.0.0:3000"),
            ("COOPOLE_PUBLIC_URL", "http://localhost:3000")
        ]));
        assert!(!secure(&[("COOPOLE_PUBLIC_URL", "http://127.0.0.1:3000")]));
        assert!(!secure(&[("COOPOLE_PUBLIC_URL", "http://[::1]:3000")]));
        // The explicit setting wins both ways.
        assert!(!secure(&[
            ("COOPOLE_ADDR", "0.0.0.0:3000"),
            ("COOPOLE_SECURE_COOKIES", "false")
        ]));
        assert!(secure(&[("COOPOLE_SECURE_COOKIES", "true")]));
    }

    #[test]
    fn the_rate_limit_is_on_by_default_and_can_be_turned_off() {
        assert_eq!(config(&[]).unwrap().rate_limit, Some(RateLimit::default()));
        let c = config(&[
            ("COOPOLE_RATE_LIMIT_PER_MINUTE", "30"),
            ("COOPOLE_RATE_LIMIT_BURST", "5"),
        ])
        .unwrap();
        assert_eq!(
            c.rate_limit,
            Some(RateLimit {
                per_minute: 30,
                burst: 5
            })
        );
        let off = config(&[("COOPOLE_RATE_LIMIT_PER_MINUTE", "0")]).unwrap();
        assert_eq!(off.rate_limit, None);
    }
}
