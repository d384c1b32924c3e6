//! Applications over HTTP, end to end: a visitor applies with a new account and books a visit;
//! a manager marks it visited and puts it on a committee's agenda; the committee page shows the
//! diversity panel; the decision is recorded with its votes; accepted, the candidate gets
//! promised units, an organisation and a lease. Candidates see only their own applications,
//! bad input writes nothing, and the last place of a visit goes to one candidate.
use crate::helpers::*;
use chrono::{Duration, Utc};
use coopole_app::applications::service as applications;
use coopole_app::auth::model::Role;
use coopole_app::bookings::rules::paris_today;
use coopole_app::entities::{
    application, application_step, committee_item, organisation, unit_let, unit_promise, user,
    visit_slot,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

type Fields = Vec<(&'static str, String)>;

fn application_form(name: &str, wanted_from: chrono::NaiveDate) -> Fields {
    vec![
        ("organisation_name", name.into()),
        ("legal_form", "cae".into()),
        ("siret", "542 065 479".into()),
        ("founded_year", "2020".into()),
        ("esus", "on".into()),
        ("sector", "citizen_energy".into()),
        ("headcount", "5".into()),
        ("address", "12 quai de la Fosse, 44000 Nantes".into()),
        ("office_people", "5".into()),
        ("desks", "".into()),
        ("storage_m2", "4".into()),
        ("wanted_from", wanted_from.to_string()),
        ("duration_months", "".into()),
        (
            "project",
            "Une coopérative d'activités pour les métiers de la transition.".into(),
        ),
        (
            "contribution",
            "Des ateliers de gestion pour les structures du pôle.".into(),
        ),
        ("contact_name", "Maëlle Guillou".into()),
        ("contact_email", "maelle@cae.example".into()),
        ("contact_phone", "".into()),
        ("visit_slot", "".into()),
    ]
}

async fn counts(app: &TestApp) -> [u64; 5] {
    [
        application::Entity::find().count(&app.db).await.unwrap(),
        application_step::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        committee_item::Entity::find().count(&app.db).await.unwrap(),
        user::Entity::find().count(&app.db).await.unwrap(),
        unit_promise::Entity::find().count(&app.db).await.unwrap(),
    ]
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_candidate_applies_visits_goes_to_committee_and_gets_a_lease() {
    let app = spawn_app().await;
    app.load_demo().await;
    let today = paris_today(Utc::now());
    let wanted = today + Duration::days(40);
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;

    // A visitor applies, with a visit slot and an account made on the way.
    let slots = ok(post(&app, &client(), "applications/open-slots", &[]).await).await;
    let slot = slots[0]["id"].as_i64().unwrap();
    let booked_before = slots[0]["booked"].as_i64().unwrap();
    let visitor = client();
    let mut form = application_form("Coop'Transitions", wanted);
    form.retain(|(k, _)| *k != "visit_slot");
    form.extend([
        ("visit_slot", slot.to_string()),
        ("account_name", "Maëlle Guillou".into()),
        ("account_email", "maelle@cae.example".into()),
        ("account_password", PASSWORD.into()),
    ]);
    let id = ok(post(&app, &visitor, "applications/submit", &form).await)
        .await
        .as_i64()
        .unwrap()
        .to_string();
    let candidate = app.user("maelle@cae.example").await;
    assert_eq!(candidate.role, Role::Candidate);
    let slot_row = visit_slot::Entity::find_by_id(slot as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(i64::from(slot_row.booked), booked_before + 1);
    let mine = ok(post(&app, &visitor, "applications/get", &[("id", id.clone())]).await).await;
    assert_eq!(mine["summary"]["status"], "visit_booked");
    assert_eq!(mine["summary"]["wants"]["office_people"], 5);
    assert!(
        mine["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["by"].is_null())
    );
    assert_eq!(mine["is_manager"], false);
    let listed = ok(post(&app, &visitor, "applications/mine", &[]).await).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Nobody else sees it; candidates and tenants run nothing of the pipeline.
    let other = app
        .client_for(app.user("candidate2@coopole.example").await.id)
        .await;
    let tenant = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    for c in [&other, &tenant] {
        assert_error(
            post(&app, c, "applications/get", &[("id", id.clone())]).await,
            404,
            "not_found",
            None,
        )
        .await;
        assert_error(
            post(&app, c, "applications/withdraw", &[("id", id.clone())]).await,
            404,
            "not_found",
            None,
        )
        .await;
    }
    assert_error(
        post(&app, &client(), "applications/get", &[("id", id.clone())]).await,
        401,
        "unauthorized",
        None,
    )
    .await;
    for endpoint in [
        "applications/move",
        "applications/pipeline",
        "committees/list",
        "hosting/plan",
    ] {
        let form = vec![("id", id.clone()), ("to", "visited".to_string())];
        assert_error(
            post(&app, &visitor, endpoint, &form).await,
            403,
            "forbidden",
            None,
        )
        .await;
    }

    // The manager marks the visit done, with a note the candidate does not see.
    let note = "Visite avec deux associés ; besoin d'un bureau de cinq.";
    ok(post(
        &app,
        &manager,
        "applications/move",
        &[
            ("id", id.clone()),
            ("to", "visited".into()),
            ("note", note.into()),
        ],
    )
    .await)
    .await;
    let slot_row = visit_slot::Entity::find_by_id(slot as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        i64::from(slot_row.booked),
        booked_before + 1,
        "a visit done keeps its place"
    );
    let seen = ok(post(&app, &visitor, "applications/get", &[("id", id.clone())]).await).await;
    assert_eq!(seen["summary"]["status"], "visited");
    assert!(!seen.to_string().contains("associés"));
    let managed = ok(post(&app, &manager, "applications/get", &[("id", id.clone())]).await).await;
    assert!(managed.to_string().contains("associés"));

    // A session to come; the application goes on its agenda.
    let day = (today + Duration::days(7)).to_string();
    let committee = ok(post(
        &app,
        &manager,
        "committees/create",
        &[
            ("day", day),
            ("time", "14:00".into()),
            ("place", "Salle Loire".into()),
        ],
    )
    .await)
    .await
    .as_i64()
    .unwrap()
    .to_string();
    ok(post(
        &app,
        &manager,
        "applications/agenda",
        &[
            ("id", id.clone()),
            ("committee", committee.clone()),
            ("note", String::new()),
        ],
    )
    .await)
    .await;
    let session = ok(post(
        &app,
        &manager,
        "committees/get",
        &[("id", committee.clone())],
    )
    .await)
    .await;
    let item = &session["items"][0];
    assert_eq!(item["application"]["organisation_name"], "Coop'Transitions");
    let panel = &item["panel"];
    assert!(panel["hosted"].as_u64().unwrap() > 10);
    assert_eq!(panel["tables"].as_array().unwrap().len(), 4);
    let forms = panel["tables"][0]["rows"].as_array().unwrap();
    let cae = forms.iter().find(|r| r["candidate"] == true).unwrap();
    assert_eq!(cae["value"]["LegalForm"], "cae");
    assert!(cae["after"]["organisations"].as_u64() > cae["before"]["organisations"].as_u64());
    assert_eq!(
        panel["targets"].as_array().unwrap().len(),
        4,
        "the demo's four targets"
    );
    let html = manager
        .get(app.url(&format!("/gestion/comites/{committee}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Transitions") && html.contains("diversity-panel"),
        "{html}"
    );

    // A vote on an application that is not on this agenda, and votes that do not carry the
    // decision, are refused and change nothing.
    let before = counts(&app).await;
    let demo_visited = application::Entity::find()
        .filter(application::Column::OrganisationName.eq("Numérique Pour Tous 44"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let vote = |application: String, decision: &str, yes: &str, no: &str| {
        vec![
            ("committee", committee.clone()),
            ("application", application),
            ("decision", decision.to_string()),
            ("votes_for", yes.to_string()),
            ("votes_against", no.to_string()),
            ("votes_abstain", "1".to_string()),
            (
                "reasons",
                "Projet solide, secteur peu représenté.".to_string(),
            ),
        ]
    };
    assert_error(
        post(
            &app,
            &manager,
            "committees/decide",
            &vote(demo_visited.id.to_string(), "accepted", "5", "0"),
        )
        .await,
        409,
        "conflict",
        None,
    )
    .await;
    assert_error(
        post(
            &app,
            &manager,
            "committees/decide",
            &vote(id.clone(), "accepted", "1", "4"),
        )
        .await,
        400,
        "validation",
        Some("decision"),
    )
    .await;
    assert_error(
        post(
            &app,
            &visitor,
            "committees/decide",
            &vote(id.clone(), "accepted", "5", "0"),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(counts(&app).await, before);

    // Accepted, 5 for, 0 against, 1 abstention; a second vote on it is refused. Reasons may
    // run to 2,000 characters, and the step keeps them whole.
    let mut accept = vote(id.clone(), "accepted", "5", "0");
    let reasons = "Projet solide et coopératif. ".repeat(65);
    accept.retain(|(k, _)| *k != "reasons");
    accept.push(("reasons", reasons.clone()));
    ok(post(&app, &manager, "committees/decide", &accept).await).await;
    let step = application_step::Entity::find()
        .filter(application_step::Column::ApplicationId.eq(id.parse::<i32>().unwrap()))
        .all(&app.db)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(step.note, reasons.trim());
    assert_error(
        post(
            &app,
            &manager,
            "committees/decide",
            &vote(id.clone(), "refused", "0", "5"),
        )
        .await,
        409,
        "conflict",
        None,
    )
    .await;
    let accepted = ok(post(&app, &manager, "applications/get", &[("id", id.clone())]).await).await;
    assert_eq!(accepted["summary"]["status"], "accepted");
    assert_eq!(accepted["decisions"][0]["votes_for"], 5);
    // Accepted, it can no longer be withdrawn.
    assert_error(
        post(
            &app,
            &visitor,
            "applications/withdraw",
            &[("id", id.clone())],
        )
        .await,
        409,
        "conflict",
        None,
    )
    .await;

    // Two free offices promised; the forecast counts them and names the arrival.
    let offices: Vec<i64> = accepted["free_units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "office")
        .take(2)
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(offices.len(), 2);
    let dash = |app: &TestApp| {
        let manager = manager.clone();
        let url = app.url("/api/hosting/occupancy");
        async move {
            ok(manager
                .post(url)
                .form(&[("mois", ""), ("sur", "1")])
                .send()
                .await
                .unwrap())
            .await
        }
    };
    let before_forecast = dash(&app).await;
    let mut promise: Vec<(&str, String)> = vec![("id", id.clone())];
    promise.extend(offices.iter().map(|o| ("units[]", o.to_string())));
    ok(post(&app, &manager, "applications/promise", &promise).await).await;
    let after_forecast = dash(&app).await;
    assert!(
        after_forecast["arrivals"]
            .to_string()
            .contains("Coop'Transitions")
    );
    let let_units = |d: &Value| {
        d["forecast"][11]["kinds"][0]["let_units_milli"]
            .as_i64()
            .unwrap()
    };
    assert!(
        let_units(&after_forecast) > let_units(&before_forecast),
        "the promised offices count in the forecast"
    );

    // The organisation, then the lease from the application, for the two offices.
    ok(post(
        &app,
        &manager,
        "applications/organisation",
        &[("id", id.clone())],
    )
    .await)
    .await;
    let org = organisation::Entity::find()
        .filter(organisation::Column::Name.eq("Coop'Transitions"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let candidate = app.user("maelle@cae.example").await;
    assert_eq!(
        (
            candidate.role,
            candidate.organisation_id,
            candidate.is_referent
        ),
        (Role::Tenant, Some(org.id), true)
    );
    let prefill = ok(post(
        &app,
        &manager,
        "hosting/lease-form",
        &[("candidature", id.clone())],
    )
    .await)
    .await;
    assert_eq!(prefill["prefill"]["organisation_id"], org.id);
    assert_eq!(prefill["prefill"]["units"].as_array().unwrap().len(), 2);
    let mut lease: Vec<(&str, String)> = vec![
        ("organisation_id", org.id.to_string()),
        ("starts_on", wanted.to_string()),
        ("notice_months", "3".into()),
        ("included_hours", "6".into()),
        ("billing_day", "1".into()),
        ("application", id.clone()),
    ];
    lease.extend(offices.iter().map(|o| ("units[]", o.to_string())));
    let lease_id = ok(post(&app, &manager, "hosting/create-lease", &lease).await).await;
    let row = application::Entity::find_by_id(id.parse::<i32>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.lease_id.map(i64::from), lease_id.as_i64());
    assert_eq!(
        unit_promise::Entity::find()
            .filter(unit_promise::Column::ApplicationId.eq(row.id))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    // A second lease from the same application is refused.
    assert_error(
        post(&app, &manager, "hosting/create-lease", &lease).await,
        409,
        "conflict",
        None,
    )
    .await;
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::LeaseId.eq(lease_id.as_i64().unwrap() as i32))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(lets, 2);

    // The new referent prints the lease, and downloads its PDF; another tenant cannot.
    let lease_id = lease_id.as_i64().unwrap();
    let doc = ok(post(
        &app,
        &visitor,
        "hosting/lease-document",
        &[("id", lease_id.to_string())],
    )
    .await)
    .await;
    assert_eq!(doc["tenant"]["name"], "Coop'Transitions");
    assert_eq!(doc["tenant"]["signatory"], "Maëlle Guillou");
    assert_eq!(
        doc["lease"]["versions"][0]["lines"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let html = visitor
        .get(app.url(&format!("/baux/{lease_id}/document")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("lease-document") && html.contains("Maëlle Guillou"),
        "{html}"
    );
    let pdf = visitor
        .get(app.url(&format!("/baux/{lease_id}/bail.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let other = tenant
        .get(app.url(&format!("/baux/{lease_id}/bail.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    let anonymous = client()
        .get(app.url(&format!("/baux/{lease_id}/bail.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn bad_applications_are_named_and_write_nothing() {
    let app = spawn_app().await;
    app.load_demo().await;
    let today = paris_today(Utc::now());
    let before = counts(&app).await;
    let cases: [(&str, &str, &str); 10] = [
        ("siret", "542 065 478", "siret"),
        ("siret", "12345", "siret"),
        ("desks", "10000", "desks"),
        ("office_people", "-3", "office_people"),
        ("wanted_from", "2020-01-01", "wanted_from"),
        ("founded_year", "3000", "founded_year"),
        ("legal_form", "sarl", "legal_form"),
        ("contact_email", "pas-une-adresse", "contact_email"),
        ("visit_slot", "999999", "visit_slot"),
        ("project", "", "project"),
    ];
    for (field, value, named) in cases {
        let mut form = application_form("Atelier Refusé", today + Duration::days(30));
        for f in form.iter_mut().filter(|(k, _)| *k == field) {
            f.1 = value.to_string();
        }
        form.extend([
            ("account_name", "Lou Martin".into()),
            ("account_email", "lou@exemple.fr".into()),
            ("account_password", PASSWORD.into()),
        ]);
        assert_error(
            post(&app, &client(), "applications/submit", &form).await,
            400,
            "validation",
            Some(named),
        )
        .await;
    }
    // No need at all, and an essay past its limit.
    let mut form = application_form("Atelier Refusé", today + Duration::days(30));
    for f in form
        .iter_mut()
        .filter(|(k, _)| matches!(*k, "office_people" | "storage_m2"))
    {
        f.1 = "0".into();
    }
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    assert_error(
        post(&app, &member, "applications/submit", &form).await,
        400,
        "validation",
        Some("office_people"),
    )
    .await;
    let mut form = application_form("Atelier Refusé", today + Duration::days(30));
    for f in form.iter_mut().filter(|(k, _)| *k == "contribution") {
        f.1 = "x".repeat(3_001);
    }
    assert_error(
        post(&app, &member, "applications/submit", &form).await,
        400,
        "validation",
        Some("contribution"),
    )
    .await;
    // A bad account on the way: no account, no application.
    let mut form = application_form("Atelier Refusé", today + Duration::days(30));
    form.extend([
        ("account_name", "Lou Martin".into()),
        ("account_email", "lou@exemple.fr".into()),
        ("account_password", "court".into()),
    ]);
    assert_error(
        post(&app, &client(), "applications/submit", &form).await,
        400,
        "validation",
        Some("account_password"),
    )
    .await;
    assert_eq!(counts(&app).await, before);

    // Managers' forms: a slot in the past, a target out of range, a decision without reasons.
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let past = (today - Duration::days(1)).to_string();
    assert_error(
        post(
            &app,
            &manager,
            "applications/open-slot",
            &[("day", past), ("start", "10:00".into())],
        )
        .await,
        400,
        "validation",
        Some("day"),
    )
    .await;
    assert_error(
        post(
            &app,
            &manager,
            "committees/targets",
            &[("min_sectors", "99".into())],
        )
        .await,
        400,
        "validation",
        Some("min_sectors"),
    )
    .await;
    let session = committee_item::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let decide = [
        ("committee", session.committee_id.to_string()),
        ("application", session.application_id.to_string()),
        ("decision", "accepted".to_string()),
        ("votes_for", "3".to_string()),
        ("reasons", " ".to_string()),
    ];
    assert_error(
        post(&app, &manager, "committees/decide", &decide).await,
        400,
        "validation",
        Some("reasons"),
    )
    .await;
    assert_error(
        post(
            &app,
            &manager,
            "hosting/place-unit",
            &[
                ("unit", "1".into()),
                ("floor", "1".into()),
                ("x", "-5".into()),
                ("y", "0".into()),
                ("width", "10".into()),
                ("height", "10".into()),
            ],
        )
        .await,
        400,
        "validation",
        Some("x"),
    )
    .await;
    assert_eq!(counts(&app).await, before);

    // One account has three applications under way at most.
    for n in 0..3 {
        let form = application_form(&format!("Atelier {n}"), today + Duration::days(30));
        ok(post(&app, &member, "applications/submit", &form).await).await;
    }
    let form = application_form("Atelier 4", today + Duration::days(30));
    assert_error(
        post(&app, &member, "applications/submit", &form).await,
        409,
        "conflict",
        None,
    )
    .await;

    // A unit promised to the demo's accepted candidate cannot be let to someone else.
    let promise = unit_promise::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("a demo promise");
    let free_org = organisation::Entity::find()
        .filter(organisation::Column::Name.eq("Collectif des Quartiers Sud"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let lease = [
        ("organisation_id", free_org.id.to_string()),
        ("starts_on", (today + Duration::days(90)).to_string()),
        ("units[]", promise.space_id.to_string()),
    ];
    let message = assert_error(
        post(&app, &manager, "hosting/create-lease", &lease).await,
        409,
        "conflict",
        None,
    )
    .await;
    assert!(message.contains("Coop'Énergie des Îles"), "{message}");
}

#[tokio::test]
async fn the_last_place_of_a_visit_goes_to_one_candidate() {
    let app = spawn_app().await;
    app.load_demo().await;
    let now = Utc::now();
    let today = paris_today(now);
    let manager = app.user("gestion@coopole.example").await.id;
    let slot = applications::open_slot(
        &app.db,
        manager,
        &coopole_app::applications::model::NewSlot {
            day: today + Duration::days(3),
            start: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            minutes: 60,
            capacity: 1,
        },
        now,
    )
    .await
    .unwrap();
    let mut requests = Vec::new();
    for i in 0..20 {
        let email = format!("course{i}@exemple.fr");
        let id = app.create_user(&email, Role::Candidate, None).await;
        let form: Vec<(String, String)> =
            application_form(&format!("Course {i}"), today + Duration::days(30))
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        let parsed = coopole_app::applications::model::ApplicationForm {
            organisation_name: form[0].1.clone(),
            legal_form: "association".into(),
            siret: "542 065 479".into(),
            founded_year: "2020".into(),
            esus: false,
            sector: "culture".into(),
            headcount: "2".into(),
            address: "Nantes".into(),
            office_people: "".into(),
            desks: "1".into(),
            storage_m2: "".into(),
            wanted_from: (today + Duration::days(30)).to_string(),
            duration_months: "".into(),
            project: "Projet".into(),
            contribution: "Apport".into(),
            contact_name: "Lou".into(),
            contact_email: email.clone(),
            contact_phone: "".into(),
            visit_slot: "".into(),
        }
        .parse(today)
        .unwrap();
        let application = applications::submit(&app.db, id, &parsed, now)
            .await
            .unwrap();
        let client = app.client_for(id).await;
        requests.push(client.post(app.url("/api/applications/book-visit")).form(&[
            ("id", application.to_string()),
            ("visit_slot", slot.to_string()),
        ]));
    }
    let answers = all_at_once(requests).await;
    let won = answers.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(won, 1, "{answers:?}");
    assert!(
        answers.iter().all(|(s, _)| *s == 200 || *s == 400),
        "{answers:?}"
    );
    let row = visit_slot::Entity::find_by_id(slot)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.booked, 1);
    let booked = application::Entity::find()
        .filter(application::Column::VisitSlotId.eq(slot))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(booked, 1);
}

#[tokio::test]
async fn the_floor_plan_shows_live_statuses_and_managers_move_units() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let plan = ok(post(&app, &manager, "hosting/plan", &[("etage", "1".into())]).await).await;
    let units = plan["units"].as_array().unwrap();
    assert_eq!(plan["floor"], 1);
    assert_eq!(units.len(), 30, "thirty offices on the first floor");
    assert!(units.iter().any(|u| u["status"] == "let"));
    let ground = ok(post(&app, &manager, "hosting/plan", &[("etage", "0".into())]).await).await;
    assert!(
        ground["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["kind"] != "office")
    );
    // Free units, notices and promises show on the plan, whichever floor they are on.
    let mut all = Vec::new();
    for floor in plan["floors"].as_array().unwrap() {
        let f = ok(post(
            &app,
            &manager,
            "hosting/plan",
            &[("etage", floor.to_string())],
        )
        .await)
        .await;
        all.extend(f["units"].as_array().unwrap().clone());
    }
    for status in ["free", "notice", "promised"] {
        assert!(all.iter().any(|u| u["status"] == status), "{status}");
    }
    let html = manager
        .get(app.url("/gestion/plan?etage=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<svg") && html.contains("class=\"unit let\""),
        "{html}"
    );

    // Moving a unit: the plan reads the new place.
    let unit = units[0]["id"].as_i64().unwrap().to_string();
    ok(post(
        &app,
        &manager,
        "hosting/place-unit",
        &[
            ("unit", unit.clone()),
            ("floor", "2".into()),
            ("x", "500".into()),
            ("y", "300".into()),
            ("width", "40".into()),
            ("height", "50".into()),
        ],
    )
    .await)
    .await;
    let second = ok(post(&app, &manager, "hosting/plan", &[("etage", "2".into())]).await).await;
    let moved = second["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(unit.as_str()))
        .cloned()
        .unwrap();
    assert_eq!(
        (moved["x"].as_i64(), moved["y"].as_i64()),
        (Some(500), Some(300))
    );
    // A meeting room is not a unit of the plan; a tenant may not move anything.
    let room = app.space_id("SALLE-LOIRE").await.to_string();
    assert_error(
        post(
            &app,
            &manager,
            "hosting/place-unit",
            &[
                ("unit", room),
                ("floor", "1".into()),
                ("x", "1".into()),
                ("y", "1".into()),
                ("width", "10".into()),
                ("height", "10".into()),
            ],
        )
        .await,
        400,
        "validation",
        Some("units"),
    )
    .await;
    let tenant = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    assert_error(
        post(
            &app,
            &tenant,
            "hosting/place-unit",
            &[
                ("unit", unit),
                ("floor", "1".into()),
                ("x", "1".into()),
                ("y", "1".into()),
                ("width", "10".into()),
                ("height", "10".into()),
            ],
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
}

#[tokio::test]
async fn the_waiting_list_is_ranked_and_a_wait_listed_candidate_goes_back_to_committee() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let pipeline = ok(post(
        &app,
        &manager,
        "applications/pipeline",
        &[("statut", "wait_listed".into())],
    )
    .await)
    .await;
    let waiting = pipeline["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["wait_rank"], 1);
    assert_eq!(waiting[0]["organisation_name"], "Loire Slow Tourisme");
    let dash = ok(manager
        .post(app.url("/api/hosting/occupancy"))
        .form(&[("mois", ""), ("sur", "1")])
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(
        dash["waiting"][0]["organisation_name"],
        "Loire Slow Tourisme"
    );
    assert_error(
        post(
            &app,
            &manager,
            "applications/pipeline",
            &[("statut", "perdu".into())],
        )
        .await,
        400,
        "validation",
        Some("statut"),
    )
    .await;
    // The next session takes it back: off the waiting list.
    let sessions = ok(post(&app, &manager, "committees/list", &[]).await).await;
    let next = sessions["sessions"][0]["id"].to_string();
    let id = waiting[0]["id"].to_string();
    ok(post(
        &app,
        &manager,
        "applications/agenda",
        &[
            ("id", id.clone()),
            ("committee", next),
            ("note", String::new()),
        ],
    )
    .await)
    .await;
    let row = application::Entity::find_by_id(id.parse::<i32>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.wait_rank, None);
    // A session already held takes nothing more on its agenda.
    let held = sessions["sessions"][1]["id"].to_string();
    let paniers = application::Entity::find()
        .filter(application::Column::OrganisationName.eq("Les Paniers de l'Erdre"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    ok(post(
        &app,
        &manager,
        "applications/move",
        &[("id", paniers.id.to_string()), ("to", "visited".into())],
    )
    .await)
    .await;
    assert_error(
        post(
            &app,
            &manager,
            "applications/agenda",
            &[("id", paniers.id.to_string()), ("committee", held)],
        )
        .await,
        400,
        "validation",
        Some("committee"),
    )
    .await;
    let row = application::Entity::find_by_id(paniers.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.status,
        coopole_app::hosting::model::ApplicationStatus::Visited
    );
}
