//! Shared UI: form fields that show their error, page-level messages.
mod forms;
mod status;

pub use forms::{Field, FormError, SelectField, Submit, action_error};
pub use status::{ErrorPanel, Loaded, Loading, PageTitle, StatusCode};

/// A translated string as a reactive signal, for props and attributes.
#[macro_export]
macro_rules! tr {
    ($i18n:ident, $($key:tt)+) => {
        ::leptos::prelude::Signal::derive(move || $crate::i18n::t_string!($i18n, $($key)+).to_string())
    };
}
