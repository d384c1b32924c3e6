//! Room booking over HTTP: permissions, the race for one slot, bad input, hall and halves,
//! approvals, calendars, feeds and door displays. Dates are next week's, so the rules pass.
use crate::helpers::*;
use chrono::Weekday;
use serde_json::Value;

async fn book(
    app: &TestApp,
    client: &reqwest::Client,
    space: i32,
    date: chrono::NaiveDate,
    start: &str,
    end: &str,
    title: &str,
) -> reqwest::Response {
    let (space, date) = (space.to_string(), date.to_string());
    app.call_with(
        client,
        "bookings/create",
        &[
            ("space_id", &space),
            ("date", &date),
            ("start", start),
            ("end", end),
            ("title", title),
            ("attendees", "4"),
        ],
    )
    .await
}

/// A tenant member of another organisation than `email`'s.
async fn other_tenant(app: &TestApp, email: &str) -> coopole_app::entities::user::Model {
    use coopole_app::auth::model::Role;
    use coopole_app::entities::user;
    use sea_orm::{ColumnTrait, QueryFilter};
    let org = app.user(email).await.organisation_id.unwrap();
    user::Entity::find()
        .filter(user::Column::OrganisationId.ne(org))
        .filter(user::Column::OrganisationId.is_not_null())
        .filter(user::Column::Role.eq(Role::Tenant))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn booking_id(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 200, "booking refused");
    json(res).await["id"].as_i64().unwrap().to_string()
}

#[tokio::test]
async fn a_tenant_finds_a_free_room_books_it_and_sees_it_priced() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let thursday = next(Weekday::Thu, 7).to_string();
    let found = json(
        app.call_with(
            &member,
            "bookings/search",
            &[
                ("date", &thursday),
                ("start", "14:00"),
                ("end", "16:00"),
                ("attendees", "8"),
                ("equipment[]", "videoconference"),
            ],
        )
        .await,
    )
    .await;
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["space"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Salle Sèvre", "Salle Erdre", "Salle Loire"],
        "cheapest first, with videoconference, 8+ seats"
    );

    let sevre = app.space_id("SALLE-SEVRE").await;
    let made = json(
        book(
            &app,
            &member,
            sevre,
            next(Weekday::Thu, 7),
            "14:00",
            "16:00",
            "Comité",
        )
        .await,
    )
    .await;
    assert_eq!(made["status"], "confirmed");
    // The organisation's lease includes 6 hours a month: these two hours are free.
    assert_eq!(made["quote"]["included_minutes"], 120);
    assert_eq!(made["quote"]["amount_cents"], 0);

    let mine = json(app.call_with(&member, "bookings/mine", &[]).await).await;
    assert_eq!(mine["upcoming"][0]["title"], "Comité");
    // The summary of the booking's month: six hours included, two of them used.
    let month_of =
        |m: &&Value| m["month"].as_str().unwrap()[..7] == next(Weekday::Thu, 7).to_string()[..7];
    let month = mine["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(month_of)
        .unwrap()
        .clone();
    assert_eq!(month["included_allowance_minutes"], 360);
    assert_eq!(month["included_used_minutes"], 120);
}

#[tokio::test]
async fn included_hours_are_used_first_then_the_rate_applies() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let (sevre, chezine) = (
        app.space_id("SALLE-SEVRE").await,
        app.space_id("SALLE-CHEZINE").await,
    );
    let day = next(Weekday::Tue, 7);
    // Six included hours a month: four here, two left…
    let first = json(book(&app, &member, sevre, day, "08:00", "12:00", "Matin").await).await;
    assert_eq!(
        (
            first["quote"]["included_minutes"].as_i64(),
            first["quote"]["amount_cents"].as_i64()
        ),
        (Some(240), Some(0))
    );
    // …so three hours: two included, one at the resident hourly rate (20 € less 30 % = 14 €).
    let second =
        json(book(&app, &member, chezine, day, "13:00", "16:00", "Après-midi").await).await;
    assert_eq!(second["quote"]["included_minutes"], 120);
    assert_eq!(second["quote"]["billable_minutes"], 60);
    assert_eq!(second["quote"]["amount_cents"], 1_400);
    // The charge is recorded for invoicing.
    use coopole_app::entities::charge;
    let charges = charge::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(charges.len(), 1);
    assert_eq!(
        (charges[0].amount_cents, charges[0].vat_rate_bp),
        (1_400, 2_000)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_clients_race_for_one_slot_and_exactly_one_wins() {
    let app = spawn_app().await;
    app.load_demo().await;
    use coopole_app::entities::user;
    use sea_orm::{ColumnTrait, QueryFilter};
    let tenants: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::OrganisationId.is_not_null())
        .filter(user::Column::Role.eq(coopole_app::auth::model::Role::Tenant))
        .all(&app.db)
        .await
        .unwrap();
    assert!(tenants.len() >= 50);
    let loire = app.space_id("SALLE-LOIRE").await;
    let day = next(Weekday::Wed, 7);
    let mut clients = Vec::new();
    for t in tenants.iter().take(50) {
        clients.push(app.client_for(t.id).await);
    }
    // Overlapping slots, all covering 15:00.
    let slots = [
        ("14:00", "16:00"),
        ("14:30", "15:30"),
        ("15:00", "17:00"),
        ("13:00", "15:15"),
        ("14:45", "18:00"),
    ];
    let url = app.url("/api/bookings/create");
    let mut requests = Vec::new();
    for (i, client) in clients.into_iter().enumerate() {
        let (start, end) = slots[i % slots.len()];
        let form = vec![
            ("space_id".to_owned(), loire.to_string()),
            ("date".to_owned(), day.to_string()),
            ("start".to_owned(), start.to_owned()),
            ("end".to_owned(), end.to_owned()),
            ("title".to_owned(), format!("Réunion {i}")),
            ("attendees".to_owned(), "10".to_owned()),
        ];
        requests.push(client.post(&url).form(&form));
    }
    // Held at a barrier and sent together, on a multi-threaded runtime: they really overlap.
    let mut wins = 0;
    for (status, body) in all_at_once(requests).await {
        match status {
            200 => wins += 1,
            409 => {
                let v: Value = serde_json::from_str(&body).unwrap();
                let message = v["message"].as_str().unwrap();
                assert!(
                    message.contains("Salle Loire") || message.contains("vient d'être réservé"),
                    "{message}"
                );
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(wins, 1, "exactly one booking wins the slot");
    assert_eq!(app.booking_count().await, 1);
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_writes_nothing() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await.to_string();
    let day = next(Weekday::Thu, 7).to_string();
    let form = |date: &str, start: &str, end: &str, people: &str, space: &str| {
        vec![
            ("space_id".to_owned(), space.to_owned()),
            ("date".to_owned(), date.to_owned()),
            ("start".to_owned(), start.to_owned()),
            ("end".to_owned(), end.to_owned()),
            ("title".to_owned(), "Essai".to_owned()),
            ("attendees".to_owned(), people.to_owned()),
        ]
    };
    type Form = Vec<(String, String)>;
    let cases: Vec<(Form, u16, Option<&str>, &str)> = vec![
        (
            form(&day, "16:00", "14:00", "4", &sevre),
            400,
            Some("end"),
            "après l'heure de début",
        ),
        (
            form(&day, "14:00", "16:00", "4", "99999"),
            404,
            None,
            "ne se réserve pas",
        ),
        (
            form(&day, "14:00", "16:00", "4", "pas-un-espace"),
            400,
            Some("space_id"),
            "n'existe pas",
        ),
        (
            form("2020-01-09", "14:00", "16:00", "4", &sevre),
            400,
            Some("date"),
            "déjà passé",
        ),
        (
            form(&day, "14:00", "16:00", "0", &sevre),
            400,
            Some("attendees"),
            "au moins une personne",
        ),
        (
            form(&day, "14:00", "16:00", "11", &sevre),
            400,
            Some("attendees"),
            "au plus 10 personnes",
        ),
        (
            form("26/11/2026", "14:00", "16:00", "4", &sevre),
            400,
            Some("date"),
            "n'est pas valide",
        ),
        (
            form(&day, "14h", "16:00", "4", &sevre),
            400,
            Some("start"),
            "n'est pas valide",
        ),
        (
            form(&day, "14:10", "16:00", "4", &sevre),
            400,
            Some("start"),
            "quart d'heure",
        ),
        (
            form(&day, "06:00", "08:00", "4", &sevre),
            400,
            Some("start"),
            "Règle d'horaires",
        ),
    ];
    for (f, status, field, words) in cases {
        let res = member
            .post(app.url("/api/bookings/create"))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{f:?}");
        let body = json(res).await;
        if let Some(field) = field {
            assert_eq!(body["field"], field, "{body}");
        }
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(words), "{f:?}: {message}");
    }
    // A series of 10,000 occurrences.
    let mut series = form(&day, "14:00", "15:00", "4", &sevre);
    series.push(("count".to_owned(), "10000".to_owned()));
    series.push(("weekdays[]".to_owned(), "thu".to_owned()));
    let res = member
        .post(app.url("/api/bookings/series/create"))
        .form(&series)
        .send()
        .await
        .unwrap();
    let message = assert_error(res, 400, "validation", Some("count")).await;
    assert!(message.contains("au plus 104"), "{message}");
    assert_eq!(app.booking_count().await, 0);
}

#[tokio::test]
async fn who_may_see_and_change_a_booking() {
    let app = spawn_app().await;
    app.load_demo().await;
    let author = app.user("membre@coopole.example").await;
    let referent = app.user("referent@coopole.example").await;
    // A colleague of the same organisation who is neither author nor referent.
    let colleague = app
        .create_user(
            "collegue@ressourcerie.example",
            coopole_app::auth::model::Role::Tenant,
            author.organisation_id,
        )
        .await;
    let outsider = other_tenant(&app, "membre@coopole.example").await;
    let manager = app.user("gestion@coopole.example").await;

    let author_c = app.client_for(author.id).await;
    let colleague_c = app.client_for(colleague).await;
    let referent_c = app.client_for(referent.id).await;
    let outsider_c = app.client_for(outsider.id).await;
    let manager_c = app.client_for(manager.id).await;

    let sevre = app.space_id("SALLE-SEVRE").await;
    let day = next(Weekday::Thu, 7);
    let id = booking_id(
        book(
            &app,
            &author_c,
            sevre,
            day,
            "10:00",
            "11:00",
            "Entretien confidentiel",
        )
        .await,
    )
    .await;

    // Seeing: the organisation and managers see the details; another organisation does not.
    for c in [&author_c, &colleague_c, &referent_c, &manager_c] {
        assert_eq!(
            json(app.call_with(c, "bookings/get", &[("id", &id)]).await).await["title"],
            "Entretien confidentiel"
        );
    }
    assert_error(
        app.call_with(&outsider_c, "bookings/get", &[("id", &id)])
            .await,
        404,
        "not_found",
        None,
    )
    .await;
    let cal = json(
        app.call_with(
            &outsider_c,
            "bookings/calendar",
            &[("view", "jour"), ("date", &day.to_string())],
        )
        .await,
    )
    .await;
    let text = cal.to_string();
    assert!(
        !text.contains("Entretien confidentiel"),
        "another organisation sees only 'taken'"
    );
    assert!(text.contains("\"kind\":\"taken\""));
    let own = json(
        app.call_with(
            &colleague_c,
            "bookings/calendar",
            &[("view", "jour"), ("date", &day.to_string())],
        )
        .await,
    )
    .await;
    assert!(own.to_string().contains("Entretien confidentiel"));

    // Changing: author, referent and manager may; a colleague gets 403; an outsider 404.
    let change = |start: &'static str, end: &'static str| {
        vec![
            ("id", id.clone()),
            ("date", day.to_string()),
            ("start", start.to_owned()),
            ("end", end.to_owned()),
            ("title", "Entretien".to_owned()),
            ("attendees", "2".to_owned()),
        ]
    };
    let post = |c: &reqwest::Client, endpoint: &str, form: Vec<(&'static str, String)>| {
        let req = c.post(app.url(&format!("/api/{endpoint}"))).form(&form);
        async move { req.send().await.unwrap() }
    };
    assert_error(
        post(&colleague_c, "bookings/change", change("11:00", "12:00")).await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_error(
        post(&outsider_c, "bookings/change", change("11:00", "12:00")).await,
        404,
        "not_found",
        None,
    )
    .await;
    assert_error(
        post(&outsider_c, "bookings/cancel", vec![("id", id.clone())]).await,
        404,
        "not_found",
        None,
    )
    .await;
    assert_error(
        post(&colleague_c, "bookings/cancel", vec![("id", id.clone())]).await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(
        post(&author_c, "bookings/change", change("11:00", "12:00"))
            .await
            .status(),
        200
    );
    assert_eq!(
        post(&referent_c, "bookings/change", change("12:00", "13:00"))
            .await
            .status(),
        200
    );
    assert_eq!(
        post(&manager_c, "bookings/change", change("13:00", "14:00"))
            .await
            .status(),
        200
    );
    let b = json(
        app.call_with(&author_c, "bookings/get", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(b["slot"]["start_minute"], 13 * 60);
    assert_eq!(
        post(&referent_c, "bookings/cancel", vec![("id", id.clone())])
            .await
            .status(),
        200
    );
    let b = json(
        app.call_with(&author_c, "bookings/get", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(b["status"], "cancelled");
    // Managers' functions stay managers'.
    assert_error(
        app.call_with(&author_c, "bookings/pending", &[]).await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_error(
        app.call_with(
            &referent_c,
            "bookings/decide",
            &[("id", &id), ("decision", "approve")],
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    // Event organisers do not book rooms.
    let organiser = app
        .client_for(app.user("organisateur@coopole.example").await.id)
        .await;
    assert_error(
        book(&app, &organiser, sevre, day, "15:00", "16:00", "Essai").await,
        403,
        "forbidden",
        None,
    )
    .await;
}

#[tokio::test]
async fn a_pending_booking_holds_its_slot_and_the_hall_blocks_its_halves() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let outsider = app
        .client_for(other_tenant(&app, "membre@coopole.example").await.id)
        .await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let (hall, north) = (app.space_id("HALLE").await, app.space_id("HALLE-N").await);
    let day = next(Weekday::Sat, 7);

    let res = book(
        &app,
        &member,
        hall,
        day,
        "10:00",
        "14:00",
        "Assemblée générale",
    )
    .await;
    let made = json(res).await;
    assert_eq!(made["status"], "pending");
    let id = made["id"].as_i64().unwrap().to_string();

    // The pending hall holds both halves.
    let res = book(&app, &outsider, north, day, "12:00", "15:00", "Forum").await;
    let message = assert_error(res, 409, "conflict", None).await;
    assert!(message.contains("Grande halle"), "{message}");

    // A manager sees it waiting, refuses it, and the half is free again.
    let waiting = json(app.call_with(&manager, "bookings/pending", &[]).await).await;
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    assert_eq!(
        app.call_with(
            &manager,
            "bookings/decide",
            &[("id", &id), ("decision", "refuse")]
        )
        .await
        .status(),
        200
    );
    let res = book(&app, &outsider, north, day, "12:00", "15:00", "Forum").await;
    let half = json(res).await;
    assert_eq!(half["status"], "pending");
    let half_id = half["id"].as_i64().unwrap().to_string();
    assert_eq!(
        app.call_with(
            &manager,
            "bookings/decide",
            &[("id", &half_id), ("decision", "approve")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        json(
            app.call_with(&outsider, "bookings/get", &[("id", &half_id)])
                .await
        )
        .await["status"],
        "confirmed"
    );
    // And now the half blocks the whole hall.
    assert_error(
        book(&app, &member, hall, day, "14:00", "16:00", "Fête").await,
        409,
        "conflict",
        None,
    )
    .await;
    // Deciding twice is refused.
    assert_error(
        app.call_with(
            &manager,
            "bookings/decide",
            &[("id", &half_id), ("decision", "approve")],
        )
        .await,
        409,
        "conflict",
        None,
    )
    .await;
}

#[tokio::test]
async fn managers_block_periods_that_nobody_books_over() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let erdre = app.space_id("SALLE-ERDRE").await;
    let day = next(Weekday::Mon, 7);
    let (e, d) = (erdre.to_string(), day.to_string());
    let block = [
        ("space_id", e.as_str()),
        ("start_date", d.as_str()),
        ("start_time", "08:00"),
        ("end_date", d.as_str()),
        ("end_time", "20:00"),
        ("reason", "Peinture"),
    ];
    assert_error(
        app.call_with(&member, "bookings/blocks/create", &block)
            .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(
        app.call_with(&manager, "bookings/blocks/create", &block)
            .await
            .status(),
        200
    );
    let message = assert_error(
        book(&app, &member, erdre, day, "10:00", "11:00", "Réunion").await,
        409,
        "conflict",
        None,
    )
    .await;
    assert!(message.contains("Peinture"), "{message}");
    let blocks = json(app.call_with(&manager, "bookings/blocks", &[]).await).await;
    let id = blocks[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(
        app.call_with(&manager, "bookings/blocks/delete", &[("id", &id)])
            .await
            .status(),
        200
    );
    assert_eq!(
        book(&app, &member, erdre, day, "10:00", "11:00", "Réunion")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn calendar_feeds_are_secret_revocable_and_valid_icalendar() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await;
    let day = next(Weekday::Thu, 7);
    let id = booking_id(
        book(
            &app,
            &member,
            sevre,
            day,
            "09:00",
            "10:30",
            "Point hebdomadaire",
        )
        .await,
    )
    .await;

    let feed = json(app.call_with(&member, "feeds/create", &[]).await).await;
    let path = feed["path"].as_str().unwrap().to_owned();
    let res = reqwest::get(app.url(&path)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = res.text().await.unwrap();
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 1);
    use icalendar::{Component, EventLike};
    assert_eq!(events[0].get_summary(), Some("Point hebdomadaire"));
    assert_eq!(events[0].get_location(), Some("Salle Sèvre"));

    // One booking as a file, for its organisation only.
    let file = member
        .get(app.url(&format!("/agenda/reservation/{id}.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert!(
        file.text()
            .await
            .unwrap()
            .contains("SUMMARY:Point hebdomadaire")
    );
    assert_eq!(
        reqwest::get(app.url(&format!("/agenda/reservation/{id}.ics")))
            .await
            .unwrap()
            .status(),
        401
    );

    // A space's feed shows others' bookings as booked, without their titles.
    let outsider = app
        .client_for(other_tenant(&app, "membre@coopole.example").await.id)
        .await;
    let space_feed = json(
        app.call_with(
            &outsider,
            "feeds/create",
            &[("space_id", &sevre.to_string())],
        )
        .await,
    )
    .await;
    let ics = reqwest::get(app.url(space_feed["path"].as_str().unwrap()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains("SUMMARY:Réservé") && !ics.contains("Point hebdomadaire"),
        "{ics}"
    );

    // Renewing ends the old address; revoking ends the new one.
    let renewed = json(app.call_with(&member, "feeds/create", &[]).await).await;
    assert_eq!(reqwest::get(app.url(&path)).await.unwrap().status(), 404);
    let new_path = renewed["path"].as_str().unwrap().to_owned();
    assert_eq!(
        reqwest::get(app.url(&new_path)).await.unwrap().status(),
        200
    );
    let feeds = json(app.call_with(&member, "feeds/list", &[]).await).await;
    let feed_id = feeds[0]["id"].as_i64().unwrap().to_string();
    assert_error(
        app.call_with(&outsider, "feeds/revoke", &[("id", &feed_id)])
            .await,
        404,
        "not_found",
        None,
    )
    .await;
    assert_eq!(
        app.call_with(&member, "feeds/revoke", &[("id", &feed_id)])
            .await
            .status(),
        200
    );
    assert_eq!(
        reqwest::get(app.url(&new_path)).await.unwrap().status(),
        404
    );
    assert_eq!(
        reqwest::get(app.url("/agenda/pas-un-secret.ics"))
            .await
            .unwrap()
            .status(),
        404
    );
}

/// A page number typed into the address is read once, clamped, and never overflows the
/// offset: page 1 shows spaces, an absurd page shows none, and neither is an error.
#[tokio::test]
async fn the_calendar_page_number_is_clamped_not_overflowed() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let day = next(Weekday::Tue, 7).to_string();
    let spaces_on = |page: &'static str| {
        let (app, member, day) = (&app, &member, &day);
        async move {
            let res = app
                .call_with(
                    member,
                    "bookings/calendar",
                    &[("date", day), ("page", page)],
                )
                .await;
            assert_eq!(res.status(), 200, "page {page}");
            let cal = json(res).await;
            assert!(cal["total_spaces"].as_u64().unwrap() > 0);
            cal["spaces"].as_array().unwrap().len()
        }
    };
    assert!(spaces_on("1").await > 0);
    for page in [
        "4294967295",
        "18446744073709551616",
        "99999999999999999999999",
        "2147483648",
    ] {
        assert_eq!(spaces_on(page).await, 0, "page {page}");
    }
    // Unreadable means the first page.
    for page in ["-1", "0", "abc", "1e9"] {
        assert!(spaces_on(page).await > 0, "page {page}");
    }
    let res = member
        .get(app.url(&format!(
            "/calendrier?date={day}&page=99999999999999999999999"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("<main"));
}

/// A calendar app fetches a feed without cookies: the feed speaks the language its owner
/// last chose, not the hub's default.
#[tokio::test]
async fn a_feed_speaks_its_owners_language() {
    use icalendar::Component;
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await;
    let day = next(Weekday::Thu, 7);
    assert_eq!(
        book(&app, &member, sevre, day, "14:00", "15:00", "Atelier vélo")
            .await
            .status(),
        200
    );
    let outsider = app
        .client_for(other_tenant(&app, "membre@coopole.example").await.id)
        .await;
    let fetch = |url: String| async move {
        let ics = reqwest::get(url).await.unwrap().text().await.unwrap();
        let calendar: icalendar::Calendar = ics.parse().unwrap();
        calendar
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .filter(|e| e.get_start().is_some())
            .map(|e| {
                (
                    e.get_summary().unwrap_or_default().to_owned(),
                    e.get_description().unwrap_or_default().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let feed_of = |client: reqwest::Client| {
        let app = &app;
        async move {
            let feed = json(
                app.call_with(&client, "feeds/create", &[("space_id", &sevre.to_string())])
                    .await,
            )
            .await;
            feed["path"].as_str().unwrap().to_owned()
        }
    };

    // French by default: the hub's language.
    let path = feed_of(outsider.clone()).await;
    let events = fetch(app.url(&path)).await;
    assert!(
        events
            .iter()
            .any(|(s, d)| s == "Réservé" && d.contains("personnes")),
        "{events:?}"
    );

    // The owner switches to English: the same address now speaks English.
    assert_eq!(
        app.call_with(&outsider, "locale", &[("locale", "en")])
            .await
            .status(),
        200
    );
    let events = fetch(app.url(&path)).await;
    assert!(
        events
            .iter()
            .any(|(s, d)| s == "Booked" && d.contains("people")),
        "{events:?}"
    );
    assert!(!events.iter().any(|(s, _)| s == "Réservé"), "{events:?}");

    // Someone else's choice does not change it: the member's own feed stays French.
    let mine = json(app.call_with(&member, "feeds/create", &[]).await).await;
    let events = fetch(app.url(mine["path"].as_str().unwrap())).await;
    assert!(
        events
            .iter()
            .any(|(s, d)| s == "Atelier vélo" && d.contains("personnes")),
        "{events:?}"
    );
}

#[tokio::test]
async fn door_displays_and_utilisation() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await;
    // The display looks a week ahead: the next working day is always within it.
    let day = (1..)
        .map(|n| {
            coopole_app::bookings::rules::paris_today(chrono::Utc::now())
                + chrono::Duration::days(n)
        })
        .find(|d| !matches!(chrono::Datelike::weekday(d), Weekday::Sat | Weekday::Sun))
        .unwrap();
    book(
        &app,
        &member,
        sevre,
        day,
        "09:00",
        "11:00",
        "Comité de pilotage",
    )
    .await;

    // The display is public; the next booking shows, titled since the organisation allows it.
    let display = json(
        app.call("bookings/display", &[("code", "SALLE-SEVRE")])
            .await,
    )
    .await;
    assert_eq!(display["space_name"], "Salle Sèvre");
    assert_eq!(display["next"]["title"], "Comité de pilotage");
    assert_error(
        app.call("bookings/display", &[("code", "BUR-01")]).await,
        404,
        "not_found",
        None,
    )
    .await;
    let page = app.page("/ecran/SALLE-SEVRE").await;
    assert!(page.contains("http-equiv=\"refresh\"") && page.contains("Comité de pilotage"));

    let usage = json(
        app.call_with(
            &manager,
            "bookings/utilisation",
            &[("period", "semaine"), ("date", &day.to_string())],
        )
        .await,
    )
    .await;
    let row = usage["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["space"]["name"] == "Salle Sèvre")
        .unwrap()
        .clone();
    assert_eq!(row["booked_minutes"], 120);
    assert_eq!(row["open_minutes"], 5 * 12 * 60);
    assert_error(
        app.call_with(&member, "bookings/utilisation", &[]).await,
        403,
        "forbidden",
        None,
    )
    .await;
}

#[tokio::test]
async fn managers_set_the_rules_and_tenants_meet_them() {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await.to_string();
    let hours = [
        "09:00-12:00",
        "09:00-12:00",
        "09:00-12:00",
        "09:00-12:00",
        "09:00-12:00",
        "",
        "",
    ];
    let mut form: Vec<(&str, &str)> = vec![
        ("space_id", &sevre),
        ("min_minutes", "60"),
        ("max_minutes", "120"),
        ("buffer_minutes", "0"),
        ("min_notice_minutes", "60"),
        ("tenant_max_advance_days", "30"),
        ("manager_max_advance_days", "365"),
        ("cancel_deadline_hours", "48"),
        ("requires_approval", "on"),
    ];
    for h in hours {
        form.push(("hours[]", h));
    }
    assert_error(
        app.call_with(&member, "bookings/rules/update", &form).await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(
        app.call_with(&manager, "bookings/rules/update", &form)
            .await
            .status(),
        200
    );
    let rules = json(
        app.call_with(&manager, "bookings/rules", &[("space_id", &sevre)])
            .await,
    )
    .await;
    assert_eq!(rules["opening_hours"][0], "09:00-12:00");
    assert_eq!(rules["requires_approval"], true);

    let day = next(Weekday::Thu, 7);
    let id: i32 = sevre.parse().unwrap();
    let message = assert_error(
        book(&app, &member, id, day, "14:00", "15:00", "Après-midi").await,
        400,
        "validation",
        None,
    )
    .await;
    assert!(message.contains("09:00–12:00"), "{message}");
    let message = assert_error(
        book(&app, &member, id, day, "09:00", "09:30", "Court").await,
        400,
        "validation",
        Some("end"),
    )
    .await;
    assert!(message.contains("au moins 1\u{a0}h"), "{message}");
    let made = json(book(&app, &member, id, day, "09:00", "10:00", "Matin").await).await;
    assert_eq!(made["status"], "pending");

    // Bad rules are refused with a message.
    let mut bad = form.clone();
    bad[1] = ("min_minutes", "300");
    assert_error(
        app.call_with(&manager, "bookings/rules/update", &bad).await,
        400,
        "validation",
        Some("max_minutes"),
    )
    .await;
    let mut bad_hours = form.clone();
    bad_hours[9] = ("hours[]", "midi");
    assert_error(
        app.call_with(&manager, "bookings/rules/update", &bad_hours)
            .await,
        400,
        "validation",
        Some("hours"),
    )
    .await;
}

use sea_orm::EntityTrait;

#[tokio::test]
async fn the_booking_form_previews_a_slot_live_and_writes_nothing() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await;
    let day = next(Weekday::Thu, 7);
    let (space, date) = (sevre.to_string(), day.to_string());
    let ask = |start: &'static str, end: &'static str| {
        let form = [
            ("space_id", space.clone()),
            ("date", date.clone()),
            ("start", start.to_owned()),
            ("end", end.to_owned()),
            ("attendees", "4".to_owned()),
        ];
        let (app, member) = (&app, &member);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call_with(member, "bookings/quote", &form).await
        }
    };
    let before = app.booking_count().await;
    let free = ask("14:00", "16:00").await;
    assert_eq!(free.status(), 200);
    let free = json(free).await;
    assert_eq!(
        free.as_str(),
        Some("Ce créneau est libre : Inclus dans vos heures."),
        "two hours of the month's six included"
    );
    assert_eq!(app.booking_count().await, before, "a preview books nothing");

    // Once the slot is taken, the preview says by what, as the booking would.
    booking_id(book(&app, &member, sevre, day, "14:00", "16:00", "Comité").await).await;
    assert_error(ask("15:00", "17:00").await, 409, "conflict", None).await;
    let backwards = ask("17:00", "16:00").await;
    assert!(
        backwards.status().is_client_error(),
        "{}",
        backwards.status()
    );
    assert_eq!(app.booking_count().await, before + 1);

    // The first answer is part of the page: it shows before any code runs in the browser.
    let page = member
        .get(app.url(&format!(
            "/reserver/nouvelle?space={sevre}&date={day}&start=17:00&end=18:00&attendees=4"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<leptos-island"), "the preview is an island");
    assert!(
        page.contains("Ce créneau est libre : Inclus dans vos heures."),
        "server-rendered preview"
    );
    // A visitor is not told about anyone's slots.
    let visitor = app
        .call(
            "bookings/quote",
            &[
                ("space_id", space.as_str()),
                ("date", date.as_str()),
                ("start", "09:00"),
                ("end", "10:00"),
                ("attendees", "4"),
            ],
        )
        .await;
    assert_eq!(visitor.status(), 401);
}

#[tokio::test]
async fn a_feed_made_without_javascript_is_shown_once_on_the_page_it_came_from() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app.user("membre@coopole.example").await;
    let token =
        coopole_app::auth::service::create_session(&app.db, member.id, chrono::Utc::now(), 1)
            .await
            .unwrap();
    let session = format!("coopole_session={token}");
    // The account page's form, posted by a browser with no code running.
    let res = client()
        .post(app.url("/api/feeds/create"))
        .header("cookie", &session)
        .header("accept", "text/html")
        .header("origin", format!("http://{}", app.addr))
        .header("referer", app.url("/compte"))
        .form(&[("space_id", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("/compte"), "{back}");
    let flash = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .find(|c| c.starts_with("coopole_new_feed=/agenda/"))
        .and_then(|c| c.split(';').next())
        .expect("the new address travels in a cookie, not in the address bar")
        .to_owned();
    assert!(!back.contains("agenda"), "{back}");

    let address = format!("<code class=\"feed-url\">http://{}/agenda/", app.addr);
    let page = client()
        .get(app.url("/compte"))
        .header("cookie", format!("{session}; {flash}"))
        .send()
        .await
        .unwrap();
    assert!(
        page.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("coopole_new_feed=;")),
        "the page that shows the address removes it"
    );
    assert!(page.text().await.unwrap().contains(&address));
    // Once the cookie is gone, so is the address: the secret is not left in the browser.
    let again = client()
        .get(app.url("/compte"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(&address));
    // Signing out removes an address not yet shown, for whoever signs in next here.
    let out = client()
        .post(app.url("/api/auth/sign_out"))
        .header("cookie", format!("{session}; {flash}"))
        .send()
        .await
        .unwrap();
    assert!(
        out.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("coopole_new_feed=;")),
        "sign-out removes the new feed's address"
    );
}
