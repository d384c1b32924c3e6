//! Roles, organisations and referents: what managers may do, and what others may not.
use crate::helpers::*;
use coopole_app::auth::model::Role;
use coopole_app::entities::{organisation, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn org_id(app: &TestApp, name: &str) -> i32 {
    organisation::Entity::find()
        .filter(organisation::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn referents(app: &TestApp, org: i32) -> Vec<String> {
    user::Entity::find()
        .filter(user::Column::OrganisationId.eq(org))
        .filter(user::Column::IsReferent.eq(true))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.email)
        .collect()
}

#[tokio::test]
async fn a_tenant_calling_a_manager_function_gets_403() {
    let app = spawn_app().await;
    app.create_user("lea@exemple.fr", Role::Tenant, None).await;
    let target = app
        .create_user("hugo@exemple.fr", Role::Tenant, None)
        .await
        .to_string();
    let tenant = app.signed_in("lea@exemple.fr").await;
    for (endpoint, form) in [
        ("users/list", vec![("search", "")]),
        ("users/get", vec![("id", target.as_str())]),
        ("organisations/options", vec![]),
        (
            "users/update",
            vec![
                ("user_id", target.as_str()),
                ("role", "manager"),
                ("organisation_id", ""),
            ],
        ),
    ] {
        assert_error(
            app.call_with(&tenant, endpoint, &form).await,
            403,
            "forbidden",
            None,
        )
        .await;
    }
    // Nobody was promoted.
    let hugo = user::Entity::find_by_id(target.parse::<i32>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hugo.role, Role::Tenant);
    // A visitor gets 401.
    assert_error(
        app.call("users/list", &[("search", "")]).await,
        401,
        "unauthorized",
        None,
    )
    .await;
}

#[tokio::test]
async fn a_manager_makes_a_member_the_referent_and_the_previous_one_steps_down() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app.signed_in_demo("gestion@coopole.example").await;
    let org = org_id(&app, "La Ressourcerie de l'Île").await;
    assert_eq!(referents(&app, org).await, ["referent@coopole.example"]);

    let member = user::Entity::find()
        .filter(user::Column::Email.eq("membre@coopole.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (id, org_s) = (member.id.to_string(), org.to_string());
    let res = app
        .call_with(
            &manager,
            "users/update",
            &[
                ("user_id", &id),
                ("role", "tenant"),
                ("organisation_id", &org_s),
                ("is_referent", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(referents(&app, org).await, ["membre@coopole.example"]);

    // The list says so.
    let rows = json(
        app.call_with(&manager, "users/list", &[("search", "membre@")])
            .await,
    )
    .await;
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["user"]["is_referent"], true);
    assert_eq!(
        rows[0]["user"]["organisation"]["name"],
        "La Ressourcerie de l'Île"
    );
}

#[tokio::test]
async fn managers_cannot_make_impossible_changes() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app.signed_in_demo("gestion@coopole.example").await;
    let organiser = user::Entity::find()
        .filter(user::Column::Email.eq("organisateur@coopole.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let id = organiser.id.to_string();

    // A referent must be a tenant member of an organisation.
    let res = app
        .call_with(
            &manager,
            "users/update",
            &[
                ("user_id", &id),
                ("role", "organiser"),
                ("organisation_id", ""),
                ("is_referent", "on"),
            ],
        )
        .await;
    assert_error(res, 400, "validation", Some("is_referent")).await;
    // Unknown role, organisation and user.
    let res = app
        .call_with(
            &manager,
            "users/update",
            &[("user_id", &id), ("role", "king"), ("organisation_id", "")],
        )
        .await;
    assert_error(res, 400, "validation", Some("role")).await;
    let res = app
        .call_with(
            &manager,
            "users/update",
            &[
                ("user_id", &id),
                ("role", "tenant"),
                ("organisation_id", "424242"),
            ],
        )
        .await;
    assert_error(res, 400, "validation", Some("organisation_id")).await;
    let res = app
        .call_with(
            &manager,
            "users/update",
            &[
                ("user_id", "424242"),
                ("role", "tenant"),
                ("organisation_id", ""),
            ],
        )
        .await;
    assert_error(res, 404, "not_found", None).await;
    let res = app
        .call_with(&manager, "users/get", &[("id", "pas-un-nombre")])
        .await;
    assert_error(res, 404, "not_found", None).await;
    let unchanged = user::Entity::find_by_id(organiser.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged, organiser);

    // The hub keeps a manager: demoting the other one first, then oneself, is refused at the last.
    let other = user::Entity::find()
        .filter(user::Column::Email.eq("gestion2@coopole.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let res = app
        .call_with(
            &manager,
            "users/update",
            &[
                ("user_id", &other.id.to_string()),
                ("role", "tenant"),
                ("organisation_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let me = user::Entity::find()
        .filter(user::Column::Email.eq("gestion@coopole.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let res = app
        .call_with(
            &manager,
            "users/update",
            &[
                ("user_id", &me.id.to_string()),
                ("role", "tenant"),
                ("organisation_id", ""),
            ],
        )
        .await;
    assert_error(res, 409, "conflict", None).await;
}

#[tokio::test]
async fn pages_for_signed_in_users_send_visitors_to_sign_in() {
    let app = spawn_app().await;
    for path in ["/compte", "/gestion/utilisateurs"] {
        let res = app
            .client
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302, "{path}");
        let location = res.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/connexion?next="), "{location}");
    }
}

#[tokio::test]
async fn the_users_page_is_for_managers_only() {
    let app = spawn_app().await;
    app.load_demo().await;
    let tenant = app.signed_in_demo("membre@coopole.example").await;
    let res = tenant
        .get(app.url("/gestion/utilisateurs"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        !res.text()
            .await
            .unwrap()
            .contains("referent@coopole.example")
    );

    let manager = app.signed_in_demo("gestion@coopole.example").await;
    let res = manager
        .get(app.url("/gestion/utilisateurs?q=referent"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("referent@coopole.example")
    );
}

impl TestApp {
    /// A new client signed in with a demo account (they share the demo password).
    pub async fn signed_in_demo(&self, email: &str) -> reqwest::Client {
        let client = client();
        let res = self
            .call_with(
                &client,
                "auth/sign_in",
                &[("email", email), ("password", "coopole-demo-2026")],
            )
            .await;
        assert_eq!(res.status(), 200, "demo sign-in of {email}");
        client
    }
}
