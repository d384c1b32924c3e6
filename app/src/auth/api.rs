//! Server functions of accounts and sessions: check the caller, parse, call the service, map errors.
use super::model::{UserRow, UserView};
use crate::error::AppError;
use crate::organisations::model::OrganisationOption;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod errors {
    use super::super::model::InputError;
    use super::super::service::AuthError;
    use crate::ctx::Ctx;
    use crate::error::AppError;
    use crate::i18n::{Locale, td_string};

    pub fn input(e: InputError, locale: Locale) -> AppError {
        let message = match e {
            InputError::EmailMalformed => td_string!(locale, auth.errors.email_malformed),
            InputError::NameMissing => td_string!(locale, auth.errors.name_missing),
            InputError::NameTooLong => td_string!(locale, auth.errors.name_too_long),
            InputError::PasswordTooShort => td_string!(locale, auth.errors.password_too_short),
            InputError::PasswordTooLong => td_string!(locale, auth.errors.password_too_long),
            InputError::PasswordCommon => td_string!(locale, auth.errors.password_common),
            InputError::PasswordsDiffer => td_string!(locale, auth.errors.passwords_differ),
            InputError::RoleUnknown => td_string!(locale, auth.errors.role_unknown),
            InputError::OrganisationUnknown => td_string!(locale, auth.errors.organisation_unknown),
            InputError::Text(field, t) => return crate::input::text_error(field, t, locale),
        };
        AppError::validation(e.field(), message.to_string())
    }

    pub fn auth(e: AuthError, ctx: &Ctx) -> AppError {
        let locale = ctx.locale;
        match e {
            AuthError::Input(e) => input(e, locale),
            AuthError::EmailTaken => AppError::validation(
                "email",
                td_string!(locale, auth.errors.email_taken).to_string(),
            ),
            AuthError::BadCredentials => AppError::Unauthorized {
                message: td_string!(locale, auth.errors.bad_credentials).to_string(),
            },
            AuthError::Throttled { wait_secs } => AppError::TooManyRequests {
                message: td_string!(locale, auth.errors.throttled, secs = wait_secs).to_string(),
                retry_after_secs: wait_secs,
            },
            AuthError::WrongCurrentPassword => AppError::validation(
                "current",
                td_string!(locale, auth.errors.wrong_current).to_string(),
            ),
            AuthError::UserNotFound => AppError::NotFound {
                message: td_string!(locale, auth.errors.user_not_found).to_string(),
            },
            AuthError::ReferentNeedsMembership => AppError::validation(
                "is_referent",
                td_string!(locale, auth.errors.referent_needs_membership).to_string(),
            ),
            AuthError::LastManager => AppError::Conflict {
                message: td_string!(locale, auth.errors.last_manager).to_string(),
            },
            AuthError::Hashing(cause) => ctx.internal(cause),
            AuthError::Db(cause) => ctx.internal(cause),
        }
    }
}

/// Longer than any page address of the hub; a longer one is not followed.
const MAX_NEXT_LEN: usize = 2_000;

/// A path inside the hub to go to after signing in; anything else means the account page.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.len() <= MAX_NEXT_LEN
        && next.chars().all(|c| c.is_ascii_graphic());
    if local { next } else { "/compte" }
}

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    crate::ctx::ctx()?.user().await
}

#[server(prefix = "/api", endpoint = "auth/sign_up")]
pub async fn sign_up(
    email: String,
    name: String,
    password: String,
    password_confirm: String,
    role: String,
) -> Result<(), AppError> {
    use super::model::{Email, InputError, Password, PersonName, Role};
    use super::service::{self, NewAccount};
    let ctx = crate::ctx::ctx()?;
    let parse = || -> Result<NewAccount, InputError> {
        let role = match Role::from_code(&role) {
            // Nobody makes themselves a manager: an existing manager does that.
            Some(r @ (Role::Tenant | Role::Organiser)) => r,
            _ => return Err(InputError::RoleUnknown),
        };
        Ok(NewAccount {
            email: Email::parse(&email)?,
            name: PersonName::parse(&name)?,
            password: Password::parse_new(&password, &password_confirm)?,
            role,
            language: ctx.locale,
        })
    };
    let account = parse().map_err(|e| errors::input(e, ctx.locale))?;
    service::sign_up(&ctx.db, account, chrono::Utc::now())
        .await
        .map_err(|e| errors::auth(e, &ctx))?;
    leptos_axum::redirect("/connexion?inscrit=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<UserView, AppError> {
    use super::{cookies, service};
    let ctx = crate::ctx::ctx()?;
    let credentials = super::model::Credentials::parse(&email, &password)
        .map_err(|e| errors::input(e, ctx.locale))?;
    let address = ctx.client_address();
    let device = ctx.cookie(cookies::DEVICE_COOKIE);
    let signed_in = service::sign_in_from_device(
        &ctx.db,
        &credentials.email,
        &credentials.password,
        &address,
        device.as_deref(),
        chrono::Utc::now(),
        ctx.config.session_days,
    )
    .await
    .map_err(|e| errors::auth(e, &ctx))?;
    let service::SignedIn {
        token,
        user,
        device_token,
    } = signed_in;
    ctx.set_cookie(&cookies::device_cookie(
        &device_token,
        service::DEVICE_COOKIE_DAYS,
        ctx.config.secure_cookies,
    ));
    // A session token presented with the sign-in is ended: the new one replaces it.
    if let Some(old) = ctx.session_token() {
        service::sign_out(&ctx.db, &old)
            .await
            .map_err(|e| ctx.internal(e))?;
    }
    ctx.set_cookie(&cookies::session_cookie(
        &token,
        ctx.config.session_days,
        ctx.config.secure_cookies,
    ));
    leptos_axum::redirect(safe_next(next.as_deref().unwrap_or_default()));
    Ok(user)
}

#[server(prefix = "/api", endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::{cookies, service};
    let ctx = crate::ctx::ctx()?;
    if let Some(token) = ctx.session_token() {
        service::sign_out(&ctx.db, &token)
            .await
            .map_err(|e| ctx.internal(e))?;
    }
    ctx.set_cookie(&cookies::clear_session_cookie(ctx.config.secure_cookies));
    // A feed address not yet shown is not left for whoever signs in next on this browser.
    ctx.set_cookie(&cookies::clear_new_feed_cookie(ctx.config.secure_cookies));
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/password")]
pub async fn change_password(
    current: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::model::Password;
    use super::service;
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let current = crate::input::secret(&current, crate::input::limits::PASSWORD)
        .map_err(|e| crate::input::text_error("current", e, ctx.locale))?;
    let new_password = Password::parse_new(&password, &password_confirm)
        .map_err(|e| errors::input(e, ctx.locale))?;
    let token = ctx.session_token().unwrap_or_default();
    service::change_password(
        &ctx.db,
        user.id,
        current,
        new_password,
        &token,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| errors::auth(e, &ctx))?;
    leptos_axum::redirect("/compte?mot-de-passe=1");
    Ok(())
}

/// Every user (or those matching `search`), for the managers' users page.
#[server(prefix = "/api", endpoint = "users/list")]
pub async fn list_users(search: String) -> Result<Vec<UserRow>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let search = crate::input::text(&search, crate::input::limits::SEARCH, false)
        .map_err(|e| crate::input::text_error("search", e, ctx.locale))?;
    super::service::list_users(&ctx.db, &search)
        .await
        .map_err(|e| ctx.internal(e))
}

/// The organisations a manager can attach a user to.
#[server(prefix = "/api", endpoint = "organisations/options")]
pub async fn organisation_options() -> Result<Vec<OrganisationOption>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    crate::organisations::service::options(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))
}

/// One user, for the manager's edit page.
#[server(prefix = "/api", endpoint = "users/get")]
pub async fn get_user(id: String) -> Result<UserView, AppError> {
    use super::service::{self, AuthError};
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = id
        .trim()
        .parse::<i32>()
        .map_err(|_| errors::auth(AuthError::UserNotFound, &ctx))?;
    service::get_user(&ctx.db, id)
        .await
        .map_err(|e| errors::auth(e, &ctx))
}

/// A manager changes a user's role, organisation and referent flag.
#[server(prefix = "/api", endpoint = "users/update")]
pub async fn update_user(
    user_id: String,
    role: String,
    organisation_id: String,
    #[server(default)] is_referent: Option<String>,
) -> Result<UserView, AppError> {
    use super::model::{InputError, Role};
    use super::service::{self, UserChange};
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let user_id = user_id
        .trim()
        .parse::<i32>()
        .map_err(|_| errors::auth(service::AuthError::UserNotFound, &ctx))?;
    let role =
        Role::from_code(&role).ok_or_else(|| errors::input(InputError::RoleUnknown, ctx.locale))?;
    let organisation_id = match organisation_id.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i32>()
                .map_err(|_| errors::input(InputError::OrganisationUnknown, ctx.locale))?,
        ),
    };
    let is_referent = is_referent.is_some_and(|v| matches!(v.as_str(), "on" | "true" | "1"));
    let user = service::update_user(
        &ctx.db,
        UserChange {
            user_id,
            role,
            organisation_id,
            is_referent,
        },
    )
    .await
    .map_err(|e| errors::auth(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/utilisateurs?enregistre={}", user.id));
    Ok(user)
}

/// Switches the interface language; the choice is kept in a cookie for a year.
#[server(prefix = "/api", endpoint = "locale")]
pub async fn set_language(locale: String) -> Result<String, AppError> {
    let ctx = crate::ctx::ctx()?;
    let chosen = crate::i18n_util::locale_from_code(&locale)
        .ok_or_else(|| AppError::validation("locale", crate::messages::bad_request(ctx.locale)))?;
    let code = crate::i18n_util::locale_code(chosen);
    // A signed-in user's choice also follows them to their calendar feeds.
    if let Some(user) = ctx.user().await? {
        super::service::set_language(&ctx.db, user.id, chosen)
            .await
            .map_err(|e| ctx.internal(e))?;
    }
    ctx.set_cookie(&super::cookies::locale_cookie(
        code,
        ctx.config.secure_cookies,
    ));
    Ok(code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/espaces?kind=hall"), "/espaces?kind=hall");
        for outside in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "",
            "/é",
            "/a b",
        ] {
            assert_eq!(safe_next(outside), "/compte", "{outside}");
        }
        let longest = format!("/{}", "a".repeat(1_999));
        assert_eq!(safe_next(&longest), longest);
        assert_eq!(safe_next(&format!("{longest}a")), "/compte");
    }
}
