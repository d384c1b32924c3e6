//! Who the client is and which address they typed, behind reverse proxies we trust.
//!
//! The peer of the TCP connection is the client, unless it is one of `COOPOLE_TRUSTED_PROXIES`.
//! Then, and only then, its `Forwarded` header (or else `X-Forwarded-For`, `-Host`, `-Proto`)
//! says who it forwards for: the client is the rightmost address of the chain that is not a
//! trusted proxy, since every hop appends the address it saw and only our own proxies are
//! honest about it. Anyone else's forwarding headers are ignored.
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use coopole_app::state::{ClientAddr, IpNet};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

pub use coopole_app::state::ForwardedOrigin;

/// What a chain of proxies says about a request.
#[derive(Debug, Default, PartialEq, Eq)]
struct Forwarding {
    /// Every `for` address, leftmost (the first hop) first; `None` for one that is not an IP.
    chain: Vec<Option<IpAddr>>,
    host: Option<String>,
    proto: Option<String>,
}

fn is_trusted(trusted: &[IpNet], ip: IpAddr) -> bool {
    trusted.iter().any(|net| net.contains(ip))
}

/// An address as proxies write it: `192.0.2.7`, `192.0.2.7:4711`, `[2001:db8::1]:4711`, `2001:db8::1`.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim().trim_matches('"');
    if let Some(rest) = raw.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    raw.parse::<IpAddr>()
        .ok()
        .or_else(|| raw.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

fn header_values<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// RFC 7239 `Forwarded` when present, else the `X-Forwarded-*` headers.
fn forwarding(headers: &HeaderMap) -> Forwarding {
    let mut found = Forwarding::default();
    if headers.contains_key("forwarded") {
        for element in header_values(headers, "forwarded") {
            for pair in element.split(';') {
                let Some((key, value)) = pair.split_once('=') else {
                    continue;
                };
                let value = value.trim().trim_matches('"');
                match key.trim().to_ascii_lowercase().as_str() {
                    "for" => found.chain.push(parse_node(value)),
                    "host" => found.host = Some(value.to_owned()),
                    "proto" => found.proto = Some(value.to_ascii_lowercase()),
                    _ => {}
                }
            }
        }
        return found;
    }
    found.chain = header_values(headers, "x-forwarded-for")
        .map(parse_node)
        .collect();
    // The last value is the one our own proxy, the nearest hop, wrote.
    found.host = header_values(headers, "x-forwarded-host")
        .last()
        .map(str::to_owned);
    found.proto = header_values(headers, "x-forwarded-proto")
        .last()
        .map(str::to_ascii_lowercase);
    found
}

/// The client's address and, from a trusted proxy, the origin the browser used.
pub fn client_of(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
) -> (IpAddr, Option<ForwardedOrigin>) {
    if !is_trusted(trusted, peer) {
        return (peer, None);
    }
    let forwarded = forwarding(headers);
    let mut client = peer;
    for hop in forwarded.chain.iter().rev() {
        match hop {
            Some(ip) if is_trusted(trusted, *ip) => client = *ip,
            Some(ip) => {
                client = *ip;
                break;
            }
            // A hop that is not an address: stop at the last one we could trust.
            None => break,
        }
    }
    let origin = forwarded.host.map(|host| ForwardedOrigin {
        host,
        https: forwarded.proto.map(|p| p == "https"),
    });
    (client, origin)
}

/// Puts a [`ClientAddr`] (and, behind a trusted proxy, a [`ForwardedOrigin`]) on every request.
pub async fn client_addr(
    State(trusted): State<Arc<[IpNet]>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let (client, origin) = client_of(peer, request.headers(), &trusted);
        request.extensions_mut().insert(ClientAddr(client));
        if let Some(origin) = origin {
            request.extensions_mut().insert(origin);
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> Vec<IpNet> {
        ["10.0.0.2", "172.16.0.0/12"]
            .iter()
            .map(|s| IpNet::parse(s).unwrap())
            .collect()
    }

    #[test]
    fn forwarding_headers_from_strangers_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("x-forwarded-host", "hub.example"),
        ]);
        assert_eq!(
            client_of(ip("203.0.113.9"), &h, &proxies()),
            (ip("203.0.113.9"), None)
        );
        assert_eq!(client_of(ip("10.0.0.2"), &h, &[]), (ip("10.0.0.2"), None));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        // The client forged the first entry; our two proxies appended the rest.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6, 198.51.100.1"),
            ("x-forwarded-for", "172.16.5.5"),
            ("x-forwarded-host", "evil.example, hub.example"),
            ("x-forwarded-proto", "https"),
        ]);
        let (client, origin) = client_of(ip("10.0.0.2"), &h, &proxies());
        assert_eq!(client, ip("198.51.100.1"));
        assert_eq!(
            origin,
            Some(ForwardedOrigin {
                host: "hub.example".into(),
                https: Some(true)
            })
        );
    }

    #[test]
    fn a_trusted_peer_without_headers_is_the_client() {
        assert_eq!(
            client_of(ip("10.0.0.2"), &HeaderMap::new(), &proxies()),
            (ip("10.0.0.2"), None)
        );
        let garbage = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(
            client_of(ip("10.0.0.2"), &garbage, &proxies()).0,
            ip("10.0.0.2")
        );
    }

    #[test]
    fn the_standard_forwarded_header_is_understood() {
        let h = headers(&[(
            "forwarded",
            r#"for="[2001:db8:cafe::17]:4711";proto=https;host=hub.example, for=172.16.0.9"#,
        )]);
        let (client, origin) = client_of(ip("10.0.0.2"), &h, &proxies());
        assert_eq!(client, ip("2001:db8:cafe::17"));
        assert_eq!(origin.unwrap().host, "hub.example");
        assert_eq!(parse_node("192.0.2.7:80"), Some(ip("192.0.2.7")));
        assert_eq!(parse_node("unknown"), None);
    }
}
