//! Several servers, one PostgreSQL: two real `coopole-server` processes on one database, as
//! a hub behind a reverse proxy runs them. A session made on one is good on the other, and the
//! race for one slot, split over both, still has exactly one winner: every guarantee lives in
//! the database, none in a process. On SQLite this is skipped (it needs PostgreSQL).
use crate::helpers::*;
use chrono::Weekday;
use coopole_app::auth::model::Role;
use coopole_app::entities::{booking, occupancy, user};
use coopole_migrations::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The demo accounts' password (server/demo/hub.json).
const DEMO_PASSWORD: &str = "coopole-demo-2026";

/// A `coopole-server serve` process, killed when dropped, even when the test panics; its log
/// is printed then, so that a failure shows what the server said.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("--- log of the server on {} ---\n{log}", self.addr);
        }
    }
}

impl Server {
    fn start(database_url: &str, dir: &std::path::Path, name: &str) -> Server {
        let addr = free_port();
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let site = dir.join("site");
        std::fs::create_dir_all(&site).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_coopole-server"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("COOPOLE_ADDR", addr.to_string())
            .env("LEPTOS_SITE_ROOT", &site)
            .env("COOPOLE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("start coopole-server");
        Server { child, addr, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Waits until `/healthz` answers 200, failing if the process exits first.
    async fn wait_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = client();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server on {} exited early: {status}", self.addr);
            }
            if let Ok(res) = client.get(self.url("/healthz")).send().await
                && res.status() == 200
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server on {} is not healthy after 60 s",
                self.addr
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A loopback address with a port free right now (the server binds it a moment later).
fn free_port() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

/// A fresh, migrated PostgreSQL database and its URL, for processes to connect to.
async fn fresh_postgres(admin_url: &str) -> (DatabaseConnection, String) {
    let admin = coopole_app::db::connect(admin_url, 2).await.unwrap();
    let name = format!(
        "coopole_multi_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.ok();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    let db = coopole_app::db::connect(&url, 4).await.unwrap();
    // Migrated here once; each server then finds nothing pending.
    Migrator::up(&db, None).await.unwrap();
    (db, url)
}

/// A client with a session cookie, made without the jar (so it can go to either server).
fn with_token(token: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .default_headers(with_session(token))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn me(client: &reqwest::Client, server: &Server) -> Value {
    let res = client
        .post(server.url("/api/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    json(res).await
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_on_one_postgres_share_sessions_and_one_slot_has_one_winner() {
    let Some(admin_url) = postgres_url() else {
        eprintln!(
            "two_servers_on_one_postgres…: skipped, it needs PostgreSQL (set TEST_DATABASE_URL)"
        );
        return;
    };
    let (db, url) = fresh_postgres(&admin_url).await;
    coopole_server::demo::seed(&db).await.expect("demo data");
    let dir = tempfile::tempdir().unwrap();
    let mut a = Server::start(&url, dir.path(), "a");
    let mut b = Server::start(&url, dir.path(), "b");
    a.wait_healthy().await;
    b.wait_healthy().await;

    // A session made on A is good on B, and signing out on B ends it on A.
    let res = client()
        .post(a.url("/api/auth/sign_in"))
        .form(&[
            ("email", "membre@coopole.example"),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign-in on A");
    let token = session_cookie(&res).expect("a session cookie");
    let member = with_token(&token);
    assert_eq!(me(&member, &b).await["email"], "membre@coopole.example");
    let res = member
        .post(b.url("/api/auth/sign_out"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign-out on B");
    assert_eq!(me(&member, &a).await, Value::Null, "signed out everywhere");

    // 24 tenants race for one room at 15:00, half through A, half through B.
    let tenants = user::Entity::find()
        .filter(user::Column::OrganisationId.is_not_null())
        .filter(user::Column::Role.eq(Role::Tenant))
        .all(&db)
        .await
        .unwrap();
    assert!(tenants.len() >= 24);
    let loire = space_id(&db, "SALLE-LOIRE").await;
    // Far enough ahead that no demo activity is there; within the 90 days tenants may book.
    let day = next(Weekday::Wed, 60).to_string();
    let before = booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(loire))
        .all(&db)
        .await
        .unwrap();
    let slots = [
        ("14:00", "16:00"),
        ("14:30", "15:30"),
        ("15:00", "17:00"),
        ("13:00", "15:15"),
    ];
    let mut requests = Vec::new();
    for (i, t) in tenants.iter().take(24).enumerate() {
        let token = coopole_app::auth::service::create_session(&db, t.id, chrono::Utc::now(), 1)
            .await
            .unwrap();
        let server = if i % 2 == 0 { &a } else { &b };
        let (start, end) = slots[i % slots.len()];
        let form = [
            ("space_id", loire.to_string()),
            ("date", day.clone()),
            ("start", start.to_owned()),
            ("end", end.to_owned()),
            ("title", format!("Réunion {i}")),
            ("attendees", "10".to_owned()),
        ];
        requests.push(
            with_token(&token)
                .post(server.url("/api/bookings/create"))
                .form(&form),
        );
    }
    let answers = all_at_once(requests).await;
    let mut winners = Vec::new();
    for (i, (status, body)) in answers.iter().enumerate() {
        match status {
            200 => winners.push(i),
            409 => {
                let v: Value = serde_json::from_str(body).unwrap();
                let message = v["message"].as_str().unwrap();
                assert!(
                    message.contains("Salle Loire") || message.contains("vient d'être réservé"),
                    "{message}"
                );
            }
            other => panic!("request {i}: unexpected {other}: {body}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one wins: {answers:?}");
    let made: Vec<booking::Model> = booking::Entity::find()
        .filter(booking::Column::SpaceId.eq(loire))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| !before.iter().any(|o| o.id == n.id))
        .collect();
    assert_eq!(made.len(), 1, "one booking written: {made:?}");
    let held = occupancy::Entity::find()
        .filter(occupancy::Column::BookingId.eq(made[0].id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "the winner holds the room once");
    db.close().await.ok();
}

async fn space_id(db: &DatabaseConnection, code: &str) -> i32 {
    use coopole_app::entities::space;
    space::Entity::find()
        .filter(space::Column::Code.eq(code))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}
