use coopole_app::auth::model::{Email, Password, Role};
use coopole_app::entities::user;
use coopole_app::state::{AppConfig, AppState};
use coopole_migrations::{Migrator, MigratorTrait};
use reqwest::header::{HeaderMap, HeaderValue};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set,
};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A hub running on a fresh database, with an HTTP client that keeps cookies.
pub struct TestApp {
    pub addr: SocketAddr,
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    _dir: Option<tempfile::TempDir>,
}

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// Which backend this run tests.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

/// A fresh, migrated database: a temporary SQLite file, or a new PostgreSQL database.
pub async fn fresh_database() -> (DatabaseConnection, Option<tempfile::TempDir>) {
    match postgres_url() {
        Some(admin_url) => {
            let admin = coopole_app::db::connect(&admin_url, 2)
                .await
                .expect("connect to the PostgreSQL server");
            let name = format!(
                "coopole_test_{}_{}_{}",
                std::process::id(),
                DATABASES.fetch_add(1, Ordering::SeqCst),
                chrono::Utc::now().timestamp_micros()
            );
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("a database URL ends with /name");
            let db = coopole_app::db::connect(&format!("{base}/{name}"), 20)
                .await
                .expect("connect to test database");
            Migrator::up(&db, None).await.expect("migrate");
            (db, None)
        }
        None => {
            let dir = tempfile::tempdir().expect("temporary folder");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            let db = coopole_app::db::connect(&url, 8)
                .await
                .expect("open SQLite");
            Migrator::up(&db, None).await.expect("migrate");
            (db, Some(dir))
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppConfig::default()).await
}

/// `spawn_app` with settings of the test's choosing (trusted proxies, rate limit, HTTPS).
pub async fn spawn_app_with(config: AppConfig) -> TestApp {
    // `RUST_LOG=error cargo test … -- --nocapture` shows the causes behind a 500.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let (db, dir) = fresh_database().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let state = AppState {
        leptos_options: coopole_server::leptos_options(addr),
        db: db.clone(),
        config: Arc::new(config),
        catalogue: Default::default(),
    };
    tokio::spawn(async move {
        coopole_server::serve(listener, state).await.expect("serve");
    });
    TestApp {
        addr,
        db,
        client: client(),
        _dir: dir,
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// A request that hangs fails its test instead of stalling the whole run.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub const PASSWORD: &str = "une-phrase-de-passe-solide";

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The HTML of a page, as a visitor (or this app's signed-in client) gets it.
    pub async fn page(&self, path: &str) -> String {
        let res = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request");
        res.text().await.expect("page body")
    }

    /// Calls a server function the way a script would: a form-encoded POST.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_with(&self.client, endpoint, form).await
    }

    pub async fn call_with(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Creates an account straight in the database (the sign-up form has its own tests).
    pub async fn create_user(&self, email: &str, role: Role, organisation_id: Option<i32>) -> i32 {
        let email = Email::parse(email).unwrap();
        let hash = coopole_app::auth::service::hash_for_seed(&Password::parse(PASSWORD).unwrap())
            .await
            .unwrap();
        let now = chrono::Utc::now();
        user::ActiveModel {
            email: Set(email.as_str().to_owned()),
            name: Set(format!("Test {}", email.as_str())),
            password_hash: Set(hash),
            role: Set(role),
            organisation_id: Set(organisation_id),
            is_referent: Set(false),
            created_at: Set(now),
            password_changed_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap()
        .id
    }

    /// A new client signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = client();
        let res = self
            .call_with(
                &client,
                "auth/sign_in",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            res.status(),
            200,
            "sign-in of {email} failed: {}",
            res.text().await.unwrap_or_default()
        );
        client
    }

    pub async fn user_count(&self) -> u64 {
        user::Entity::find().count(&self.db).await.unwrap()
    }

    pub async fn load_demo(&self) {
        coopole_server::demo::seed(&self.db)
            .await
            .expect("demo data");
    }

    /// A client already signed in as `user_id` (its session made directly, no password hashing).
    pub async fn client_for(&self, user_id: i32) -> reqwest::Client {
        let token =
            coopole_app::auth::service::create_session(&self.db, user_id, chrono::Utc::now(), 1)
                .await
                .unwrap();
        reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .default_headers(with_session(&token))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub async fn user(&self, email: &str) -> coopole_app::entities::user::Model {
        use sea_orm::{ColumnTrait, QueryFilter};
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
    }

    /// A demo user as the booking rules see them.
    pub async fn actor(&self, email: &str) -> coopole_app::bookings::service::Actor {
        let u = self.user(email).await;
        let view = coopole_app::auth::service::get_user(&self.db, u.id)
            .await
            .unwrap();
        coopole_app::bookings::service::Actor::from(&view)
    }

    pub async fn space_id(&self, code: &str) -> i32 {
        use coopole_app::entities::space;
        use sea_orm::{ColumnTrait, QueryFilter};
        space::Entity::find()
            .filter(space::Column::Code.eq(code))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub async fn booking_count(&self) -> u64 {
        coopole_app::entities::booking::Entity::find()
            .count(&self.db)
            .await
            .unwrap()
    }
}

/// A Paris date at least `min_days` ahead that falls on `weekday`.
pub fn next(weekday: chrono::Weekday, min_days: i64) -> chrono::NaiveDate {
    use chrono::Datelike;
    let today = coopole_app::bookings::rules::paris_today(chrono::Utc::now());
    let mut d = today + chrono::Duration::days(min_days);
    while d.weekday() != weekday {
        d += chrono::Duration::days(1);
    }
    d
}

/// The session token a response sets, if any.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("coopole_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .filter(|v| !v.is_empty())
}

/// A cookie header carrying a session token, for requests made without the cookie jar.
pub fn with_session(token: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        reqwest::header::COOKIE,
        HeaderValue::from_str(&format!("coopole_session={token}")).unwrap(),
    );
    h
}

pub async fn json(res: reqwest::Response) -> Value {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// Asserts an error response: its status, kind and, for form errors, the field.
pub async fn assert_error(
    res: reqwest::Response,
    status: u16,
    kind: &str,
    field: Option<&str>,
) -> String {
    assert_eq!(res.status(), status);
    let body = json(res).await;
    assert_eq!(body["kind"], kind, "{body}");
    if let Some(field) = field {
        assert_eq!(body["field"], field, "{body}");
    }
    let message = body["message"].as_str().unwrap_or_default().to_owned();
    assert!(
        !message.is_empty(),
        "an error must say what went wrong: {body}"
    );
    message
}

/// Sends every request at the same moment: each waits in its own task at a barrier, and all
/// leave together, so that on a multi-threaded runtime they really overlap. The answers
/// (status and body) come back in the order of the requests.
pub async fn all_at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<(u16, String)> {
    let barrier = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let res = request.send().await.expect("request");
                let status = res.status().as_u16();
                (status, res.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for t in tasks {
        answers.push(t.await.expect("request task"));
    }
    answers
}

/// Posts a form to server function `endpoint` as `client`.
pub async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, String)],
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/{endpoint}")))
        .form(form)
        .send()
        .await
        .unwrap()
}
