//! Health, schema and demo data: the platform under every domain.
use crate::helpers::*;
use coopole_app::entities::{organisation, space, space_rate, user};
use coopole_migrations::{Migrator, MigratorTrait};
use sea_orm::{EntityTrait, PaginatorTrait};

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    app.db.clone().close().await.unwrap();
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
}

#[tokio::test]
async fn the_demo_seed_is_idempotent() {
    let app = spawn_app().await;
    let counts = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            (
                organisation::Entity::find().count(&db).await.unwrap(),
                space::Entity::find().count(&db).await.unwrap(),
                space_rate::Entity::find().count(&db).await.unwrap(),
                user::Entity::find().count(&db).await.unwrap(),
            )
        }
    };
    let first = coopole_server::demo::seed(&app.db).await.unwrap();
    assert_eq!((first.organisations, first.spaces), (40, 133));
    let after_first = counts(&app).await;
    let second = coopole_server::demo::seed(&app.db).await.unwrap();
    assert_eq!(second, coopole_server::demo::SeedReport::default());
    assert_eq!(counts(&app).await, after_first);
}

#[tokio::test]
async fn migrations_roll_back_and_forward() {
    let (db, _dir) = fresh_database().await;
    Migrator::down(&db, None).await.unwrap();
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        Migrator::migrations().len()
    );
    Migrator::up(&db, None).await.unwrap();
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn one_referent_per_organisation_is_a_database_rule() {
    let app = spawn_app().await;
    app.load_demo().await;
    // Bypass the service: the database itself must refuse a second referent.
    let referent = user::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(&user::Column::IsReferent, true))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let colleague = user::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(
            &user::Column::OrganisationId,
            referent.organisation_id,
        ))
        .filter(sea_orm::ColumnTrait::eq(&user::Column::IsReferent, false))
        .one(&app.db)
        .await
        .unwrap();
    let Some(colleague) = colleague else { return };
    let mut active: user::ActiveModel = colleague.into();
    active.is_referent = sea_orm::Set(true);
    let err = sea_orm::ActiveModelTrait::update(active, &app.db)
        .await
        .unwrap_err();
    assert!(coopole_app::db::is_conflict(&err), "{err}");
}

use sea_orm::QueryFilter;

/// Building a router walks the whole app; pages served meanwhile by another server in the
/// same process must still load (see `route_list` in the server crate).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_loading_while_other_servers_start() {
    let app = spawn_app().await;
    app.load_demo().await;
    let builder = {
        let state = coopole_app::state::AppState {
            leptos_options: coopole_server::leptos_options(app.addr),
            db: app.db.clone(),
            config: std::sync::Arc::new(coopole_app::state::AppConfig::default()),
            catalogue: Default::default(),
        };
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            let _inside = runtime.enter();
            for _ in 0..200 {
                drop(coopole_server::router(state.clone()));
            }
        })
    };
    for _ in 0..40 {
        let res = app.client.get(app.url("/espaces")).send().await;
        let res = res.expect("the catalogue answers while routers are built");
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("Grande halle"));
    }
    builder.join().unwrap();
}

/// Pages are server HTML: the data of a page's resources is not sent a second time for the
/// browser to hydrate, except for an island, which needs it.
#[tokio::test]
async fn pages_carry_only_what_they_show() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let get = |client: &reqwest::Client, path: &str| {
        let request = client.get(app.url(path));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let pages = [
        ("/espaces", get(&app.client, "/espaces").await),
        (
            "/calendrier?vue=semaine",
            get(&member, "/calendrier?vue=semaine").await,
        ),
        ("/mes-reservations", get(&member, "/mes-reservations").await),
        (
            "/gestion/evenements",
            get(&manager, "/gestion/evenements").await,
        ),
    ];
    for (path, html) in &pages {
        assert!(html.contains("</main>"), "{path} rendered");
        assert!(
            !html.contains("__RESOLVED_RESOURCES["),
            "{path} serialises resource data for hydration"
        );
        assert!(!html.contains("<leptos-island"), "{path} has no island");
    }
    let sevre = app.space_id("SALLE-SEVRE").await;
    let form = get(&member, &format!("/reserver/nouvelle?space={sevre}")).await;
    assert!(
        form.contains("<leptos-island"),
        "the booking form's preview is an island"
    );
    assert!(
        !form.contains("data-props"),
        "the island reads the form itself: it carries no data"
    );
}

/// Pages read their address once, as plain values. Many pages at once, on two threads, each
/// renders whole: a tracked address in a resource's source once panicked under load, read
/// again after its request's reactive owner was gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_pages_at_once_each_render_whole() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await;
    let hall = app.space_id("HALLE").await;
    let day = next(chrono::Weekday::Wed, 30).to_string();
    let hall_layout = format!("{hall}:theatre");
    let request = [
        ("name", "Forum des associations"),
        ("kind", "fair"),
        ("first_date", day.as_str()),
        ("start", "09:00"),
        ("end", "18:00"),
        ("attendance", "300"),
        ("spaces[]", &hall.to_string()),
        ("layouts[]", &hall_layout),
    ];
    let res = app.call_with(&member, "events/request", &request).await;
    assert_eq!(res.status(), 200);
    let some_event = json(res).await.as_i64().unwrap();
    let some_user = app.user("membre@coopole.example").await.id;
    let pages = [
        (
            &app.client,
            "/espaces?kind=meeting_room&min_capacity=6".to_owned(),
        ),
        (&app.client, format!("/espaces/{sevre}")),
        (&app.client, "/ecran/SALLE-SEVRE".to_owned()),
        (&member, "/calendrier?vue=semaine&page=2".to_owned()),
        (
            &member,
            "/reserver?date=2027-03-04&start=14:00&end=16:00&attendees=4".to_owned(),
        ),
        (
            &member,
            format!("/reserver/nouvelle?space={sevre}&date=2027-03-04&start=14:00&end=15:00"),
        ),
        (&manager, "/gestion/utilisateurs?q=coopole".to_owned()),
        (&manager, format!("/gestion/utilisateurs/{some_user}")),
        (
            &manager,
            "/gestion/evenements?semaine=2027-03-01".to_owned(),
        ),
        (&manager, format!("/evenements/{some_event}")),
        (&manager, format!("/evenements/{some_event}/fiche")),
        (
            &manager,
            "/gestion/reservations?periode=mois&date=2027-03-01".to_owned(),
        ),
        (&manager, format!("/gestion/espaces/{sevre}/regles")),
    ];
    let mut set = tokio::task::JoinSet::new();
    for _round in 0..8 {
        for (client, path) in &pages {
            let request = client.get(app.url(path));
            let path = path.clone();
            set.spawn(async move {
                let res = request.send().await.unwrap();
                let status = res.status();
                let html = res.text().await.unwrap();
                (
                    path,
                    status,
                    // A panic mid-render cuts the stream short: the page never closes.
                    html.contains("</main>") && html.contains("</body></html>"),
                )
            });
        }
    }
    while let Some(done) = set.join_next().await {
        let (path, status, whole) = done.unwrap();
        assert_eq!(status, 200, "{path}");
        assert!(whole, "{path} rendered whole");
    }
}
