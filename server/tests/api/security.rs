//! Abuse limits and safer defaults: the per-address rate limit, bounded password hashing, the
//! atomic sign-in throttle, device cookies, trusted proxies, the CSP and secure cookies.
use crate::helpers::{PASSWORD, TestApp, assert_error, client, json, spawn_app, spawn_app_with};
use coopole_app::auth::model::Role;
use coopole_app::entities::login_throttle;
use coopole_app::state::{AppConfig, IpNet, RateLimit};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::Arc;

const WRONG: &str = "pas-le-bon-mot-de-passe";

fn behind_local_proxy(rate_limit: Option<RateLimit>) -> AppConfig {
    AppConfig {
        trusted_proxies: vec![IpNet::parse("127.0.0.1").unwrap()],
        rate_limit,
        ..AppConfig::default()
    }
}

async fn sign_in_from(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded_for: Option<&str>,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let mut request = client
        .post(app.url("/api/auth/sign_in"))
        .form(&[("email", email), ("password", password)]);
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap()
}

async fn throttle(app: &TestApp, scope: &str, key: &str) -> Option<login_throttle::Model> {
    login_throttle::Entity::find()
        .filter(login_throttle::Column::Scope.eq(scope))
        .filter(login_throttle::Column::Key.eq(key))
        .one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn past_the_limit_an_address_gets_429_with_retry_after() {
    let app = spawn_app_with(behind_local_proxy(Some(RateLimit {
        per_minute: 2,
        burst: 3,
    })))
    .await;
    let c = client();
    for _ in 0..3 {
        let res = sign_in_from(&app, &c, Some("198.51.100.1"), "nobody@exemple.fr", WRONG).await;
        assert_eq!(res.status(), 401);
    }
    let res = sign_in_from(&app, &c, Some("198.51.100.1"), "nobody@exemple.fr", WRONG).await;
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    let message = assert_error(res, 429, "too_many_requests", None).await;
    assert!(message.contains("réessayez dans"), "{message}");
    // Sign-up shares the limit: it costs a hash too.
    let res = c
        .post(app.url("/api/auth/sign_up"))
        .header("x-forwarded-for", "198.51.100.1")
        .form(&[("email", "a@exemple.fr")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    // Another client address has its own allowance; other functions are not limited.
    let res = sign_in_from(&app, &c, Some("198.51.100.2"), "nobody@exemple.fr", WRONG).await;
    assert_eq!(res.status(), 401);
    let res = c
        .post(app.url("/api/auth/me"))
        .header("x-forwarded-for", "198.51.100.1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// Peak resident memory of this process, in KiB: `VmHWM` (or `VmRSS`) of /proc/self/status.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_200_sign_ups_is_served_in_bounded_memory() {
    let app = Arc::new(spawn_app().await);
    let Some(before) = memory_kib("VmRSS:") else {
        eprintln!("no /proc/self/status here: memory not measured");
        return;
    };
    // Reset the peak to the current size, so that the peak afterwards is this burst's.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let slow = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(300))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(200));
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (app, client, barrier) = (app.clone(), slow.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let email = format!("rafale{i}@exemple.fr");
            barrier.wait().await;
            let res = client
                .post(app.url("/api/auth/sign_up"))
                .form(&[
                    ("email", email.as_str()),
                    ("name", "Camille Martin"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                    ("role", "tenant"),
                ])
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }));
    }
    for task in tasks {
        let status = task.await.unwrap();
        assert!(
            (200..400).contains(&status) || status == 429,
            "a sign-up of the burst answered {status}"
        );
    }
    assert!(app.user_count().await >= 1);
    let peak = if reset {
        memory_kib("VmHWM:")
    } else {
        memory_kib("VmRSS:")
    }
    .unwrap();
    // Unbounded, the 200 hashes run at once on 200 blocking threads: 200 x 19 MiB = 3.8 GiB.
    // Bounded, at most one per core runs; what the process keeps beyond that is the allocator
    // holding freed blocks in its per-thread arenas (up to 8 per core), the 200 open
    // connections, and the test running beside this one. Half the unbounded need is the line.
    let bound_kib = 200 * 19 * 1024 / 2;
    assert!(
        peak.saturating_sub(before) < bound_kib,
        "resident memory grew by {} MiB during the burst (bound {} MiB)",
        peak.saturating_sub(before) / 1024,
        bound_kib / 1024
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_parallel_wrong_sign_ins_are_all_counted() {
    let app = Arc::new(spawn_app().await);
    app.create_user("cible@exemple.fr", Role::Tenant, None)
        .await;
    let barrier = Arc::new(tokio::sync::Barrier::new(100));
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let (app, barrier) = (app.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let c = client();
            barrier.wait().await;
            sign_in_from(&app, &c, None, "cible@exemple.fr", WRONG)
                .await
                .status()
                .as_u16()
        }));
    }
    let mut checked = 0;
    for task in tasks {
        match task.await.unwrap() {
            401 => checked += 1,
            429 => {}
            other => panic!("a wrong sign-in answered {other}"),
        }
    }
    // Only the free tries reached the password check; every try is on record.
    assert_eq!(checked, 5);
    let account = throttle(&app, "account", "cible@exemple.fr").await.unwrap();
    assert_eq!(account.failures, 100);
    let address = throttle(&app, "address", "127.0.0.1").await.unwrap();
    assert_eq!(address.failures, 100);
}

#[tokio::test]
async fn a_device_cookie_lets_the_owner_in_while_strangers_wait() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    // The owner's browser signed in before, and keeps its device cookie after signing out.
    let owner = app.signed_in("lea@exemple.fr").await;
    let res = app.call_with(&owner, "auth/sign_out", &[]).await;
    assert!(res.status().is_success() || res.status().is_redirection());

    // Someone else keeps guessing until the account is closed to unknown browsers.
    let attacker = client();
    for _ in 0..8 {
        let res = sign_in_from(&app, &attacker, None, "lea@exemple.fr", WRONG).await;
        assert!(matches!(res.status().as_u16(), 401 | 429));
    }
    let fresh = client();
    let res = sign_in_from(&app, &fresh, None, "lea@exemple.fr", PASSWORD).await;
    assert_eq!(
        res.status(),
        429,
        "a new browser waits, even with the password"
    );

    // The owner's browser is not held back by the stranger's failures.
    let res = sign_in_from(&app, &owner, None, "lea@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        json(app.call_with(&owner, "auth/me", &[]).await).await["email"],
        "lea@exemple.fr"
    );

    // A wrong password from the owner's browser counts against that browser only.
    let res = sign_in_from(&app, &owner, None, "lea@exemple.fr", WRONG).await;
    assert_eq!(res.status(), 401);
    let account = throttle(&app, "account", "lea@exemple.fr").await.unwrap();
    let before = account.failures;
    let res = sign_in_from(&app, &owner, None, "lea@exemple.fr", WRONG).await;
    assert_eq!(res.status(), 401);
    let account = throttle(&app, "account", "lea@exemple.fr").await.unwrap();
    assert_eq!(account.failures, before);
    // The stranger's browser, still waiting, is no device of the account.
    let res = sign_in_from(&app, &attacker, None, "lea@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn forwarded_addresses_are_believed_from_trusted_proxies_only() {
    // Not trusted: X-Forwarded-For is the client's word, and ignored.
    let app = spawn_app().await;
    let res = sign_in_from(&app, &client(), Some("198.51.100.7"), "x@exemple.fr", WRONG).await;
    assert_eq!(res.status(), 401);
    assert!(throttle(&app, "address", "198.51.100.7").await.is_none());
    assert!(throttle(&app, "address", "127.0.0.1").await.is_some());
    let res = client()
        .post(app.url("/api/auth/me"))
        .header("origin", "https://hub.example")
        .header("x-forwarded-host", "hub.example")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        403,
        "a forwarded host from a stranger proves nothing"
    );

    // Trusted: the rightmost address that is not a proxy is the client.
    let app = spawn_app_with(behind_local_proxy(None)).await;
    let res = sign_in_from(
        &app,
        &client(),
        Some("6.6.6.6, 198.51.100.7"),
        "x@exemple.fr",
        WRONG,
    )
    .await;
    assert_eq!(res.status(), 401);
    assert!(throttle(&app, "address", "198.51.100.7").await.is_some());
    assert!(throttle(&app, "address", "6.6.6.6").await.is_none());
    assert!(throttle(&app, "address", "127.0.0.1").await.is_none());
    // The browser's origin is the proxy's public host, not the Host the proxy connects to.
    let res = client()
        .post(app.url("/api/auth/me"))
        .header("origin", "https://hub.example")
        .header("x-forwarded-host", "hub.example")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = client()
        .post(app.url("/api/auth/me"))
        .header("origin", "https://evil.example")
        .header("x-forwarded-host", "hub.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn pages_carry_a_csp_whose_nonce_is_the_hydration_scripts() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/connexion")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for part in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ] {
        assert!(csp.contains(part), "{csp} lacks {part}");
    }
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    assert!(nonce.len() >= 16, "{nonce}");
    let page = res.text().await.unwrap();
    assert!(
        page.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script lacks the policy's nonce"
    );
    // Every inline script with code in it carries it. (Leptos also writes an empty
    // `<script></script>` after the body; with nothing in it, there is nothing to allow.)
    for script in page.split("<script").skip(1) {
        let (tag, rest) = script.split_once('>').unwrap_or_default();
        let code = rest.split("</script>").next().unwrap_or_default();
        if tag.contains("src=") || code.trim().is_empty() {
            continue;
        }
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "<script{tag}>{}",
            &code[..code.len().min(80)]
        );
    }
    // A new response, a new nonce.
    let again = app.client.get(app.url("/connexion")).send().await.unwrap();
    let csp2 = again.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp2.contains(&nonce));
    // Other responses have a policy with no nonce at all.
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("nonce"), "{csp}");
    assert!(res.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn cookies_are_secure_when_the_site_is_served_over_https() {
    let config = coopole_server::Config::from_lookup(|name| {
        (name == "COOPOLE_PUBLIC_URL").then(|| "https://hub.example.org".to_owned())
    })
    .unwrap();
    assert!(config.secure_cookies);
    let app = spawn_app_with(AppConfig {
        secure_cookies: config.secure_cookies,
        ..AppConfig::default()
    })
    .await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    let res = sign_in_from(&app, &client(), None, "lea@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let cookies: Vec<&str> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(cookies.iter().any(|c| c.starts_with("coopole_session=")));
    assert!(cookies.iter().any(|c| c.starts_with("coopole_device=")));
    for cookie in cookies {
        assert!(cookie.contains("Secure"), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
    }
}

#[tokio::test]
async fn feed_secrets_stay_out_of_logged_paths() {
    assert_eq!(
        coopole_server::loggable_path("/agenda/s3cr3t.ics"),
        "/agenda/…"
    );
    assert_eq!(
        coopole_server::loggable_path("/agenda/reservation/12.ics"),
        "/agenda/…"
    );
    assert_eq!(coopole_server::loggable_path("/espaces"), "/espaces");
}

#[tokio::test]
async fn old_sign_in_records_are_purged() {
    let app = spawn_app().await;
    let res = sign_in_from(&app, &client(), None, "x@exemple.fr", WRONG).await;
    assert_eq!(res.status(), 401);
    let now = chrono::Utc::now();
    let kept = coopole_app::auth::service::purge_sign_in_records(&app.db, now)
        .await
        .unwrap();
    assert_eq!(kept, 0, "a recent failure is still remembered");
    let later = now + chrono::Duration::hours(2);
    let purged = coopole_app::auth::service::purge_sign_in_records(&app.db, later)
        .await
        .unwrap();
    assert_eq!(purged, 2, "the account's and the address's rows");
    assert!(throttle(&app, "account", "x@exemple.fr").await.is_none());
}
