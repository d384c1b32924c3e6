//! Accounts, passwords and sessions. The only auth code that touches the database.
use super::model::{
    Email, InputError, OrganisationRef, Password, PersonName, Role, UserRow, UserView,
};
use super::rules::{ThrottlePolicy, ThrottleScope, ThrottleState};
use crate::db::{begin_write, is_conflict};
use crate::entities::{device_cookie, login_throttle, organisation, session, user};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("invalid input: {0:?}")]
    Input(InputError),
    #[error("e-mail already registered")]
    EmailTaken,
    /// Unknown e-mail or wrong password: deliberately the same error.
    #[error("bad credentials")]
    BadCredentials,
    #[error("too many failed sign-ins, wait {wait_secs} s")]
    Throttled { wait_secs: u64 },
    #[error("current password is wrong")]
    WrongCurrentPassword,
    #[error("no such user")]
    UserNotFound,
    #[error("a referent must belong to an organisation, as a tenant member")]
    ReferentNeedsMembership,
    #[error("the hub must keep at least one manager")]
    LastManager,
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<InputError> for AuthError {
    fn from(e: InputError) -> Self {
        AuthError::Input(e)
    }
}

/// A validated sign-up form.
#[derive(Debug)]
pub struct NewAccount {
    pub email: Email,
    pub name: PersonName,
    pub password: Password,
    pub role: Role,
    /// The language the form was filled in, which the account keeps.
    pub language: crate::i18n::Locale,
}

// ---------------------------------------------------------------------------------------------
// Passwords: argon2id with the crate's defaults (OWASP: m = 19 MiB, t = 2, p = 1), on the
// blocking pool so that a hash never stalls the async workers, and never more at once than the
// machine has cores: each hash holds 19 MiB, and a burst of sign-ups would otherwise run one
// per blocking thread (up to 512) and exhaust memory without finishing any sooner.

/// How many hashes run at once: one per core.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        tokio::sync::Semaphore::new(cores)
    })
}

/// Runs one argon2 computation on the blocking pool once a hashing slot is free.
async fn with_hashing_slot<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AuthError> {
    // The semaphore is never closed, so acquiring only waits.
    let _slot = hashing_slots()
        .acquire()
        .await
        .map_err(|e| AuthError::Hashing(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AuthError::Hashing(e.to_string()))
}

async fn hash_password(password: &Password) -> Result<String, AuthError> {
    let plain = password.expose().to_owned();
    with_hashing_slot(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(plain.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AuthError::Hashing(e.to_string()))
    })
    .await?
}

async fn verify_password(hash: String, candidate: String) -> bool {
    with_hashing_slot(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, verified against when the e-mail is unknown, so that an
/// unknown account costs as much time as a known one.
async fn decoy_hash() -> String {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DECOY.get() {
        return hash.clone();
    }
    let random = new_secret();
    let hash = match Password::parse(&random) {
        Ok(p) => hash_password(&p).await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    DECOY.get_or_init(|| hash).clone()
}

// ---------------------------------------------------------------------------------------------
// Sessions: a 256-bit random token in the cookie, its SHA-256 in the database.

/// A 256-bit random secret, URL-safe: session tokens and calendar-feed addresses.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Starts a session for `user_id` and returns the token to put in the cookie.
pub async fn create_session(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
    days: i64,
) -> Result<String, DbErr> {
    let token = new_secret();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(days)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user a session token belongs to, if the session exists and has not expired.
/// The signed-in user of a plain HTTP request (outside the server functions), from its session
/// cookie; `None` for a visitor, or when the session cannot be read (logged).
pub async fn signed_in(
    db: &DatabaseConnection,
    headers: &http::HeaderMap,
    now: DateTime<Utc>,
) -> Option<crate::auth::model::UserView> {
    let token = super::cookies::read_cookie(headers, super::cookies::SESSION_COOKIE)?;
    match user_for_token(db, &token, now).await {
        Ok(user) => user,
        Err(e) => {
            tracing::warn!(error = %e, "session of a plain HTTP request");
            None
        }
    }
}

pub async fn user_for_token(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserView>, DbErr> {
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .filter(session::Column::ExpiresAt.gt(now))
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    match found {
        Some((_, Some(user))) => Ok(Some(user_view(db, user).await?)),
        _ => Ok(None),
    }
}

/// Ends the session whose cookie carries `token`.
pub async fn sign_out(db: &DatabaseConnection, token: &str) -> Result<(), DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

async fn user_view(db: &impl ConnectionTrait, user: user::Model) -> Result<UserView, DbErr> {
    let organisation = match user.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| OrganisationRef {
                id: o.id,
                name: o.name,
            }),
        None => None,
    };
    Ok(to_view(user, organisation))
}

fn to_view(user: user::Model, organisation: Option<OrganisationRef>) -> UserView {
    UserView {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        organisation,
        is_referent: user.is_referent,
        locale: crate::i18n_util::locale_from_code(&user.language).unwrap_or_default(),
    }
}

/// Keeps the language a signed-in user chose, for what Coopole writes for them outside a page.
pub async fn set_language(
    db: &DatabaseConnection,
    user_id: i32,
    locale: crate::i18n::Locale,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::Language,
            sea_orm::sea_query::Expr::value(crate::i18n_util::locale_code(locale)),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Accounts.

/// Creates an account. Signing up never signs in: the new user signs in next.
pub async fn sign_up(
    db: &DatabaseConnection,
    account: NewAccount,
    now: DateTime<Utc>,
) -> Result<i32, AuthError> {
    if email_taken(db, &account.email).await? {
        return Err(AuthError::EmailTaken);
    }
    let account = hash_account(account).await?;
    insert_account(db, account, now).await
}

/// A sign-up form whose password is hashed, ready to be written.
#[derive(Debug)]
pub struct HashedAccount {
    email: Email,
    name: PersonName,
    password_hash: String,
    role: Role,
    language: crate::i18n::Locale,
}

/// Hashes the account's password, before any write transaction opens: the write lock is
/// never held for the length of a hash.
pub async fn hash_account(account: NewAccount) -> Result<HashedAccount, AuthError> {
    let password_hash = hash_password(&account.password).await?;
    Ok(HashedAccount {
        email: account.email,
        name: account.name,
        password_hash,
        role: account.role,
        language: account.language,
    })
}

async fn email_taken(db: &impl ConnectionTrait, email: &Email) -> Result<bool, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// Writes a new account, in the caller's transaction when it has one.
pub async fn insert_account(
    db: &impl ConnectionTrait,
    account: HashedAccount,
    now: DateTime<Utc>,
) -> Result<i32, AuthError> {
    if email_taken(db, &account.email).await? {
        return Err(AuthError::EmailTaken);
    }
    let inserted = user::ActiveModel {
        email: Set(account.email.as_str().to_owned()),
        name: Set(account.name.as_str().to_owned()),
        password_hash: Set(account.password_hash),
        role: Set(account.role),
        organisation_id: Set(None),
        is_referent: Set(false),
        created_at: Set(now),
        password_changed_at: Set(now),
        language: Set(crate::i18n_util::locale_code(account.language).to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(model) => Ok(model.id),
        // Two sign-ups with one address at the same moment: the index lets one through.
        Err(e) if is_conflict(&e) => Err(AuthError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

/// A successful sign-in: the session token, the user, and the device cookie to give the
/// browser (a new one, or the one it presented).
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user: UserView,
    pub device_token: String,
}

/// How long a browser stays known to an account after its last sign-in there.
pub const DEVICE_COOKIE_DAYS: i64 = 365;

/// Checks an e-mail and password and, if they match, starts a session.
///
/// Every attempt is counted before the password is looked at, in one write transaction that
/// also reads the wait, so a parallel burst cannot slip past the count. A browser that presents
/// a valid device cookie for this account (it signed in here before) is counted against that
/// cookie only; any other attempt counts against the account and the client address. So an
/// attacker who keeps failing locks out the account for browsers it has never seen, not for its
/// owner's.
pub async fn sign_in(
    db: &DatabaseConnection,
    email_raw: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
    session_days: i64,
) -> Result<(String, UserView), AuthError> {
    sign_in_from_device(db, email_raw, password, address, None, now, session_days)
        .await
        .map(|s| (s.token, s.user))
}

/// `sign_in`, for a browser that may carry a device cookie (`device_token`).
pub async fn sign_in_from_device(
    db: &DatabaseConnection,
    email_raw: &str,
    password: &str,
    address: &str,
    device_token: Option<&str>,
    now: DateTime<Utc>,
    session_days: i64,
) -> Result<SignedIn, AuthError> {
    let found = match Email::parse(email_raw) {
        Ok(email) => find_by_email(db, &email).await?,
        Err(_) => None,
    };
    let device = match (device_token, &found) {
        (Some(token), Some(user)) => device_cookie_of(db, token, user.id, now).await?,
        _ => None,
    };
    let account_key = throttle_key(&email_raw.trim().to_lowercase());
    let address_key = throttle_key(address);
    let scopes: Vec<(ThrottleScope, String)> = match &device {
        Some(hash) => vec![(ThrottleScope::Device, hash.clone())],
        None => vec![
            (ThrottleScope::Account, account_key),
            (ThrottleScope::Address, address_key),
        ],
    };

    let wait = count_attempt(db, &scopes, now).await?;
    if wait > 0 {
        return Err(AuthError::Throttled { wait_secs: wait });
    }

    let hash = match &found {
        Some(u) => u.password_hash.clone(),
        None => decoy_hash().await,
    };
    let matches = verify_password(hash, password.to_owned()).await && found.is_some();
    let Some(user) = found.filter(|_| matches) else {
        return Err(AuthError::BadCredentials);
    };

    let txn = begin_write(db).await?;
    for (scope, key) in &scopes {
        match scope {
            // The owner got in: the run of failures on this account or device is over.
            ThrottleScope::Account | ThrottleScope::Device => {
                clear_throttle(&txn, *scope, key).await?
            }
            // An address may be shared with others' failures: only this attempt is taken back.
            ThrottleScope::Address => refund_attempt(&txn, *scope, key).await?,
        }
    }
    let device_token = match (device, device_token) {
        (Some(hash), Some(token)) => {
            device_cookie::Entity::update_many()
                .col_expr(
                    device_cookie::Column::ExpiresAt,
                    Expr::value(now + Duration::days(DEVICE_COOKIE_DAYS)),
                )
                .filter(device_cookie::Column::TokenHash.eq(hash))
                .exec(&txn)
                .await?;
            token.to_owned()
        }
        _ => {
            let token = new_secret();
            device_cookie::ActiveModel {
                token_hash: Set(token_hash(&token)),
                user_id: Set(user.id),
                created_at: Set(now),
                expires_at: Set(now + Duration::days(DEVICE_COOKIE_DAYS)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            token
        }
    };
    let token = create_session(&txn, user.id, now, session_days).await?;
    let user = user_view(&txn, user).await?;
    txn.commit().await?;
    Ok(SignedIn {
        token,
        user,
        device_token,
    })
}

/// The hash of `token` if it is an unexpired device cookie of `user_id`.
async fn device_cookie_of(
    db: &impl ConnectionTrait,
    token: &str,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let hash = token_hash(token);
    let row = device_cookie::Entity::find()
        .filter(device_cookie::Column::TokenHash.eq(hash.as_str()))
        .filter(device_cookie::Column::UserId.eq(user_id))
        .filter(device_cookie::Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    Ok(row.map(|_| hash))
}

/// A throttle key that fits its column: a long one (an e-mail of 100,000 characters) is
/// replaced by its hash.
fn throttle_key(raw: &str) -> String {
    if raw.chars().count() <= 200 {
        raw.to_owned()
    } else {
        format!("sha256:{}", token_hash(raw))
    }
}

/// Counts one attempt against every scope and returns how long the caller must still wait
/// (0: the attempt may go on to the password check). The read of the wait and the count are
/// one step: the rows are locked (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE`
/// holds the whole database) from the read until the commit. A refused attempt counts too, so
/// that every try of a burst is on record and keeps the account closed to strangers.
async fn count_attempt(
    db: &DatabaseConnection,
    scopes: &[(ThrottleScope, String)],
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let txn = begin_write(db).await?;
    let mut wait = 0;
    for (scope, key) in scopes {
        // Make sure the row exists, so that there is a row to lock: two first attempts at
        // once would otherwise both insert, and one count would be lost.
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            scope: Set(scope.code().to_owned()),
            key: Set(key.clone()),
            failures: Set(0),
            last_failure_at: Set(now),
            blocked_until: Set(None),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([login_throttle::Column::Scope, login_throttle::Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(&txn)
        .await?;
        let row = login_throttle::Entity::find()
            .filter(login_throttle::Column::Scope.eq(scope.code()))
            .filter(login_throttle::Column::Key.eq(key.as_str()))
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("login throttle row".to_owned()))?;
        let previous = ThrottleState {
            failures: u32::try_from(row.failures).unwrap_or(0),
            last_failure_at: row.last_failure_at,
            blocked_until: row.blocked_until,
        };
        let policy = ThrottlePolicy::policy_for(*scope);
        if let Some(secs) = policy.wait_secs(Some(&previous), now) {
            wait = wait.max(secs);
        }
        let next = policy.after_failure(Some(&previous), now);
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::Failures,
                Expr::value(i32::try_from(next.failures).unwrap_or(i32::MAX)),
            )
            .col_expr(
                login_throttle::Column::LastFailureAt,
                Expr::value(next.last_failure_at),
            )
            .col_expr(
                login_throttle::Column::BlockedUntil,
                Expr::value(next.blocked_until),
            )
            .filter(login_throttle::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(wait)
}

/// Takes back one counted attempt that turned out to be right.
async fn refund_attempt(
    txn: &DatabaseTransaction,
    scope: ThrottleScope,
    key: &str,
) -> Result<(), DbErr> {
    let Some(row) = login_throttle::Entity::find()
        .filter(login_throttle::Column::Scope.eq(scope.code()))
        .filter(login_throttle::Column::Key.eq(key))
        .lock_exclusive()
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let failures = u32::try_from(row.failures).unwrap_or(0).saturating_sub(1);
    let blocked_until =
        ThrottlePolicy::policy_for(scope).blocked_until(failures, row.last_failure_at);
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            Expr::value(i32::try_from(failures).unwrap_or(i32::MAX)),
        )
        .col_expr(
            login_throttle::Column::BlockedUntil,
            Expr::value(blocked_until),
        )
        .filter(login_throttle::Column::Id.eq(row.id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn clear_throttle(
    db: &impl ConnectionTrait,
    scope: ThrottleScope,
    key: &str,
) -> Result<(), DbErr> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Scope.eq(scope.code()))
        .filter(login_throttle::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes throttle rows whose run of failures is forgotten and whose wait is over, and
/// device cookies past their expiry. Run by the hourly purge.
pub async fn purge_sign_in_records(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let forgotten = now - Duration::seconds(ThrottlePolicy::longest_memory_secs());
    let throttles = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::LastFailureAt.lte(forgotten))
        .filter(
            Condition::any()
                .add(login_throttle::Column::BlockedUntil.is_null())
                .add(login_throttle::Column::BlockedUntil.lte(now)),
        )
        .exec(db)
        .await?;
    let devices = device_cookie::Entity::delete_many()
        .filter(device_cookie::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(throttles.rows_affected + devices.rows_affected)
}

/// Changes a password after checking the current one, and signs out every other session.
pub async fn change_password(
    db: &DatabaseConnection,
    user_id: i32,
    current: &str,
    new_password: Password,
    keep_token: &str,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AuthError::UserNotFound)?;
    if !verify_password(user.password_hash.clone(), current.to_owned()).await {
        return Err(AuthError::WrongCurrentPassword);
    }
    let hash = hash_password(&new_password).await?;
    let txn = begin_write(db).await?;
    let mut active: user::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(now);
    active.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::TokenHash.ne(token_hash(keep_token)))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Managing users (hub managers only; the API checks that).

/// Users whose name or e-mail contains `search` (all users when it is empty), by name.
pub async fn list_users(db: &DatabaseConnection, search: &str) -> Result<Vec<UserRow>, DbErr> {
    use sea_orm::ExprTrait;
    let mut query = user::Entity::find()
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id);
    let search = search.trim().to_lowercase();
    if !search.is_empty() {
        let pattern = format!(
            "%{}%",
            search
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query = query.filter(
            Condition::any()
                .add(
                    Expr::expr(sea_orm::sea_query::Func::lower(Expr::col((
                        user::Entity,
                        user::Column::Name,
                    ))))
                    .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\')),
                )
                .add(
                    user::Column::Email
                        .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
                ),
        );
    }
    let rows = query
        .find_also_related(organisation::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(u, org)| {
            let created_on = u.created_at.date_naive();
            let org = org.map(|o| OrganisationRef {
                id: o.id,
                name: o.name,
            });
            UserRow {
                user: to_view(u, org),
                created_on,
            }
        })
        .collect())
}

/// One user with their organisation.
pub async fn get_user(db: &DatabaseConnection, id: i32) -> Result<UserView, AuthError> {
    let user = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AuthError::UserNotFound)?;
    Ok(user_view(db, user).await?)
}

/// What a manager may change about a user.
#[derive(Debug, Clone, Copy)]
pub struct UserChange {
    pub user_id: i32,
    pub role: Role,
    pub organisation_id: Option<i32>,
    pub is_referent: bool,
}

/// Applies a manager's change. Making someone referent takes the role from whoever had it
/// in that organisation, in the same transaction (the database allows one referent).
pub async fn update_user(
    db: &DatabaseConnection,
    change: UserChange,
) -> Result<UserView, AuthError> {
    if change.is_referent && (change.organisation_id.is_none() || change.role != Role::Tenant) {
        return Err(AuthError::ReferentNeedsMembership);
    }
    let txn = begin_write(db).await?;
    let user = user::Entity::find_by_id(change.user_id)
        .one(&txn)
        .await?
        .ok_or(AuthError::UserNotFound)?;
    if let Some(org_id) = change.organisation_id
        && organisation::Entity::find_by_id(org_id)
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(AuthError::Input(InputError::OrganisationUnknown));
    }
    if user.role == Role::Manager && change.role != Role::Manager {
        let managers = user::Entity::find()
            .filter(user::Column::Role.eq(Role::Manager))
            .all(&txn)
            .await?;
        if managers.len() <= 1 {
            return Err(AuthError::LastManager);
        }
    }
    if change.is_referent {
        user::Entity::update_many()
            .col_expr(user::Column::IsReferent, Expr::value(false))
            .filter(user::Column::OrganisationId.eq(change.organisation_id))
            .filter(user::Column::Id.ne(change.user_id))
            .exec(&txn)
            .await?;
    }
    let mut active: user::ActiveModel = user.into();
    active.role = Set(change.role);
    active.organisation_id = Set(change.organisation_id);
    active.is_referent = Set(change.is_referent);
    let updated = active.update(&txn).await?;
    let view = user_view(&txn, updated).await?;
    txn.commit().await?;
    Ok(view)
}

/// Removes expired sessions; run at start-up and then now and then.
pub async fn purge_expired_sessions(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let res = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Used by tests and by the demo seed: a user by e-mail.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await
}

/// Hashes a password for the demo seed, which creates accounts without the sign-up form.
pub async fn hash_for_seed(password: &Password) -> Result<String, AuthError> {
    hash_password(password).await
}
