//! Event rental on both backends: the confirmation race, options that rank, lapse (with an
//! injected clock) and never block room bookings, a confirmed hall event that blocks its
//! halves during set-up, refused transitions and the cancellation fee.
use crate::helpers::*;
use chrono::{DateTime, Duration, NaiveDate, Utc, Weekday};
use coopole_app::auth::model::Role;
use coopole_app::bookings::service::Clash;
use coopole_app::entities::{event_history, event_payment, occupancy};
use coopole_app::events::model::{EventKind, EventRequest, EventStatus, Layout};
use coopole_app::events::rules::Refusal;
use coopole_app::events::service::{self as events, EventError, EventTerms, Requester};
use coopole_app::organisations::model::Tier;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn request(space: i32, date: NaiveDate, setup_hours: u32) -> EventRequest {
    EventRequest {
        name: "Rencontres régionales de l'ESS".into(),
        kind: EventKind::Conference,
        first_date: date,
        last_date: date,
        start_minute: 9 * 60,
        end_minute: 18 * 60,
        attendance: 300,
        spaces: vec![(space, Layout::Theatre)],
        suggest: false,
        extras: vec![],
        catering: String::new(),
        catering_covers: 0,
        setup_minutes: setup_hours * 60,
        teardown_minutes: 120,
        contact_phone: String::new(),
        notes: String::new(),
    }
}

fn unit(u: coopole_app::spaces::model::RateUnit) -> String {
    format!("{u:?}")
}

fn extra(e: coopole_app::events::model::Extra) -> String {
    format!("{e:?}")
}

struct Hub {
    app: TestApp,
    manager: i32,
    hall: i32,
    north: i32,
}

async fn hub() -> Hub {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app.user("gestion@coopole.example").await.id;
    let hall = app.space_id("HALLE").await;
    let north = app.space_id("HALLE-N").await;
    Hub {
        app,
        manager,
        hall,
        north,
    }
}

impl Hub {
    async fn organiser(&self, email: &str) -> Requester {
        let id = self.app.create_user(email, Role::Organiser, None).await;
        Requester {
            user_id: id,
            organisation_id: None,
            tier: Tier::Outside,
        }
    }

    /// A request, quoted, and accepted by its organiser: ready to confirm.
    async fn accepted(&self, who: Requester, r: &EventRequest, now: DateTime<Utc>) -> i32 {
        let db = &self.app.db;
        let id = events::create_request(db, who, r, now).await.unwrap();
        events::draft(db, id, &unit, &extra, now).await.unwrap();
        events::send_quote(db, id, self.manager, now).await.unwrap();
        events::answer_quote(db, id, true, who.user_id, now)
            .await
            .unwrap();
        id
    }

    async fn status(&self, id: i32) -> EventStatus {
        events::find(&self.app.db, id).await.unwrap().status
    }
}

fn next_month() -> NaiveDate {
    next(Weekday::Tue, 30)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_confirmations_race_for_the_hall_and_exactly_one_wins() {
    let hub = hub().await;
    let now = Utc::now();
    let date = next_month();
    let a = hub.organiser("a@exemple.fr").await;
    let b = hub.organiser("b@exemple.fr").await;
    // One wants the whole hall, the other its north half at the same time.
    let first = hub.accepted(a, &request(hub.hall, date, 2), now).await;
    let mut half = request(hub.north, date, 2);
    half.attendance = 200;
    let second = hub.accepted(b, &half, now).await;

    let terms = EventTerms::default();
    let (db1, db2) = (hub.app.db.clone(), hub.app.db.clone());
    let (t1, t2) = (terms.clone(), terms.clone());
    let m = hub.manager;
    let one = tokio::spawn(async move { events::confirm(&db1, first, &t1, m, now).await });
    let two = tokio::spawn(async move { events::confirm(&db2, second, &t2, m, now).await });
    let results = [one.await.unwrap(), two.await.unwrap()];
    let wins = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "{results:?}");
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(EventError::Clash(_)))),
        "{results:?}"
    );
    let confirmed = [hub.status(first).await, hub.status(second).await]
        .iter()
        .filter(|s| **s == EventStatus::Confirmed)
        .count();
    assert_eq!(confirmed, 1);
    // The loser wrote nothing: no occupancy, no payment.
    let loser = if results[0].is_ok() { second } else { first };
    let rows = occupancy::Entity::find()
        .filter(occupancy::Column::EventId.eq(loser))
        .count(&hub.app.db)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    let payments = event_payment::Entity::find()
        .filter(event_payment::Column::EventId.eq(loser))
        .count(&hub.app.db)
        .await
        .unwrap();
    assert_eq!(payments, 0);
}

#[tokio::test]
async fn a_confirmed_hall_event_blocks_the_half_hall_during_its_set_up() {
    let hub = hub().await;
    let now = Utc::now();
    let date = next_month();
    let organiser = hub.organiser("orga@exemple.fr").await;
    // Set-up from 18:00 the evening before (15 hours before 09:00).
    let id = hub
        .accepted(organiser, &request(hub.hall, date, 15), now)
        .await;
    events::confirm(&hub.app.db, id, &EventTerms::default(), hub.manager, now)
        .await
        .unwrap();
    // Deposit (30 % of the total including VAT) and balance are recorded.
    let payments = events::payments_of(&hub.app.db, id).await.unwrap();
    let (q, _) = events::sent_quote(&hub.app.db, id).await.unwrap().unwrap();
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[0].kind, "deposit");
    assert_eq!(
        payments[0].amount_cents + payments[1].amount_cents,
        q.incl_vat_cents
    );
    assert_eq!(payments[0].amount_cents, (q.incl_vat_cents * 3 + 5) / 10);

    // A tenant tries the north half that evening: refused, and told it is the set-up.
    let member = app_client(&hub.app, "membre@coopole.example").await;
    let evening = (date - Duration::days(1)).to_string();
    let north = hub.north.to_string();
    let res = hub
        .app
        .call_with(
            &member,
            "bookings/create",
            &[
                ("space_id", &north),
                ("date", &evening),
                ("start", "19:00"),
                ("end", "21:00"),
                ("title", "Répétition"),
                ("attendees", "20"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let body = json(res).await;
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("installation"), "{message}");
    assert!(
        !message.contains("Rencontres"),
        "tenants never see whose event: {message}"
    );
    // The day after, once the teardown is over, the half is free again.
    let after = (date + Duration::days(1)).to_string();
    let res = hub
        .app
        .call_with(
            &member,
            "bookings/create",
            &[
                ("space_id", &north),
                ("date", &after),
                ("start", "19:00"),
                ("end", "21:00"),
                ("title", "Répétition"),
                ("attendees", "20"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn app_client(app: &TestApp, email: &str) -> reqwest::Client {
    app.client_for(app.user(email).await.id).await
}

#[tokio::test]
async fn options_rank_lapse_at_expiry_and_promote_the_next() {
    let hub = hub().await;
    let db = &hub.app.db;
    let now = Utc::now();
    let date = next_month();
    let a = hub.organiser("a@exemple.fr").await;
    let b = hub.organiser("b@exemple.fr").await;
    let first = hub.accepted(a, &request(hub.hall, date, 2), now).await;
    let second = hub.accepted(b, &request(hub.hall, date, 2), now).await;
    let expiry = now + Duration::days(7);
    assert_eq!(
        events::place_option(db, first, expiry, hub.manager, now)
            .await
            .unwrap(),
        1
    );
    let later = now + Duration::minutes(5);
    assert_eq!(
        events::place_option(db, second, expiry + Duration::days(3), hub.manager, later)
            .await
            .unwrap(),
        2
    );
    // The second may not be confirmed while the first holds.
    assert!(matches!(
        events::confirm(db, second, &EventTerms::default(), hub.manager, later).await,
        Err(EventError::Refused(Refusal::NotFirstOption(2)))
    ));
    // Options never block room bookings: nothing is in the occupancy table.
    let rows = occupancy::Entity::find()
        .filter(occupancy::Column::EventId.is_not_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(rows, 0);

    // A second before expiry nothing happens; at expiry the first lapses.
    assert!(
        events::lapse_due(db, expiry - Duration::seconds(1))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(events::lapse_due(db, expiry).await.unwrap(), vec![first]);
    assert_eq!(hub.status(first).await, EventStatus::Lapsed);
    assert_eq!(
        events::option_ranks(db).await.unwrap().get(&second),
        Some(&1)
    );
    let promoted = event_history::Entity::find()
        .filter(event_history::Column::EventId.eq(second))
        .filter(event_history::Column::What.eq("promoted"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(promoted, 1);
    // A lapsed option cannot be confirmed; the promoted one can.
    assert!(matches!(
        events::confirm(db, first, &EventTerms::default(), hub.manager, expiry).await,
        Err(EventError::OptionLapsed | EventError::Refused(_))
    ));
    events::confirm(db, second, &EventTerms::default(), hub.manager, expiry)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_option_gives_way_to_a_room_booking_and_confirmation_names_it() {
    let hub = hub().await;
    let db = &hub.app.db;
    let now = Utc::now();
    let date = next_month();
    let a = hub.organiser("a@exemple.fr").await;
    let id = hub.accepted(a, &request(hub.hall, date, 2), now).await;
    events::place_option(db, id, now + Duration::days(7), hub.manager, now)
        .await
        .unwrap();
    let member = app_client(&hub.app, "membre@coopole.example").await;
    let (north, day) = (hub.north.to_string(), date.to_string());
    let res = hub
        .app
        .call_with(
            &member,
            "bookings/create",
            &[
                ("space_id", &north),
                ("date", &day),
                ("start", "10:00"),
                ("end", "12:00"),
                ("title", "Atelier"),
                ("attendees", "20"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let refused = events::confirm(db, id, &EventTerms::default(), hub.manager, now).await;
    assert!(
        matches!(refused, Err(EventError::Clash(Clash::Booking { .. }))),
        "{refused:?}"
    );
    assert_eq!(hub.status(id).await, EventStatus::Option);
}

#[tokio::test]
async fn refused_transitions_change_nothing() {
    let hub = hub().await;
    let db = &hub.app.db;
    let now = Utc::now();
    let a = hub.organiser("a@exemple.fr").await;
    let id = events::create_request(db, a, &request(hub.hall, next_month(), 2), now)
        .await
        .unwrap();
    // No quote yet: neither an option nor a confirmation.
    assert!(matches!(
        events::place_option(db, id, now + Duration::days(3), hub.manager, now).await,
        Err(EventError::Refused(Refusal::NotFromStatus(
            EventStatus::Request
        )))
    ));
    assert!(matches!(
        events::confirm(db, id, &EventTerms::default(), hub.manager, now).await,
        Err(EventError::Refused(Refusal::NotFromStatus(
            EventStatus::Request
        )))
    ));
    // Sent but not accepted: no confirmation either.
    events::draft(db, id, &unit, &extra, now).await.unwrap();
    events::send_quote(db, id, hub.manager, now).await.unwrap();
    assert!(matches!(
        events::confirm(db, id, &EventTerms::default(), hub.manager, now).await,
        Err(EventError::Refused(Refusal::QuoteNotAccepted))
    ));
    // Accepted, but the quote's validity has passed by the time the manager confirms.
    events::answer_quote(db, id, true, a.user_id, now)
        .await
        .unwrap();
    let (q, _) = events::sent_quote(db, id).await.unwrap().unwrap();
    let too_late =
        coopole_app::bookings::rules::paris_to_utc(q.valid_until + Duration::days(1), 600).unwrap();
    assert!(matches!(
        events::confirm(db, id, &EventTerms::default(), hub.manager, too_late).await,
        Err(EventError::Refused(Refusal::QuoteExpired))
    ));
    assert_eq!(hub.status(id).await, EventStatus::Quoted);
    // Not ended: not done.
    events::confirm(db, id, &EventTerms::default(), hub.manager, now)
        .await
        .unwrap();
    assert!(matches!(
        events::mark_done(db, id, hub.manager, now).await,
        Err(EventError::NotEnded)
    ));
    assert!(matches!(
        events::close(db, id, hub.manager, now).await,
        Err(EventError::Refused(Refusal::NotFromStatus(
            EventStatus::Confirmed
        )))
    ));
}

#[tokio::test]
async fn cancelling_a_confirmed_event_costs_the_fee_shown_and_frees_the_hall() {
    let hub = hub().await;
    let db = &hub.app.db;
    let now = Utc::now();
    // Three weeks ahead: 50 % on the default scale (from 7 days, under 30).
    let date = next(Weekday::Tue, 21);
    let a = hub.organiser("a@exemple.fr").await;
    let id = hub.accepted(a, &request(hub.hall, date, 2), now).await;
    let terms = EventTerms::default();
    events::confirm(db, id, &terms, hub.manager, now)
        .await
        .unwrap();
    let e = events::find(db, id).await.unwrap();
    let fee = events::cancellation_fee(db, &e, &terms, now).await.unwrap();
    assert_eq!(fee.percent, 50);
    assert!(fee.cents > 0);
    // The user agreed to another amount (the page was old): nothing happens.
    assert!(matches!(
        events::cancel(db, id, &terms, fee.cents - 1, a.user_id, now).await,
        Err(EventError::Refused(Refusal::FeeChanged(c))) if c == fee.cents
    ));
    assert_eq!(hub.status(id).await, EventStatus::Confirmed);
    events::cancel(db, id, &terms, fee.cents, a.user_id, now)
        .await
        .unwrap();
    assert_eq!(hub.status(id).await, EventStatus::Cancelled);
    let rows = occupancy::Entity::find()
        .filter(occupancy::Column::EventId.eq(id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    let payments = events::payments_of(db, id).await.unwrap();
    let live: Vec<_> = payments.iter().filter(|p| p.voided_at.is_none()).collect();
    assert_eq!(live.len(), 1);
    assert_eq!(
        (live[0].kind.as_str(), live[0].amount_cents),
        ("cancellation", fee.cents)
    );
}

/// The request form's fields, as a browser posts them.
fn request_form(space: i32, date: NaiveDate) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Forum des associations".into()),
        ("kind", "fair".into()),
        ("first_date", date.to_string()),
        ("start", "09:00".into()),
        ("end", "18:00".into()),
        ("attendance", "300".into()),
        ("spaces[]", space.to_string()),
        ("layouts[]", format!("{space}:theatre")),
        ("extras[]", "sound".into()),
        ("setup_hours", "15".into()),
        ("teardown_hours", "3".into()),
    ]
}

/// A one-click step on an event (`id` only) that must succeed; its message shows if not.
async fn step_ok(app: &TestApp, client: &reqwest::Client, endpoint: &str, id: &str) {
    let res = post(app, client, endpoint, &[("id", id.to_owned())]).await;
    assert_eq!(
        res.status(),
        200,
        "{endpoint}: {}",
        res.text().await.unwrap()
    );
}

#[tokio::test]
async fn who_may_see_and_move_an_event() {
    let hub = hub().await;
    let app = &hub.app;
    let date = next_month();
    // A visitor asks for the hall; an organiser account is created and signed in.
    let visitor = client();
    let mut form = request_form(hub.hall, date);
    form.extend([
        ("account_name", "Nour Benali".to_string()),
        ("account_email", "nour@exemple.fr".to_string()),
        ("account_password", PASSWORD.to_string()),
    ]);
    let res = post(app, &visitor, "events/request", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id = json(res).await.as_i64().unwrap().to_string();
    let nour = app.user("nour@exemple.fr").await;
    assert_eq!(nour.role, Role::Organiser);
    let mine = json(post(app, &visitor, "events/list", &[]).await).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let detail = json(post(app, &visitor, "events/get", &[("id", id.clone())]).await).await;
    assert_eq!(detail["summary"]["status"], "request");
    assert_eq!(detail["spaces"][0]["layout"], "theatre");
    assert_eq!(detail["extras"][0], "sound");

    // Another organiser and a tenant see nothing of it, and may not act on it.
    let other_id = app
        .create_user("autre@exemple.fr", Role::Organiser, None)
        .await;
    let other = app.client_for(other_id).await;
    let tenant = app_client(app, "membre@coopole.example").await;
    for c in [&other, &tenant] {
        assert_error(
            post(app, c, "events/get", &[("id", id.clone())]).await,
            404,
            "not_found",
            None,
        )
        .await;
        let list = json(post(app, c, "events/list", &[]).await).await;
        assert!(list.as_array().unwrap().is_empty());
        assert_error(
            post(
                app,
                c,
                "events/cancel",
                &[
                    ("id", id.clone()),
                    ("fee", "0".into()),
                    ("agree", "on".into()),
                ],
            )
            .await,
            404,
            "not_found",
            None,
        )
        .await;
    }
    // Managers' steps are for managers, whoever else calls them.
    for c in [&visitor, &other, &tenant] {
        for endpoint in [
            "events/draft",
            "events/send_quote",
            "events/confirm",
            "events/decline",
        ] {
            assert_error(
                post(app, c, endpoint, &[("id", id.clone())]).await,
                403,
                "forbidden",
                None,
            )
            .await;
        }
    }
    // The manager quotes with a 10 % discount; only the organiser may answer.
    let manager = app_client(app, "gestion@coopole.example").await;
    let all = json(post(app, &manager, "events/list", &[]).await).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    step_ok(app, &manager, "events/draft", &id).await;
    let valid = (date - Duration::days(7)).to_string();
    let res = post(
        app,
        &manager,
        "events/quote_terms",
        &[
            ("id", id.clone()),
            ("discount", "10".into()),
            ("reason", "Réseau ESS".into()),
            ("valid_until", valid),
        ],
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    step_ok(app, &manager, "events/send_quote", &id).await;
    let detail = json(post(app, &visitor, "events/get", &[("id", id.clone())]).await).await;
    let quote = &detail["quote"];
    assert_eq!(quote["discount_bp"], 1000);
    let (excl, gross) = (
        quote["excl_vat_cents"].as_i64().unwrap(),
        quote["gross_cents"].as_i64().unwrap(),
    );
    assert_eq!(excl, gross - gross / 10);
    assert_eq!(quote["incl_vat_cents"].as_i64().unwrap(), excl + excl / 5);
    assert_eq!(detail["can_answer"], true);
    assert_error(
        post(
            app,
            &manager,
            "events/answer",
            &[("id", id.clone()), ("answer", "accept".into())],
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(
        post(
            app,
            &visitor,
            "events/answer",
            &[("id", id.clone()), ("answer", "accept".into())]
        )
        .await
        .status(),
        200
    );
    step_ok(app, &manager, "events/confirm", &id).await;
    // Tenants see the confirmed event in the room calendar only as taken.
    let cal = json(
        post(
            app,
            &tenant,
            "bookings/calendar",
            &[("date", date.to_string()), ("kind", "hall".into())],
        )
        .await,
    )
    .await;
    assert!(!cal.to_string().contains("Forum des associations"), "{cal}");
}

#[tokio::test]
async fn a_bad_request_gets_a_message_and_writes_nothing() {
    let hub = hub().await;
    let app = &hub.app;
    let users_before = app.user_count().await;
    let date = next_month();
    let cases: Vec<(&str, String, &str)> = vec![
        ("first_date", "demain".into(), "first_date"),
        ("end", "08:00".into(), "end"),
        ("attendance", "beaucoup".into(), "attendance"),
        ("kind", "rave".into(), "kind"),
        // The whole hall seats 800 at most, whatever the layout.
        ("attendance", "900".into(), "attendance"),
    ];
    for (field, value, named) in cases {
        let mut form = request_form(hub.hall, date);
        for f in form.iter_mut() {
            if f.0 == field {
                f.1 = value.clone();
            }
        }
        form.extend([
            ("account_name", "Nour Benali".to_string()),
            ("account_email", "nour@exemple.fr".to_string()),
            ("account_password", PASSWORD.to_string()),
        ]);
        let message = assert_error(
            post(app, &client(), "events/request", &form).await,
            400,
            "validation",
            Some(named),
        )
        .await;
        assert!(!message.is_empty());
    }
    // A weak password on the way: named by its field, and no account, no event.
    let mut form = request_form(hub.hall, date);
    form.extend([
        ("account_name", "Nour Benali".to_string()),
        ("account_email", "nour@exemple.fr".to_string()),
        ("account_password", "court".to_string()),
    ]);
    assert_error(
        post(app, &client(), "events/request", &form).await,
        400,
        "validation",
        Some("account_password"),
    )
    .await;
    assert_eq!(app.user_count().await, users_before);
    let events = coopole_app::entities::event::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 0);
    // Unknown and malformed ids are a clear 404.
    let manager = app_client(app, "gestion@coopole.example").await;
    for id in ["999999", "abc", ""] {
        assert_error(
            post(app, &manager, "events/get", &[("id", id.into())]).await,
            404,
            "not_found",
            None,
        )
        .await;
    }
}

/// Amounts typed by a manager are read by one parser: "0.-5", a negative price, a third decimal
/// or an amount beyond any quote are refused on the field, and nothing is written.
#[tokio::test]
async fn bad_amounts_on_a_quote_are_refused_and_write_nothing() {
    let hub = hub().await;
    let app = &hub.app;
    let nour = app_client(app, "organisateur@coopole.example").await;
    let res = post(
        app,
        &nour,
        "events/request",
        &request_form(hub.hall, next_month()),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id = json(res).await.as_i64().unwrap().to_string();
    let manager = app_client(app, "gestion@coopole.example").await;
    step_ok(app, &manager, "events/draft", &id).await;
    let draft = || async {
        json(post(app, &manager, "events/get", &[("id", id.clone())]).await).await["draft"].clone()
    };
    let before = draft().await;
    assert!(
        !before["lines"].as_array().unwrap().is_empty(),
        "the draft has its lines"
    );
    let line = |price: &str| {
        vec![
            ("id", id.clone()),
            ("description", "Nettoyage".to_owned()),
            ("quantity", "1".to_owned()),
            ("unit_price", price.to_owned()),
            ("vat", "20".to_owned()),
        ]
    };
    for price in [
        "0.-5",
        "-5",
        "-0,01",
        "12.345",
        "1e3",
        "NaN",
        "99999999999999999999",
        "douze",
        "",
    ] {
        assert_error(
            post(app, &manager, "events/quote_line", &line(price)).await,
            400,
            "validation",
            Some("unit_price"),
        )
        .await;
    }
    for discount in ["0.-5", "-10", "101", "1e2"] {
        assert_error(
            post(
                app,
                &manager,
                "events/quote_terms",
                &[
                    ("id", id.clone()),
                    ("discount", discount.to_owned()),
                    ("reason", "Réseau ESS".to_owned()),
                    (
                        "valid_until",
                        (next_month() - Duration::days(7)).to_string(),
                    ),
                ],
            )
            .await,
            400,
            "validation",
            Some("discount"),
        )
        .await;
    }
    assert_eq!(draft().await, before, "a refused amount changed the draft");

    // A price with a decimal comma, as a French manager types it, is taken to the cent.
    let res = post(app, &manager, "events/quote_line", &line("12,50")).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let after = draft().await;
    let added = after["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["description"] == "Nettoyage")
        .unwrap();
    assert_eq!(added["unit_cents"], 1250);
}

#[tokio::test]
async fn quotes_follow_the_tier_and_a_suggest_request_gets_its_spaces_from_the_manager() {
    let hub = hub().await;
    let app = &hub.app;
    let db = &app.db;
    let now = Utc::now();
    let date = next_month();
    // The same day in the hall: an outside organiser pays the outside rate, a resident 30 %
    // less (the demo tiers).
    let outside = hub.organiser("dehors@exemple.fr").await;
    let member = app.user("membre@coopole.example").await;
    let resident = Requester {
        user_id: member.id,
        organisation_id: member.organisation_id,
        tier: Tier::Resident,
    };
    let mut first_lines = Vec::new();
    for who in [outside, resident] {
        let id = events::create_request(db, who, &request(hub.hall, date, 2), now)
            .await
            .unwrap();
        let (_, lines) = events::draft(db, id, &unit, &extra, now).await.unwrap();
        first_lines.push(lines[0].unit_cents);
    }
    assert_eq!(first_lines, vec![120_000, 84_000]);

    // "Suggest": no spaces, so no quote can be sent until the manager picks them.
    let nour = app_client(app, "organisateur@coopole.example").await;
    let mut form = request_form(hub.hall, date);
    form.retain(|(k, _)| *k != "spaces[]" && *k != "layouts[]");
    form.push(("suggest", "on".into()));
    let res = post(app, &nour, "events/request", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let id = json(res).await.as_i64().unwrap().to_string();
    let manager = app_client(app, "gestion@coopole.example").await;
    step_ok(app, &manager, "events/draft", &id).await;
    assert_error(
        post(app, &manager, "events/send_quote", &[("id", id.clone())]).await,
        409,
        "conflict",
        None,
    )
    .await;
    // Too small for 300: refused with the capacity named; then the whole hall.
    let meeting = app.space_id("SALLE-LOIRE").await.to_string();
    let message = assert_error(
        post(
            app,
            &manager,
            "events/spaces/set",
            &[
                ("id", id.clone()),
                ("spaces[]", meeting.clone()),
                ("layouts[]", format!("{meeting}:theatre")),
            ],
        )
        .await,
        400,
        "validation",
        Some("attendance"),
    )
    .await;
    assert!(
        message.contains("places") || message.contains("personnes"),
        "{message}"
    );
    let hall = hub.hall.to_string();
    let res = post(
        app,
        &manager,
        "events/spaces/set",
        &[
            ("id", id.clone()),
            ("spaces[]", hall.clone()),
            ("layouts[]", format!("{hall}:banquet")),
        ],
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    step_ok(app, &manager, "events/draft", &id).await;
    step_ok(app, &manager, "events/send_quote", &id).await;
    let detail = json(post(app, &nour, "events/get", &[("id", id)]).await).await;
    assert_eq!(detail["spaces"][0]["layout"], "banquet");
    assert!(
        detail["quote"]["lines"][0]["description"]
            .as_str()
            .unwrap()
            .starts_with("Grande halle")
    );
}
