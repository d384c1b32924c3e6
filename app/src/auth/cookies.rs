//! Reading and writing the hub's cookies (with the `cookie` crate rather than by hand).
use cookie::{Cookie, SameSite};
use http::HeaderMap;

/// The session cookie. Its value is a random token; the server keeps only its hash.
pub const SESSION_COOKIE: &str = "coopole_session";

/// The device cookie: a browser that has signed in to an account before (see
/// `service::sign_in_from_device`). Random, kept hashed on the server, and kept after sign-out.
pub const DEVICE_COOKIE: &str = "coopole_device";

/// The value of cookie `name` in the request, if present.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// `Set-Cookie` for a new session: HttpOnly (scripts cannot read it), SameSite=Lax (other
/// sites cannot post with it), Secure when the hub is served over HTTPS.
pub fn session_cookie(token: &str, days: i64, secure: bool) -> String {
    Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::days(days))
        .build()
        .to_string()
}

/// `Set-Cookie` for the device cookie: like the session cookie, but for a year, and only sent
/// to the sign-in function, which is the only reader.
pub fn device_cookie(token: &str, days: i64, secure: bool) -> String {
    Cookie::build((DEVICE_COOKIE, token.to_owned()))
        .path("/api/auth/sign_in")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::days(days))
        .build()
        .to_string()
}

/// `Set-Cookie` that removes the session cookie from the browser.
pub fn clear_session_cookie(secure: bool) -> String {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// `Set-Cookie` for the chosen language; readable by scripts, since the page switches
/// language in place once it has loaded.
pub fn locale_cookie(code: &str, secure: bool) -> String {
    Cookie::build((crate::i18n_util::LOCALE_COOKIE, code.to_owned()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::days(365))
        .build()
        .to_string()
}

/// The address of a calendar feed just made, for the page its form returns to. The page shows
/// it once and removes the cookie. A cookie rather than the address bar, so that the secret
/// stays out of the browser's history and the server's logs.
pub const NEW_FEED_COOKIE: &str = "coopole_new_feed";

pub fn new_feed_cookie(path: &str, secure: bool) -> String {
    new_feed(path, secure, cookie::time::Duration::minutes(5))
}

pub fn clear_new_feed_cookie(secure: bool) -> String {
    new_feed("", secure, cookie::time::Duration::ZERO)
}

fn new_feed(value: &str, secure: bool, max_age: cookie::time::Duration) -> String {
    Cookie::build((NEW_FEED_COOKIE, value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(max_age)
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            http::header::COOKIE,
            HeaderValue::from_static("a=1; coopole_session=abc"),
        );
        headers.append(
            http::header::COOKIE,
            HeaderValue::from_static("i18n_pref_locale=en"),
        );
        assert_eq!(
            read_cookie(&headers, SESSION_COOKIE).as_deref(),
            Some("abc")
        );
        assert_eq!(
            read_cookie(&headers, "i18n_pref_locale").as_deref(),
            Some("en")
        );
        assert_eq!(read_cookie(&headers, "missing"), None);
    }

    #[test]
    fn the_session_cookie_is_locked_down() {
        let set = session_cookie("tok", 30, true);
        for part in [
            "coopole_session=tok",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=2592000",
        ] {
            assert!(set.contains(part), "{set} lacks {part}");
        }
        assert!(!session_cookie("tok", 30, false).contains("Secure"));
        assert!(clear_session_cookie(false).contains("Max-Age=0"));
        let device = device_cookie("dev", 365, true);
        for part in [
            "coopole_device=dev",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/api/auth/sign_in",
        ] {
            assert!(device.contains(part), "{device} lacks {part}");
        }
    }
}
