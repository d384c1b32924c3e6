//! Accounts and sessions over HTTP.
use crate::helpers::*;
use coopole_app::auth::model::Role;

fn sign_up_form<'a>(
    email: &'a str,
    password: &'a str,
    confirm: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("name", "Camille Martin"),
        ("password", password),
        ("password_confirm", confirm),
        ("role", "tenant"),
    ]
}

#[tokio::test]
async fn a_visitor_signs_up_then_signs_in() {
    let app = spawn_app().await;
    let res = app
        .call(
            "auth/sign_up",
            &sign_up_form("Camille@Exemple.fr", PASSWORD, PASSWORD),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(app.user_count().await, 1);

    let res = app
        .call(
            "auth/sign_in",
            &[("email", "camille@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(session_cookie(&res).is_some());
    let me = json(app.call("auth/me", &[]).await).await;
    assert_eq!(me["email"], "camille@exemple.fr");
    assert_eq!(me["role"], "tenant");
}

#[tokio::test]
async fn sign_up_refuses_bad_input_in_the_users_language_and_writes_nothing() {
    let app = spawn_app().await;
    let cases = [
        (
            sign_up_form("camille.exemple.fr", PASSWORD, PASSWORD),
            "email",
            "adresse e-mail",
        ),
        (
            sign_up_form("camille@exemple.fr", "court", "court"),
            "password",
            "12 caractères",
        ),
        (
            sign_up_form("camille@exemple.fr", "123456789012", "123456789012"),
            "password",
            "courants",
        ),
        (
            sign_up_form("camille@exemple.fr", PASSWORD, "autre-phrase-de-passe"),
            "password_confirm",
            "identiques",
        ),
    ];
    for (form, field, words) in cases {
        let message = assert_error(
            app.call("auth/sign_up", &form).await,
            400,
            "validation",
            Some(field),
        )
        .await;
        assert!(message.contains(words), "{message}");
    }
    let mut form = sign_up_form("camille@exemple.fr", PASSWORD, PASSWORD);
    form[4] = ("role", "manager");
    assert_error(
        app.call("auth/sign_up", &form).await,
        400,
        "validation",
        Some("role"),
    )
    .await;
    assert_eq!(app.user_count().await, 0);

    // The same refusal in English once the user has chosen English.
    let english = client();
    let res = app.call_with(&english, "locale", &[("locale", "en")]).await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_with(
            &english,
            "auth/sign_up",
            &sign_up_form("camille", PASSWORD, PASSWORD),
        )
        .await;
    let message = assert_error(res, 400, "validation", Some("email")).await;
    assert!(message.contains("not valid"), "{message}");
}

#[tokio::test]
async fn a_missing_field_is_a_bad_request_not_a_crash() {
    let app = spawn_app().await;
    let res = app
        .call("auth/sign_up", &[("email", "camille@exemple.fr")])
        .await;
    assert_error(res, 400, "bad_request", None).await;
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn a_duplicate_email_is_refused() {
    let app = spawn_app().await;
    let form = sign_up_form("camille@exemple.fr", PASSWORD, PASSWORD);
    assert_eq!(app.call("auth/sign_up", &form).await.status(), 200);
    let again = sign_up_form(" CAMILLE@exemple.fr ", PASSWORD, PASSWORD);
    let message = assert_error(
        app.call("auth/sign_up", &again).await,
        400,
        "validation",
        Some("email"),
    )
    .await;
    assert!(message.contains("existe déjà"), "{message}");
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn a_wrong_password_reads_exactly_like_an_unknown_email() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    let wrong = app
        .call(
            "auth/sign_in",
            &[
                ("email", "lea@exemple.fr"),
                ("password", "pas-le-bon-mot-de-passe"),
            ],
        )
        .await;
    let unknown = app
        .call(
            "auth/sign_in",
            &[
                ("email", "personne@exemple.fr"),
                ("password", "pas-le-bon-mot-de-passe"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());
}

#[tokio::test]
async fn signing_in_issues_a_new_token_and_ends_the_one_presented() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    let form = [("email", "lea@exemple.fr"), ("password", PASSWORD)];
    let first = app.call("auth/sign_in", &form).await;
    let first_token = session_cookie(&first).expect("a session cookie");
    // The client's jar sends the first token along with the second sign-in.
    let second = app.call("auth/sign_in", &form).await;
    let second_token = session_cookie(&second).expect("a session cookie");
    assert_ne!(first_token, second_token);

    let fresh = client();
    let old = fresh
        .post(app.url("/api/auth/me"))
        .headers(with_session(&first_token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json(old).await,
        serde_json::Value::Null,
        "the replaced token must be dead"
    );
    let new = fresh
        .post(app.url("/api/auth/me"))
        .headers(with_session(&second_token))
        .send()
        .await
        .unwrap();
    assert_eq!(json(new).await["email"], "lea@exemple.fr");
}

#[tokio::test]
async fn after_sign_out_the_old_cookie_no_longer_works() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    let res = app
        .call(
            "auth/sign_in",
            &[("email", "lea@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    let token = session_cookie(&res).unwrap();
    let res = app.call("auth/sign_out", &[]).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().contains("Max-Age=0"))
    );

    let replay = client();
    let me = replay
        .post(app.url("/api/auth/me"))
        .headers(with_session(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(json(me).await, serde_json::Value::Null);
    let change = replay
        .post(app.url("/api/auth/password"))
        .headers(with_session(&token))
        .form(&[
            ("current", PASSWORD),
            ("password", "nouvelle-phrase-secrete"),
            ("password_confirm", "nouvelle-phrase-secrete"),
        ])
        .send()
        .await
        .unwrap();
    assert_error(change, 401, "unauthorized", None).await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    let res = app
        .call(
            "auth/sign_in",
            &[("email", "lea@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    // Sign-in also sets the device cookie; this test is about the session's.
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{}=", coopole_app::auth::cookies::SESSION_COOKIE)))
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let hash = coopole_app::auth::service::token_hash(&session_cookie(&res).unwrap());
    let stored = coopole_app::entities::session::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].token_hash, hash,
        "only the token's hash is stored"
    );
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_closes_other_sessions() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    let laptop = app.signed_in("lea@exemple.fr").await;
    let phone = app.signed_in("lea@exemple.fr").await;

    let new = "nouvelle-phrase-secrete";
    let res = app
        .call_with(
            &laptop,
            "auth/password",
            &[
                ("current", "pas-le-bon"),
                ("password", new),
                ("password_confirm", new),
            ],
        )
        .await;
    assert_error(res, 400, "validation", Some("current")).await;

    let res = app
        .call_with(
            &laptop,
            "auth/password",
            &[
                ("current", PASSWORD),
                ("password", new),
                ("password_confirm", new),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        json(app.call_with(&laptop, "auth/me", &[]).await).await["email"],
        "lea@exemple.fr"
    );
    assert_eq!(
        json(app.call_with(&phone, "auth/me", &[]).await).await,
        serde_json::Value::Null
    );
    let res = app
        .call(
            "auth/sign_in",
            &[("email", "lea@exemple.fr"), ("password", new)],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn twenty_wrong_passwords_make_the_next_attempt_wait() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    for _ in 0..20 {
        let res = app
            .call(
                "auth/sign_in",
                &[
                    ("email", "lea@exemple.fr"),
                    ("password", "pas-le-bon-mot-de-passe"),
                ],
            )
            .await;
        assert!(
            matches!(res.status().as_u16(), 401 | 429),
            "{}",
            res.status()
        );
    }
    // Even the right password has to wait now.
    let res = app
        .call(
            "auth/sign_in",
            &[("email", "lea@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 429);
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1);
    let message = assert_error(res, 429, "too_many_requests", None).await;
    assert!(message.contains("Réessayez dans"), "{message}");
    assert!(session_cookie_absent(&app).await);

    // Another account from the same address is not held back by this one.
    app.create_user("hugo@exemple.fr", Role::Tenant, None).await;
    let res = app
        .call(
            "auth/sign_in",
            &[("email", "hugo@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn session_cookie_absent(app: &TestApp) -> bool {
    json(app.call("auth/me", &[]).await).await == serde_json::Value::Null
}

#[tokio::test]
async fn a_post_from_another_site_is_refused() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/auth/sign_up"))
        .header("origin", "https://evil.example")
        .form(&sign_up_form("camille@exemple.fr", PASSWORD, PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .client
        .post(app.url("/api/auth/sign_up"))
        .header("sec-fetch-site", "cross-site")
        .form(&sign_up_form("camille@exemple.fr", PASSWORD, PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.user_count().await, 0);

    // The same request from our own pages goes through.
    let res = app
        .client
        .post(app.url("/api/auth/sign_up"))
        .header("origin", format!("http://{}", app.addr))
        .header("sec-fetch-site", "same-origin")
        .form(&sign_up_form("camille@exemple.fr", PASSWORD, PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_form_without_javascript_is_redirected_back_with_its_error() {
    let app = spawn_app().await;
    let referer = app.url("/inscription");
    let res = app
        .client
        .post(app.url("/api/auth/sign_up"))
        .header("accept", "text/html")
        .header("referer", &referer)
        .form(&sign_up_form("pas-une-adresse", PASSWORD, PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&referer) && location.contains("__err="),
        "{location}"
    );
    // The page it goes back to shows the message.
    let page = app
        .client
        .get(&location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("adresse e-mail n'est pas valide"), "{page}");

    // Success: the sign-in page, with the notice.
    let res = app
        .client
        .post(app.url("/api/auth/sign_up"))
        .header("accept", "text/html")
        .header("referer", &referer)
        .form(&sign_up_form("camille@exemple.fr", PASSWORD, PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/connexion?inscrit=1");
}

use sea_orm::EntityTrait;
