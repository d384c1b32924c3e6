//! Leases over HTTP: a manager lets units, the organisation's members read their own lease and
//! nobody else's, bad input writes nothing, and no unit is ever let twice, even when fifty
//! requests race for it.
use crate::helpers::*;
use coopole_app::entities::{lease, lease_line, lease_version, organisation, unit_let};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

type Form = Vec<(String, String)>;

fn lease_form(org: i32, starts_on: &str, ends_on: &str, units: &[i32]) -> Form {
    let mut form: Form = vec![
        ("organisation_id".into(), org.to_string()),
        ("starts_on".into(), starts_on.into()),
        ("ends_on".into(), ends_on.into()),
        ("notice_months".into(), "3".into()),
        ("included_hours".into(), "6".into()),
        ("billing_day".into(), "1".into()),
    ];
    for u in units {
        form.push(("units[]".into(), u.to_string()));
    }
    form
}

/// An organisation of the demo that holds no lease, and one that does.
async fn organisations(app: &TestApp) -> (organisation::Model, organisation::Model) {
    let holders: Vec<i32> = lease::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.organisation_id)
        .collect();
    let all = organisation::Entity::find().all(&app.db).await.unwrap();
    let free = all
        .iter()
        .find(|o| !holders.contains(&o.id))
        .cloned()
        .expect("an organisation without a lease");
    let holder = all
        .iter()
        .find(|o| holders.contains(&o.id))
        .cloned()
        .expect("an organisation with a lease");
    (free, holder)
}

async fn lease_rows(app: &TestApp) -> [u64; 4] {
    [
        lease::Entity::find().count(&app.db).await.unwrap(),
        lease_version::Entity::find().count(&app.db).await.unwrap(),
        lease_line::Entity::find().count(&app.db).await.unwrap(),
        unit_let::Entity::find().count(&app.db).await.unwrap(),
    ]
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: &str,
    form: &Form,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/{endpoint}")))
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_manager_lets_units_and_only_the_tenant_and_managers_read_the_lease() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let (free, _) = organisations(&app).await;
    let office = app.space_id("BUR-60").await;
    let desk = app.space_id("POSTE-44").await;
    // The desk at a discount, with its reason; the office at its list price.
    let mut form = lease_form(free.id, "2027-01-01", "", &[office, desk]);
    form.push(("fee_units[]".into(), office.to_string()));
    form.push(("fee_amounts[]".into(), String::new()));
    form.push(("fee_units[]".into(), desk.to_string()));
    form.push(("fee_amounts[]".into(), "100,00".into()));
    form.push(("discount_reason".into(), "Première année".into()));
    let res = post(&manager, &app, "hosting/create-lease", &form).await;
    assert_eq!(res.status(), 200);
    let id = json(res).await.as_i64().expect("the new lease's id");

    let detail = json(
        post(
            &manager,
            &app,
            "hosting/lease",
            &vec![("id".into(), id.to_string())],
        )
        .await,
    )
    .await;
    let lines = detail["versions"][0]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    let desk_line = lines.iter().find(|l| l["unit"] == "Poste 44").unwrap();
    assert_eq!(desk_line["fee_cents"], 10_000);
    assert_eq!(desk_line["discount_reason"], "Première année");
    let office_line = lines.iter().find(|l| l["unit"] == "Bureau 60").unwrap();
    assert_eq!(office_line["fee_cents"], office_line["list_fee_cents"]);
    // No deposit given: two months of fees.
    let monthly = detail["summary"]["monthly_fee_cents"].as_i64().unwrap();
    assert_eq!(detail["deposit_cents"].as_i64(), Some(monthly * 2));

    // The lease's page, for the manager.
    let page = manager
        .get(app.url(&format!("/baux/{id}?enregistre=1")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Bail enregistré."), "{page}");
    assert!(
        page.contains("Bureau 60") && page.contains("Première année"),
        "{page}"
    );

    // A member of the tenant reads it; a member of another organisation is told it does not exist.
    let tenant = app
        .create_user(
            "locataire@exemple.fr",
            coopole_app::auth::model::Role::Tenant,
            Some(free.id),
        )
        .await;
    let tenant = app.client_for(tenant).await;
    let mine = json(post(&tenant, &app, "hosting/my-leases", &Vec::new()).await).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["id"].as_i64(), Some(id));
    let res = post(
        &tenant,
        &app,
        "hosting/lease",
        &vec![("id".into(), id.to_string())],
    )
    .await;
    assert_eq!(res.status(), 200);
    let page = tenant
        .get(app.url("/baux"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("href=\"/baux/{id}\"")), "{page}");

    let neighbour = app
        .client_for(app.user("voisin@coopole.example").await.id)
        .await;
    let res = post(
        &neighbour,
        &app,
        "hosting/lease",
        &vec![("id".into(), id.to_string())],
    )
    .await;
    assert_error(res, 404, "not_found", None).await;
    let theirs = json(post(&neighbour, &app, "hosting/my-leases", &Vec::new()).await).await;
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["id"].as_i64() != Some(id))
    );
}

#[tokio::test]
async fn only_managers_record_leases_or_list_them_all() {
    let app = spawn_app().await;
    app.load_demo().await;
    let (free, _) = organisations(&app).await;
    let office = app.space_id("BUR-60").await;
    let form = lease_form(free.id, "2027-01-01", "", &[office]);
    let before = lease_rows(&app).await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let organiser = app
        .client_for(app.user("organisateur@coopole.example").await.id)
        .await;
    for (who, status) in [(&member, 403), (&organiser, 403), (&client(), 401)] {
        let res = post(who, &app, "hosting/create-lease", &form).await;
        assert_eq!(res.status(), status);
        let res = post(who, &app, "hosting/leases", &Vec::new()).await;
        assert_eq!(res.status(), status);
        let res = post(who, &app, "hosting/lease-form", &Vec::new()).await;
        assert_eq!(res.status(), status);
    }
    assert_eq!(lease_rows(&app).await, before);
    // The managers' pages send a visitor to sign in and tell a member no.
    let res = client()
        .get(app.url("/gestion/baux"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let page = member
        .get(app.url("/gestion/baux/nouveau"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);
}

#[tokio::test]
async fn bad_lease_forms_get_a_clear_message_and_write_nothing() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let (free, _) = organisations(&app).await;
    let office = app.space_id("BUR-60").await;
    let hall = app.space_id("HALLE").await;
    let before = lease_rows(&app).await;
    let with = |f: &dyn Fn(&mut Form)| {
        let mut form = lease_form(free.id, "2027-01-01", "", &[office]);
        f(&mut form);
        form
    };
    let set = |form: &mut Form, key: &str, value: &str| {
        if let Some(pair) = form.iter_mut().find(|(k, _)| k == key) {
            pair.1 = value.into();
        } else {
            form.push((key.into(), value.into()));
        }
    };
    let cases: Vec<(Form, u16, &str, &str)> = vec![
        (
            with(&|f| set(f, "organisation_id", "abc")),
            400,
            "organisation_id",
            "structure",
        ),
        (
            with(&|f| set(f, "organisation_id", "999999")),
            400,
            "organisation_id",
            "structure",
        ),
        (
            with(&|f| set(f, "starts_on", "31/02/2027")),
            400,
            "starts_on",
            "date de début",
        ),
        (
            with(&|f| set(f, "ends_on", "2026-12-31")),
            400,
            "ends_on",
            "suivre",
        ),
        (
            with(&|f| set(f, "notice_months", "-1")),
            400,
            "notice_months",
            "préavis",
        ),
        (
            with(&|f| set(f, "deposit", "beaucoup")),
            400,
            "deposit",
            "dépôt",
        ),
        (
            with(&|f| set(f, "billing_day", "31")),
            400,
            "billing_day",
            "facturation",
        ),
        (
            lease_form(free.id, "2027-01-01", "", &[]),
            400,
            "units",
            "Cochez",
        ),
        (
            lease_form(free.id, "2027-01-01", "", &[hall]),
            400,
            "units",
            "ne se loue pas",
        ),
        (
            lease_form(free.id, "2027-01-01", "", &[424_242]),
            400,
            "units",
            "n'existe pas",
        ),
        (
            with(&|f| {
                f.push(("fee_units[]".into(), office.to_string()));
                f.push(("fee_amounts[]".into(), "10,00".into()));
            }),
            400,
            "discount_reason",
            "motif",
        ),
        (
            with(&|f| {
                f.push(("fee_units[]".into(), office.to_string()));
                f.push(("fee_amounts[]".into(), "dix euros".into()));
            }),
            400,
            "fee_amounts",
            "redevance",
        ),
    ];
    for (form, status, field, words) in cases {
        let res = post(&manager, &app, "hosting/create-lease", &form).await;
        let message = assert_error(res, status, "validation", Some(field)).await;
        assert!(message.contains(words), "{field}: {message}");
    }
    assert_eq!(lease_rows(&app).await, before);
}

#[tokio::test]
async fn a_let_unit_is_refused_with_the_lease_that_holds_it_and_frees_after_its_end() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let (free, holder) = organisations(&app).await;
    // A unit the holder's lease lets today.
    let held: Vec<unit_let::Model> = unit_let::Entity::find()
        .filter(
            unit_let::Column::LeaseId.is_in(
                lease::Entity::find()
                    .filter(lease::Column::OrganisationId.eq(holder.id))
                    .all(&app.db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|l| l.id),
            ),
        )
        .all(&app.db)
        .await
        .unwrap();
    let taken = &held[0];
    let before = lease_rows(&app).await;
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, "2030-06-01", "", &[taken.space_id]),
    )
    .await;
    let message = assert_error(res, 409, "conflict", None).await;
    assert!(
        message.contains(&holder.name) && message.contains(&taken.lease_id.to_string()),
        "{message}"
    );
    assert_eq!(lease_rows(&app).await, before);

    // A fixed-term let: the day after its last day is free, its last day is not.
    let office = app.space_id("BUR-60").await;
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, "2027-01-01", "2027-06-30", &[office]),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(holder.id, "2027-06-30", "", &[office]),
    )
    .await;
    assert_error(res, 409, "conflict", None).await;
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(holder.id, "2027-07-01", "", &[office]),
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_managers_race_to_let_one_office_and_exactly_one_wins() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app.user("gestion@coopole.example").await;
    let office = app.space_id("BUR-60").await;
    let orgs = organisation::Entity::find().all(&app.db).await.unwrap();
    let url = app.url("/api/hosting/create-lease");
    let mut requests = Vec::new();
    // Overlapping periods, each for a different organisation, all holding March 2027.
    let periods = [
        ("2027-01-01", ""),
        ("2027-03-01", "2027-03-31"),
        ("2026-12-15", "2027-04-30"),
        ("2027-02-01", "2028-01-31"),
        ("2027-03-15", ""),
    ];
    for i in 0..50 {
        let client = app.client_for(manager.id).await;
        let (from, until) = periods[i % periods.len()];
        let org = orgs[i % orgs.len()].id;
        requests.push(
            client
                .post(&url)
                .form(&lease_form(org, from, until, &[office])),
        );
    }
    let before = lease_rows(&app).await;
    let mut wins = 0;
    for (status, body) in all_at_once(requests).await {
        match status {
            200 => wins += 1,
            409 => {
                let v: Value = serde_json::from_str(&body).unwrap();
                assert!(
                    v["message"].as_str().unwrap().contains("Bureau 60"),
                    "{body}"
                );
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(wins, 1, "exactly one lease lets the office");
    let after = lease_rows(&app).await;
    assert_eq!(after[0], before[0] + 1);
    assert_eq!(after[3], before[3] + 1);
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::SpaceId.eq(office))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(lets, 1);
}

#[tokio::test]
async fn the_database_itself_refuses_a_second_let_of_a_unit() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app().await;
    app.load_demo().await;
    let taken = unit_let::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // Straight into the table, past the service's check: the constraint (PostgreSQL) or the
    // trigger (SQLite) refuses it.
    let res = unit_let::ActiveModel {
        space_id: Set(taken.space_id),
        lease_id: Set(taken.lease_id),
        starts_on: Set(taken.starts_on + chrono::Days::new(10)),
        ends_on: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await;
    let err = res.expect_err("a second let of one unit over the same days");
    assert!(coopole_app::db::is_conflict(&err), "{err}");
}

/// A client signed in as the referent of `org`: the demo's, or one made for the test.
async fn referent_of(app: &TestApp, org: i32, email: &str) -> reqwest::Client {
    use coopole_app::entities::user;
    use sea_orm::{ActiveModelTrait, Set};
    let existing = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(org))
        .filter(user::Column::IsReferent.eq(true))
        .one(&app.db)
        .await
        .unwrap();
    if let Some(referent) = existing {
        return app.client_for(referent.id).await;
    }
    let id = app
        .create_user(email, coopole_app::auth::model::Role::Tenant, Some(org))
        .await;
    user::ActiveModel {
        id: Set(id),
        is_referent: Set(true),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    app.client_for(id).await
}

#[tokio::test]
async fn the_referent_gives_notice_once_and_the_units_free_up_after_it_runs_out() {
    let app = spawn_app().await;
    app.load_demo().await;
    let (free, _) = organisations(&app).await;
    let held = lease::Entity::find()
        .filter(lease::Column::EndsOn.is_null())
        .one(&app.db)
        .await
        .unwrap()
        .expect("an open-ended lease");
    let holder = organisation::Entity::find_by_id(held.organisation_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let id = vec![("id".to_owned(), held.id.to_string())];
    let confirmed = vec![
        ("id".to_owned(), held.id.to_string()),
        ("confirm".to_owned(), "on".to_owned()),
    ];
    let before = (
        lease::Entity::find_by_id(held.id)
            .one(&app.db)
            .await
            .unwrap(),
        lease_rows(&app).await,
    );

    // A member who is not the referent is told who can; a referent elsewhere sees no lease.
    let member = app
        .create_user(
            "membre2@exemple.fr",
            coopole_app::auth::model::Role::Tenant,
            Some(holder.id),
        )
        .await;
    let member = app.client_for(member).await;
    let message = assert_error(
        post(&member, &app, "hosting/give-notice", &confirmed).await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert!(message.contains("référent"), "{message}");
    let stranger = referent_of(&app, free.id, "ailleurs@exemple.fr").await;
    assert_error(
        post(&stranger, &app, "hosting/give-notice", &confirmed).await,
        404,
        "not_found",
        None,
    )
    .await;
    let referent = referent_of(&app, holder.id, "referente@exemple.fr").await;
    assert_error(
        post(&referent, &app, "hosting/give-notice", &id).await,
        400,
        "validation",
        Some("confirm"),
    )
    .await;
    assert_eq!(
        (
            lease::Entity::find_by_id(held.id)
                .one(&app.db)
                .await
                .unwrap(),
            lease_rows(&app).await
        ),
        before,
        "refused notices change nothing"
    );

    // The lease page offers notice to the referent only, with its last day written out.
    let today = coopole_app::bookings::rules::paris_today(chrono::Utc::now());
    let end =
        coopole_app::hosting::rules::notice(held.status, held.starts_on, None, 3, today).unwrap();
    let detail = json(post(&referent, &app, "hosting/lease", &id).await).await;
    assert_eq!(detail["notice_would_end"], end.to_string());
    let detail = json(post(&member, &app, "hosting/lease", &id).await).await;
    assert!(detail["notice_would_end"].is_null());

    let res = post(&referent, &app, "hosting/give-notice", &confirmed).await;
    assert_eq!(res.status(), 200);
    let after = lease::Entity::find_by_id(held.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.ends_on, Some(end));
    assert_eq!(after.notice_given_on, Some(today));
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::LeaseId.eq(held.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(lets.iter().all(|l| l.ends_on == Some(end)));
    let page = referent
        .get(app.url(&format!("/baux/{}?preavis=1", held.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Congé enregistré.") && page.contains("Préavis donné"),
        "{page}"
    );
    assert!(
        !page.contains("name=\"confirm\""),
        "notice is not offered twice: {page}"
    );

    // Given twice: refused, and nothing moves.
    let message = assert_error(
        post(&referent, &app, "hosting/give-notice", &confirmed).await,
        409,
        "conflict",
        None,
    )
    .await;
    assert!(message.contains("déjà"), "{message}");

    // The unit is free the day after the lease's last day, not on it.
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let unit = lets[0].space_id;
    let last = end.to_string();
    let next = end.succ_opt().unwrap().to_string();
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, &last, "", &[unit]),
    )
    .await;
    assert_error(res, 409, "conflict", None).await;
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, &next, "", &[unit]),
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn an_amendment_adds_a_version_and_keeps_the_earlier_one() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let (free, _) = organisations(&app).await;
    let (office, desk, other) = (
        app.space_id("BUR-60").await,
        app.space_id("POSTE-44").await,
        app.space_id("POSTE-43").await,
    );
    let today = coopole_app::bookings::rules::paris_today(chrono::Utc::now());
    let starts = today.to_string();
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, &starts, "", &[office, desk]),
    )
    .await;
    let id = json(res).await.as_i64().unwrap().to_string();
    let first = json(
        post(
            &manager,
            &app,
            "hosting/lease",
            &vec![("id".into(), id.clone())],
        )
        .await,
    )
    .await;

    // From next month: the desk given back, another desk taken, the office at a lower fee.
    let from = (today + chrono::Days::new(40)).to_string();
    let amend = |from: &str, units: &[i32], reason: &str| {
        let mut form: Form = vec![
            ("id".into(), id.clone()),
            ("effective_from".into(), from.into()),
            ("reason".into(), reason.into()),
            ("discount_reason".into(), "Bureau sans fenêtre".into()),
            ("fee_units[]".into(), office.to_string()),
            ("fee_amounts[]".into(), "100,00".into()),
        ];
        for u in units {
            form.push(("units[]".into(), u.to_string()));
        }
        form
    };
    let before = lease_rows(&app).await;
    // Refused: a past day, no reason, a unit let to someone else; nothing is written.
    let yesterday = today.pred_opt().unwrap().to_string();
    let message = assert_error(
        post(
            &manager,
            &app,
            "hosting/amend-lease",
            &amend(&yesterday, &[office, other], "Avenant"),
        )
        .await,
        400,
        "validation",
        Some("effective_from"),
    )
    .await;
    assert!(message.contains("aujourd'hui"), "{message}");
    assert_error(
        post(
            &manager,
            &app,
            "hosting/amend-lease",
            &amend(&from, &[office, other], " "),
        )
        .await,
        400,
        "validation",
        Some("reason"),
    )
    .await;
    let held = unit_let::Entity::find()
        .filter(unit_let::Column::EndsOn.is_null())
        .filter(unit_let::Column::LeaseId.ne(id.parse::<i32>().unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_error(
        post(
            &manager,
            &app,
            "hosting/amend-lease",
            &amend(&from, &[office, held.space_id], "Avenant"),
        )
        .await,
        409,
        "conflict",
        None,
    )
    .await;
    // A tenant may not amend, even their own lease.
    let member = app
        .create_user(
            "membre-avenant@exemple.fr",
            coopole_app::auth::model::Role::Tenant,
            Some(free.id),
        )
        .await;
    let member = app.client_for(member).await;
    assert_error(
        post(
            &member,
            &app,
            "hosting/amend-lease",
            &amend(&from, &[office, other], "Avenant"),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(lease_rows(&app).await, before);

    let res = post(
        &manager,
        &app,
        "hosting/amend-lease",
        &amend(&from, &[office, other], "Échange de poste"),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, 2);
    let after = json(
        post(
            &manager,
            &app,
            "hosting/lease",
            &vec![("id".into(), id.clone())],
        )
        .await,
    )
    .await;
    let versions = after["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    // Version 1 is as it was, and now runs until the eve of the amendment.
    assert_eq!(versions[0]["lines"], first["versions"][0]["lines"]);
    let eve = (today + chrono::Days::new(39)).to_string();
    assert_eq!(versions[0]["effective_until"], eve);
    assert_eq!(versions[1]["effective_from"], from);
    assert_eq!(versions[1]["reason"], "Échange de poste");
    let office_fee = versions[1]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["unit"] == "Bureau 60")
        .unwrap()["fee_cents"]
        .clone();
    assert_eq!(office_fee, 10_000);
    // Today the lease still has its first terms.
    assert_eq!(
        after["summary"]["monthly_fee_cents"],
        first["summary"]["monthly_fee_cents"]
    );
    // The desk given back is let until the eve; the new one from the day.
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::LeaseId.eq(id.parse::<i32>().unwrap()))
        .all(&app.db)
        .await
        .unwrap();
    let of = |space: i32| lets.iter().find(|l| l.space_id == space).unwrap();
    assert_eq!(of(desk).ends_on.map(|d| d.to_string()), Some(eve.clone()));
    assert_eq!(of(other).starts_on.to_string(), from);
    assert_eq!(of(office).ends_on, None);
    // The desk given back is free for another lease from the amendment's day.
    let (_, holder) = organisations(&app).await;
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(holder.id, &from, "", &[desk]),
    )
    .await;
    assert_eq!(res.status(), 200);
    // A second amendment on the same day is refused: the versions stay in order.
    let message = assert_error(
        post(
            &manager,
            &app,
            "hosting/amend-lease",
            &amend(&from, &[office], "Encore"),
        )
        .await,
        400,
        "validation",
        Some("effective_from"),
    )
    .await;
    assert!(message.contains("dernière version"), "{message}");
    // The amendment page starts from the latest terms.
    let page = manager
        .get(app.url(&format!("/gestion/baux/{id}/avenant")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Avenant au bail"), "{page}");
    assert!(page.contains("value=\"100,00\""), "{page}");
}

#[tokio::test]
async fn a_manager_ends_a_lease_early_with_a_reason_and_the_tier_follows_the_lease() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let (free, _) = organisations(&app).await;
    assert_ne!(free.tier, coopole_app::organisations::model::Tier::Resident);
    let office = app.space_id("BUR-60").await;
    let today = coopole_app::bookings::rules::paris_today(chrono::Utc::now());
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, &today.to_string(), "", &[office]),
    )
    .await;
    let id = json(res).await.as_i64().unwrap() as i32;
    let tier = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            organisation::Entity::find_by_id(free.id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .tier
        }
    };
    // A lease in force makes the organisation a resident.
    assert_eq!(
        tier(&app).await,
        coopole_app::organisations::model::Tier::Resident
    );

    let end = |day: &str, reason: &str| -> Form {
        vec![
            ("id".into(), id.to_string()),
            ("ends_on".into(), day.into()),
            ("end_reason".into(), reason.into()),
        ]
    };
    let before = lease_rows(&app).await;
    let member = app
        .create_user(
            "membre-fin@exemple.fr",
            coopole_app::auth::model::Role::Tenant,
            Some(free.id),
        )
        .await;
    let member = app.client_for(member).await;
    let day = today.to_string();
    assert_error(
        post(&member, &app, "hosting/end-lease", &end(&day, "Départ")).await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_error(
        post(&manager, &app, "hosting/end-lease", &end(&day, "  ")).await,
        400,
        "validation",
        Some("end_reason"),
    )
    .await;
    let yesterday = today.pred_opt().unwrap().to_string();
    assert_error(
        post(
            &manager,
            &app,
            "hosting/end-lease",
            &end(&yesterday, "Départ"),
        )
        .await,
        400,
        "validation",
        Some("ends_on"),
    )
    .await;
    assert_error(
        post(
            &manager,
            &app,
            "hosting/end-lease",
            &end("demain", "Départ"),
        )
        .await,
        400,
        "validation",
        Some("ends_on"),
    )
    .await;
    let stored = lease::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.ends_on, stored.end_reason), (None, None));
    assert_eq!(lease_rows(&app).await, before);

    let res = post(
        &manager,
        &app,
        "hosting/end-lease",
        &end(&day, "Fusion avec une autre association"),
    )
    .await;
    assert_eq!(res.status(), 200);
    let stored = lease::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.ends_on, Some(today));
    assert_eq!(
        stored.end_reason.as_deref(),
        Some("Fusion avec une autre association")
    );
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::LeaseId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(lets.iter().all(|l| l.ends_on == Some(today)), "{lets:?}");
    // Ending it again on the same day is refused, and says why.
    let message = assert_error(
        post(&manager, &app, "hosting/end-lease", &end(&day, "Encore")).await,
        400,
        "validation",
        Some("ends_on"),
    )
    .await;
    assert!(message.contains("déjà"), "{message}");
    // The page shows the end and its reason to the tenant.
    let page = member
        .get(app.url(&format!("/baux/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Fusion avec une autre association"), "{page}");
    // Still resident on its last day; back to its tier the day after.
    assert_eq!(
        tier(&app).await,
        coopole_app::organisations::model::Tier::Resident
    );
    let tomorrow = today.succ_opt().unwrap();
    coopole_app::hosting::service::sync_tiers(&app.db, tomorrow)
        .await
        .unwrap();
    assert_eq!(tier(&app).await, free.tier);
    // The office is free for another lease from tomorrow.
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, &tomorrow.to_string(), "", &[office]),
    )
    .await;
    assert_eq!(res.status(), 200);
}

/// The dashboard's forecast and vacancies, as the server function returns them.
async fn occupancy(client: &reqwest::Client, app: &TestApp, query: &[(&str, &str)]) -> Value {
    let form: Form = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let res = post(client, app, "hosting/occupancy", &form).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

fn offices_let_milli(month: &Value) -> i64 {
    month["kinds"][0]["let_units_milli"].as_i64().unwrap()
}

#[tokio::test]
async fn notice_moves_the_forecast_and_names_the_vacancy() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let (free, _) = organisations(&app).await;
    let office = app.space_id("BUR-60").await;
    let today = coopole_app::bookings::rules::paris_today(chrono::Utc::now());
    let first = occupancy(&manager, &app, &[]).await;
    let res = post(
        &manager,
        &app,
        "hosting/create-lease",
        &lease_form(free.id, &today.to_string(), "", &[office]),
    )
    .await;
    let id = json(res).await.as_i64().unwrap();
    let let_ = occupancy(&manager, &app, &[]).await;
    // The office counts from today in this month, and in full in each month to come.
    let (before, after) = (&first["forecast"][11], &let_["forecast"][11]);
    assert_eq!(offices_let_milli(after) - offices_let_milli(before), 1_000);
    let named = |o: &Value| {
        o["vacancies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["unit"] == "Bureau 60")
    };
    assert!(!named(&let_));

    let referent = referent_of(&app, free.id, "referente-prevision@exemple.fr").await;
    let res = post(
        &referent,
        &app,
        "hosting/give-notice",
        &vec![
            ("id".into(), id.to_string()),
            ("confirm".into(), "on".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    let noticed = occupancy(&manager, &app, &[]).await;
    let end = lease::Entity::find_by_id(id as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .ends_on
        .unwrap();
    let vacancy = noticed["vacancies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["unit"] == "Bureau 60")
        .cloned()
        .expect("the office named as freed");
    assert_eq!(vacancy["free_from"], end.succ_opt().unwrap().to_string());
    assert_eq!(vacancy["organisation"], free.name.as_str());
    assert_eq!(vacancy["on_notice"], true);
    // The last forecast month, after the notice has run, no longer counts the office.
    assert_eq!(
        offices_let_milli(&noticed["forecast"][11]),
        offices_let_milli(before)
    );

    // Only managers see the dashboard, and a bad range is refused with its field.
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    assert_error(
        post(&member, &app, "hosting/occupancy", &Form::new()).await,
        403,
        "forbidden",
        None,
    )
    .await;
    for (field, bad) in [("mois", "2026-13"), ("mois", "décembre"), ("sur", "5")] {
        let form: Form = vec![(field.into(), bad.into())];
        assert_error(
            post(&manager, &app, "hosting/occupancy", &form).await,
            400,
            "validation",
            Some(field),
        )
        .await;
    }
    let three_years = occupancy(&manager, &app, &[("mois", "2026-12"), ("sur", "36")]).await;
    assert_eq!(three_years["months"].as_array().unwrap().len(), 36);
    assert_eq!(three_years["months"][0]["year"], 2024);
    assert_eq!(three_years["months"][0]["month"], 1);
}

#[tokio::test]
async fn the_dashboard_page_draws_its_trend_and_exports_each_table_to_managers_only() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let page = manager
        .get(app.url("/gestion/occupation?sur=6"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<svg aria-hidden=\"true\""), "{page}");
    assert!(
        page.contains("/gestion/occupation/liberations.csv?mois="),
        "{page}"
    );
    // The demo's notice shows as a vacancy, by its organisation's name.
    let noticed = lease::Entity::find()
        .filter(lease::Column::NoticeGivenOn.is_not_null())
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo's notice");
    let holder = organisation::Entity::find_by_id(noticed.organisation_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let csv = manager
        .get(app.url("/gestion/occupation/liberations.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(
        csv.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let body = csv.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'), "{body}");
    assert!(body.contains(&holder.name), "{body}");
    let month = manager
        .get(app.url("/gestion/occupation/mois.csv?mois=2026-11&sur=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // A header, three kinds and the total.
    assert_eq!(month.lines().count(), 5, "{month}");
    let status = |path: &'static str, client: reqwest::Client| {
        let url = app.url(path);
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        status("/gestion/occupation/nimporte.csv", manager.clone()).await,
        404
    );
    assert_eq!(
        status("/gestion/occupation/mois.csv?mois=2026-99", manager.clone()).await,
        400
    );
    assert_eq!(
        status("/gestion/occupation/mois.csv?sur=abc", manager.clone()).await,
        400
    );
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    assert_eq!(status("/gestion/occupation/mois.csv", member).await, 403);
    assert_eq!(
        status("/gestion/occupation/mois.csv", reqwest::Client::new()).await,
        401
    );
}
