//! Which language the current request or page speaks.
use crate::i18n::Locale;

/// The cookie leptos_i18n reads and writes for the chosen language.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// Parses the value of the language cookie. Anything unknown means French, the hub's language.
pub fn locale_from_code(code: &str) -> Option<Locale> {
    match code.trim() {
        "fr" => Some(Locale::fr),
        "en" => Some(Locale::en),
        _ => None,
    }
}

pub fn locale_code(locale: Locale) -> &'static str {
    match locale {
        Locale::fr => "fr",
        Locale::en => "en",
    }
}

/// A locale as its code ("fr", "en") in serialised data; an unknown code reads as French.
pub mod locale_serde {
    use crate::i18n::Locale;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(locale: &Locale, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::locale_code(*locale))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Locale, D::Error> {
        let code = String::deserialize(d)?;
        Ok(super::locale_from_code(&code).unwrap_or_default())
    }
}

/// The language of whatever is running now: on the server, the request's language cookie;
/// in the browser, the page's i18n context. French when nothing says otherwise.
pub fn ambient_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| locale_from_headers(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::use_context::<leptos_i18n::I18nContext<Locale>>()
            .map(|i18n| i18n.get_locale_untracked())
            .unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
pub fn locale_from_headers(headers: &http::HeaderMap) -> Option<Locale> {
    crate::auth::cookies::read_cookie(headers, LOCALE_COOKIE).and_then(|v| locale_from_code(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_is_the_default_and_codes_round_trip() {
        assert_eq!(Locale::default(), Locale::fr);
        for locale in [Locale::fr, Locale::en] {
            assert_eq!(locale_from_code(locale_code(locale)), Some(locale));
        }
        assert_eq!(locale_from_code("de"), None);
    }
}
