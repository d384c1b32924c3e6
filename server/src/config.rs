//! Settings from environment variables, each with a sensible default. A wrong value stops
//! the start with a message naming the variable and saying what was expected.
use coopole_app::events::rules::CancellationScale;
use std::net::SocketAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (embedded, the default) or `postgres://…`.
    pub database_url: String,
    /// `COOPOLE_ADDR`: where the hub listens.
    pub addr: SocketAddr,
    /// `COOPOLE_SECURE_COOKIES`: mark cookies `Secure` (set it when served over HTTPS).
    pub secure_cookies: bool,
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

        let secure_cookies = match get("COOPOLE_SECURE_COOKIES") {
            Some(raw) => parse_bool("COOPOLE_SECURE_COOKIES", &raw)?,
            None => false,
        };

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

        Ok(Config {
            database_url: url.to_owned(),
            addr,
            secure_cookies,
            log_filter,
            db_max_connections,
            session_days,
            event_deposit_percent,
            event_cancellation,
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
}
