//! What every request handler can reach: the Leptos options, the database and the settings.
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::net::IpAddr;
use std::sync::Arc;

/// Settings read once at start-up (see the server's `config` module for where they come from).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Mark cookies `Secure` (the hub is served over HTTPS).
    pub secure_cookies: bool,
    /// How long a sign-in lasts.
    pub session_days: i64,
    /// Deposit and cancellation terms of event rental.
    pub events: crate::events::service::EventTerms,
    /// Reverse proxies whose `X-Forwarded-*` headers are believed; nobody's by default.
    pub trusted_proxies: Vec<IpNet>,
    /// The per-address limit on the endpoints that hash a password; `None` turns it off.
    /// Off in `Default` (the tests' configuration); the server's configuration turns it on.
    pub rate_limit: Option<RateLimit>,
    /// Who runs the hub, as its leases name it.
    pub operator: Operator,
}

/// The hub's operator as a lease names it: set with `COOPOLE_OPERATOR_NAME` and
/// `COOPOLE_OPERATOR_ADDRESS`. (Invoices will take their seller from a versioned settings page.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
    pub address: String,
}

impl Default for Operator {
    fn default() -> Self {
        Operator {
            name: "Coopole, pôle de coopération de l'ESS".into(),
            address: "2 boulevard Léon Bureau, 44200 Nantes".into(),
        }
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            secure_cookies: false,
            session_days: 30,
            events: Default::default(),
            trusted_proxies: Vec::new(),
            rate_limit: None,
            operator: Operator::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<AppConfig>,
    /// The catalogue this server keeps (see `CatalogueCache`).
    pub catalogue: Arc<crate::spaces::service::CatalogueCache>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// How many requests to the expensive public endpoints (sign-up, sign-in, event request,
/// password change) one client address may make: `burst` at once, then one more every
/// `60 / per_minute` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_minute: 10,
            burst: 10,
        }
    }
}

/// A network, `203.0.113.7` or `10.0.0.0/8` or `fd00::/8`: a trusted reverse proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// An address (the network of that one address) or `address/prefix`.
    pub fn parse(raw: &str) -> Option<IpNet> {
        let raw = raw.trim();
        let (addr, prefix) = match raw.split_once('/') {
            Some((addr, prefix)) => (
                addr.parse::<IpAddr>().ok()?,
                Some(prefix.parse::<u8>().ok()?),
            ),
            None => (raw.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 client may reach a dual-stack socket as ::ffff:a.b.c.d.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The client's address, worked out by the server from the peer and, when the peer is a
/// trusted proxy, from `X-Forwarded-For`. Put on every request as an extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The host (and scheme, when known) the browser used, as a trusted proxy reports it. The
/// same-origin check compares `Origin` with it instead of `Host`, and addresses the user
/// copies elsewhere (calendar feeds) start with it. Put on the request as an extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedOrigin {
    pub host: String,
    pub https: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::IpNet;

    #[test]
    fn networks_contain_their_addresses_only() {
        let net = IpNet::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        let one = IpNet::parse("192.0.2.7").unwrap();
        assert!(one.contains("192.0.2.7".parse().unwrap()));
        assert!(!one.contains("192.0.2.8".parse().unwrap()));
        assert!(
            IpNet::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        let v6 = IpNet::parse("fd00::/8").unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        for bad in [
            "",
            "10.0.0.0/33",
            "fd00::/129",
            "proxy.example",
            "10.0.0.0/x",
        ] {
            assert_eq!(IpNet::parse(bad), None, "{bad}");
        }
    }
}
