//! Messages shared by every domain, in the user's language.
use crate::i18n::{Locale, td_string};

pub fn internal(locale: Locale) -> String {
    td_string!(locale, errors.internal).to_string()
}

pub fn network(locale: Locale) -> String {
    td_string!(locale, errors.network).to_string()
}

pub fn bad_request(locale: Locale) -> String {
    td_string!(locale, errors.bad_request).to_string()
}

pub fn unauthorized(locale: Locale) -> String {
    td_string!(locale, errors.unauthorized).to_string()
}

pub fn forbidden(locale: Locale) -> String {
    td_string!(locale, errors.forbidden).to_string()
}
