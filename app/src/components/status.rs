use crate::error::AppError;
use crate::i18n::{Locale, t, use_i18n};
use leptos::prelude::*;

/// Sets the HTTP status of a server-rendered page (a 404 must say 404, not 200).
#[component]
pub fn StatusCode(code: u16) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let (Some(res), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(code),
        ) {
            res.set_status(status);
        }
    }
    let _ = code;
}

/// A page-level error: its message, and the matching HTTP status on the server.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let sign_in = matches!(error, AppError::Unauthorized { .. });
    view! {
        <StatusCode code=error.status()/>
        <div class="panel error-panel" role="alert">
            <p>{error.message().to_owned()}</p>
            {sign_in.then(|| view! { <p><a href="/connexion">{t!(i18n, nav.sign_in)}</a></p> })}
        </div>
    }
}

/// What a resource shows once loaded: `then` of its value, or its error. The pattern of
/// every page that reads from the server.
#[component]
pub fn Loaded<T, F, V>(resource: Resource<Result<T, AppError>>, then: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || {
                let then = then.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => leptos::either::Either::Left(then(value)),
                        Err(error) => leptos::either::Either::Right(view! { <ErrorPanel error/> }),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" aria-live="polite">{t!(i18n, common.loading)}</p> }
}

/// The page's title in the user's language, as plain text: a title that reads signals can be
/// read after the request's reactive arena is gone, which panics under load.
#[component]
pub fn PageTitle(text: fn(Locale) -> String) -> impl IntoView {
    let i18n = use_i18n();
    view! { <leptos_meta::Title text=text(i18n.get_locale_untracked())/> }
}
