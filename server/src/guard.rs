//! Request guards: no state change from another site, and honest HTTP statuses for API errors.
use crate::net::ForwardedOrigin;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coopole_app::error::AppError;

/// The header server functions put on error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// Whether a request that changes state comes from our own pages.
///
/// Browsers say where a request comes from: `Sec-Fetch-Site` (recent browsers) and
/// `Origin` (every POST). A request from another site is refused; a request that carries
/// neither header (a command-line client) is not a browser acting for someone else.
/// Behind a trusted proxy, `Origin` is compared with the host (and scheme) the proxy forwards.
pub fn is_same_origin(headers: &HeaderMap, forwarded: Option<&ForwardedOrigin>) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let (scheme, origin_host) = origin.split_once("://").unwrap_or(("", ""));
    let host = match forwarded {
        Some(f) => {
            if f.https
                .is_some_and(|https| https != scheme.eq_ignore_ascii_case("https"))
            {
                return false;
            }
            f.host.as_str()
        }
        None => headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    };
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

pub async fn same_origin(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe
        && !is_same_origin(
            request.headers(),
            request.extensions().get::<ForwardedOrigin>(),
        )
    {
        tracing::warn!(uri = %request.uri(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Requête refusée : elle vient d'un autre site. / Request refused: it comes from another site.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Server functions answer every error with 500. This gives the status the error deserves
/// (400 for bad input, 401, 403, 404, 409, 429), read from the error itself.
pub async fn api_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::TooManyRequests {
            retry_after_secs, ..
        } = error
            && let Ok(v) = retry_after_secs.to_string().parse()
        {
            parts.headers.insert(header::RETRY_AFTER, v);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn same(h: &HeaderMap) -> bool {
        is_same_origin(h, None)
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn our_own_pages_may_post() {
        assert!(same(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(same(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(same(&headers(&[("host", "127.0.0.1:3000")])));
    }

    #[test]
    fn other_sites_may_not() {
        assert!(!same(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000.evil.example")
        ])));
        assert!(!same(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!same(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "null")
        ])));
    }

    #[test]
    fn behind_a_proxy_the_forwarded_host_is_ours() {
        let forwarded = ForwardedOrigin {
            host: "hub.example".into(),
            https: Some(true),
        };
        let h = headers(&[("host", "10.0.0.5:3000"), ("origin", "https://hub.example")]);
        assert!(!is_same_origin(&h, None));
        assert!(is_same_origin(&h, Some(&forwarded)));
        let plain = headers(&[("host", "10.0.0.5:3000"), ("origin", "http://hub.example")]);
        assert!(!is_same_origin(&plain, Some(&forwarded)));
        let other = headers(&[
            ("host", "10.0.0.5:3000"),
            ("origin", "https://evil.example"),
        ]);
        assert!(!is_same_origin(&other, Some(&forwarded)));
    }
}
