//! Races over real HTTP, on a multi-threaded runtime, on both backends: the competing
//! requests wait at a barrier and leave together, so that they really overlap. Each race,
//! run for several rounds, must end in exactly one allowed result, with no orphan occupancy,
//! charge or payment, and with a history that replays through the state machine.
use crate::helpers::*;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use coopole_app::auth::model::Role;
use coopole_app::bookings::model::BookingStatus;
use coopole_app::entities::{
    booking, charge, event, event_history, event_payment, event_quote, occupancy, organisation,
    user,
};
use coopole_app::events::model::EventStatus;
use coopole_app::events::rules::{Action, next_status};
use coopole_app::organisations::model::Tier;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

const ROUNDS: usize = 10;

/// The `n`-th weekday (Monday to Friday, when rooms open) from six weeks ahead: past the
/// demo's activity, within the 90 days tenants may book.
fn weekday(n: usize) -> NaiveDate {
    let mut d = next(Weekday::Mon, 42);
    let mut left = n;
    loop {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            if left == 0 {
                return d;
            }
            left -= 1;
        }
        d += Duration::days(1);
    }
}

fn ok_or_conflict(what: &str, (status, body): &(u16, String)) {
    assert!(
        *status == 200 || *status == 409,
        "{what}: only success or a conflict is allowed, got {status}: {body}"
    );
}

/// The occupancy rows of a booking or an event: one per leaf space, never two on one leaf.
async fn occupancy_of(app: &TestApp, column: occupancy::Column, id: i32) -> Vec<occupancy::Model> {
    let rows = occupancy::Entity::find()
        .filter(column.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    let mut leaves: Vec<i32> = rows.iter().map(|r| r.leaf_space_id).collect();
    leaves.sort_unstable();
    leaves.dedup();
    assert_eq!(leaves.len(), rows.len(), "one leaf taken twice: {rows:?}");
    rows
}

// ---------------------------------------------------------------------------------------------
// Room bookings.

/// A tenant of an organisation without included hours, so that every booking is charged.
async fn paying_tenant(app: &TestApp) -> user::Model {
    let paying: Vec<i32> = organisation::Entity::find()
        .filter(organisation::Column::Tier.ne(Tier::Resident))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    user::Entity::find()
        .filter(user::Column::Role.eq(Role::Tenant))
        .filter(user::Column::OrganisationId.is_in(paying))
        .order_by_asc(user::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo has tenants outside the resident tier")
}

async fn live_charges(app: &TestApp, booking_id: i32) -> Vec<charge::Model> {
    charge::Entity::find()
        .filter(charge::Column::Source.eq("room_booking"))
        .filter(charge::Column::SourceId.eq(booking_id))
        .filter(charge::Column::VoidedAt.is_null())
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_racing_a_cancel_never_leaves_occupancy_or_a_charge_behind() {
    let app = spawn_app().await;
    app.load_demo().await;
    let tenant = paying_tenant(&app).await;
    let author = app.client_for(tenant.id).await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let sevre = app.space_id("SALLE-SEVRE").await.to_string();
    for round in 0..ROUNDS {
        let day = weekday(round).to_string();
        let made = app
            .call_with(
                &author,
                "bookings/create",
                &[
                    ("space_id", &sevre),
                    ("date", &day),
                    ("start", "09:00"),
                    ("end", "11:00"),
                    ("title", "Comité"),
                    ("attendees", "4"),
                ],
            )
            .await;
        assert_eq!(made.status(), 200, "round {round}: booking refused");
        let id = json(made).await["id"].as_i64().unwrap() as i32;
        // Before the race: held and charged, so that both can be seen to go.
        assert_eq!(live_charges(&app, id).await.len(), 1, "round {round}");
        assert!(
            !occupancy_of(&app, occupancy::Column::BookingId, id)
                .await
                .is_empty()
        );

        let id_s = id.to_string();
        let change = author.post(app.url("/api/bookings/change")).form(&[
            ("id", id_s.as_str()),
            ("date", &day),
            ("start", "14:00"),
            ("end", "16:00"),
            ("title", "Comité déplacé"),
            ("attendees", "4"),
        ]);
        let cancel = manager
            .post(app.url("/api/bookings/cancel"))
            .form(&[("id", id_s.as_str())]);
        let [changed, cancelled] = all_at_once(vec![change, cancel]).await.try_into().unwrap();
        ok_or_conflict("change", &changed);
        ok_or_conflict("cancel", &cancelled);

        let b = booking::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let rows = occupancy_of(&app, occupancy::Column::BookingId, id).await;
        let charges = live_charges(&app, id).await;
        let outcome = format!(
            "round {round}: change {}, cancel {}, booking {:?} {}–{}, {} occupancy, {} live charge(s)",
            changed.0,
            cancelled.0,
            b.status,
            b.starts_at,
            b.ends_at,
            rows.len(),
            charges.len()
        );
        match b.status {
            BookingStatus::Cancelled => {
                assert_eq!(cancelled.0, 200, "{outcome}");
                assert!(
                    rows.is_empty(),
                    "a cancelled booking holds its room: {outcome}"
                );
                assert!(
                    charges.is_empty(),
                    "a cancelled booking is charged: {outcome}"
                );
            }
            BookingStatus::Confirmed => {
                // Only a change that won, and a cancel refused because of it.
                assert_eq!((changed.0, cancelled.0), (200, 409), "{outcome}");
                assert_eq!(b.title, "Comité déplacé", "{outcome}");
                assert!(!rows.is_empty(), "{outcome}");
                for r in &rows {
                    assert!(
                        r.starts_at <= b.starts_at.timestamp()
                            && r.ends_at >= b.ends_at.timestamp(),
                        "the occupancy is not the booking's: {outcome}"
                    );
                }
                assert_eq!(charges.len(), 1, "{outcome}");
                assert_eq!(charges[0].amount_cents, b.amount_cents, "{outcome}");
            }
            other => panic!("unexpected status {other:?}: {outcome}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events.

/// A signed-in organiser, a signed-in manager (or two) and the hall of the demo hub.
struct EventHub {
    app: TestApp,
    organiser_id: coopole_app::events::service::Requester,
    manager_id: i32,
    organiser: reqwest::Client,
    managers: [reqwest::Client; 2],
    hall: i32,
}

async fn event_hub() -> EventHub {
    let app = spawn_app().await;
    app.load_demo().await;
    let organiser = app
        .create_user("organisatrice@exemple.fr", Role::Organiser, None)
        .await;
    let organiser_id = coopole_app::events::service::Requester {
        user_id: organiser,
        organisation_id: None,
        tier: Tier::Outside,
    };
    let organiser = app.client_for(organiser).await;
    let manager_id = app.user("gestion@coopole.example").await.id;
    let managers = [
        app.client_for(app.user("gestion@coopole.example").await.id)
            .await,
        app.client_for(app.user("gestion2@coopole.example").await.id)
            .await,
    ];
    let hall = app.space_id("HALLE").await;
    EventHub {
        app,
        organiser_id,
        manager_id,
        organiser,
        managers,
        hall,
    }
}

impl EventHub {
    /// A request for the whole hall on `date`, with its quote sent (and accepted if asked).
    /// Set up through the services, so that only the race itself goes over HTTP.
    async fn quoted(&self, date: NaiveDate, accepted: bool) -> i32 {
        use coopole_app::events::model::{EventKind, EventRequest, Layout};
        use coopole_app::events::service as events;
        let db = &self.app.db;
        let now = chrono::Utc::now();
        let r = EventRequest {
            name: "Forum des associations".into(),
            kind: EventKind::Fair,
            first_date: date,
            last_date: date,
            start_minute: 9 * 60,
            end_minute: 18 * 60,
            attendance: 300,
            spaces: vec![(self.hall, Layout::Theatre)],
            suggest: false,
            extras: vec![],
            catering: String::new(),
            catering_covers: 0,
            setup_minutes: 120,
            teardown_minutes: 120,
            contact_phone: String::new(),
            notes: String::new(),
        };
        let id = events::create_request(db, self.organiser_id, &r, now)
            .await
            .unwrap();
        let unit = |u| format!("{u:?}");
        let extra = |x| format!("{x:?}");
        events::draft(db, id, &unit, &extra, now).await.unwrap();
        events::send_quote(db, id, self.manager_id, now)
            .await
            .unwrap();
        if accepted {
            events::answer_quote(db, id, true, self.organiser_id.user_id, now)
                .await
                .unwrap();
        }
        id
    }

    fn request(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, String)],
    ) -> reqwest::RequestBuilder {
        client
            .post(self.app.url(&format!("/api/{endpoint}")))
            .form(form)
    }

    async fn event(&self, id: i32) -> event::Model {
        event::Entity::find_by_id(id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap()
    }

    async fn history(&self, id: i32) -> Vec<String> {
        event_history::Entity::find()
            .filter(event_history::Column::EventId.eq(id))
            .order_by_asc(event_history::Column::Id)
            .all(&self.app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.what)
            .collect()
    }

    async fn live_payments(&self, id: i32) -> Vec<event_payment::Model> {
        event_payment::Entity::find()
            .filter(event_payment::Column::EventId.eq(id))
            .filter(event_payment::Column::VoidedAt.is_null())
            .all(&self.app.db)
            .await
            .unwrap()
    }

    /// Checks that the event's history replays through the state machine, from a request to
    /// the status it has now: no step was taken from a status the event had already left.
    async fn assert_history_replays(&self, id: i32, context: &str) -> Vec<String> {
        let history = self.history(id).await;
        let mut status = EventStatus::Request;
        for what in &history {
            let action = match what.as_str() {
                "quote_sent" => Action::SendQuote,
                "option" => Action::PlaceOption,
                "released" => Action::ReleaseOption,
                "lapsed" => Action::Lapse,
                "confirmed" => Action::Confirm,
                "done" => Action::MarkDone,
                "closed" => Action::Close,
                "declined" | "quote_declined" => Action::Decline,
                "cancelled" => Action::Cancel,
                // Lines that leave the status as it is.
                _ => continue,
            };
            status = next_status(status, action).unwrap_or_else(|r| {
                panic!("{context}: history {history:?} does not replay at {what:?}: {r:?}")
            });
        }
        let now = self.event(id).await.status;
        assert_eq!(status, now, "{context}: history {history:?}");
        history
    }
}

fn count(history: &[String], what: &str) -> usize {
    history.iter().filter(|h| h.as_str() == what).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancel_racing_a_confirmation_ends_one_way_at_the_right_fee() {
    let hub = event_hub().await;
    let [manager, _] = &hub.managers;
    // Between 30 and 60 days ahead, so that cancelling a confirmed event costs 30 %, and past
    // the demo's events.
    for round in 0..ROUNDS {
        let date = paris_today() + Duration::days(40 + round as i64);
        let id = hub.quoted(date, true).await;
        let before = hub.event(id).await;
        assert_eq!(before.status, EventStatus::Quoted);
        // What cancelling costs once confirmed: the organiser below agreed to 0, the price
        // of cancelling before confirmation.
        let mut confirmed = before.clone();
        confirmed.status = EventStatus::Confirmed;
        let confirmed_fee = coopole_app::events::service::cancellation_fee(
            &hub.app.db,
            &confirmed,
            &Default::default(),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        assert!(confirmed_fee.cents > 0);

        let cancel = hub.request(
            &hub.organiser,
            "events/cancel",
            &[
                ("id", id.to_string()),
                ("fee", "0".to_owned()),
                ("agree", "on".to_owned()),
            ],
        );
        let confirm = hub.request(manager, "events/confirm", &[("id", id.to_string())]);
        let [cancelled, confirmed] = all_at_once(vec![cancel, confirm]).await.try_into().unwrap();
        ok_or_conflict("cancel", &cancelled);
        ok_or_conflict("confirm", &confirmed);

        let context = format!(
            "round {round}: cancel {} {}, confirm {} {}",
            cancelled.0, cancelled.1, confirmed.0, confirmed.1
        );
        let history = hub.assert_history_replays(id, &context).await;
        let e = hub.event(id).await;
        let rows = occupancy_of(&hub.app, occupancy::Column::EventId, id).await;
        let payments = hub.live_payments(id).await;
        assert_eq!(
            (cancelled.0 == 200) as usize + (confirmed.0 == 200) as usize,
            1,
            "exactly one wins: {context}"
        );
        match e.status {
            EventStatus::Cancelled => {
                assert_eq!(cancelled.0, 200, "{context}");
                assert!(
                    rows.is_empty(),
                    "a cancelled event holds the hall: {context}"
                );
                // The fee is the one of the status it was cancelled from.
                let from_confirmed = history.iter().any(|h| h == "confirmed");
                let fee = if from_confirmed {
                    confirmed_fee.cents
                } else {
                    0
                };
                assert_eq!(
                    e.cancellation_fee_cents,
                    Some(fee),
                    "cancelled at the wrong fee: {context}, history {history:?}"
                );
                let live: Vec<_> = payments
                    .iter()
                    .map(|p| (p.kind.as_str(), p.amount_cents))
                    .collect();
                let expected = if fee > 0 {
                    vec![("cancellation", fee)]
                } else {
                    vec![]
                };
                assert_eq!(live, expected, "{context}");
            }
            EventStatus::Confirmed => {
                assert_eq!(confirmed.0, 200, "{context}");
                assert!(!rows.is_empty(), "{context}");
                for r in &rows {
                    assert_eq!((r.starts_at, r.ends_at), (e.held_from, e.held_until));
                }
                let mut kinds: Vec<&str> = payments.iter().map(|p| p.kind.as_str()).collect();
                kinds.sort_unstable();
                assert_eq!(kinds, ["balance", "deposit"], "{context}");
                assert_eq!(count(&history, "confirmed"), 1, "{context}");
            }
            other => panic!("unexpected status {other:?}: {context}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_answers_to_one_quote_and_exactly_one_counts() {
    let hub = event_hub().await;
    let date = paris_today() + Duration::days(80);
    for round in 0..ROUNDS {
        let id = hub.quoted(date, false).await;
        let answer = |a: &str| {
            hub.request(
                &hub.organiser,
                "events/answer",
                &[("id", id.to_string()), ("answer", a.to_owned())],
            )
        };
        let [accepted, declined] = all_at_once(vec![answer("accept"), answer("decline")])
            .await
            .try_into()
            .unwrap();
        ok_or_conflict("accept", &accepted);
        ok_or_conflict("decline", &declined);
        let context = format!(
            "round {round}: accept {} {}, decline {} {}",
            accepted.0, accepted.1, declined.0, declined.1
        );
        assert_eq!(
            (accepted.0 == 200) as usize + (declined.0 == 200) as usize,
            1,
            "exactly one answer wins: {context}"
        );
        let history = hub.assert_history_replays(id, &context).await;
        assert_eq!(
            count(&history, "quote_accepted") + count(&history, "quote_declined"),
            1,
            "one answer in the history: {context}, {history:?}"
        );
        let quotes = event_quote::Entity::find()
            .filter(event_quote::Column::EventId.eq(id))
            .all(&hub.app.db)
            .await
            .unwrap();
        let answered: Vec<(bool, bool)> = quotes
            .iter()
            .map(|q| (q.accepted_at.is_some(), q.declined_at.is_some()))
            .filter(|a| *a != (false, false))
            .collect();
        let status = hub.event(id).await.status;
        if accepted.0 == 200 {
            assert_eq!(answered, [(true, false)], "{context}");
            assert_eq!(status, EventStatus::Quoted, "{context}");
        } else {
            assert_eq!(answered, [(false, true)], "{context}");
            assert_eq!(status, EventStatus::Declined, "{context}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_managers_confirming_one_event_confirm_it_once() {
    let hub = event_hub().await;
    let [first, second] = &hub.managers;
    for round in 0..ROUNDS {
        let date = paris_today() + Duration::days(70 + round as i64);
        let id = hub.quoted(date, true).await;
        let confirm = |c| hub.request(c, "events/confirm", &[("id", id.to_string())]);
        let results = all_at_once(vec![confirm(first), confirm(second)]).await;
        let context = format!("round {round}: {results:?}");
        for r in &results {
            ok_or_conflict("confirm", r);
        }
        let wins = results.iter().filter(|r| r.0 == 200).count();
        assert_eq!(wins, 1, "{context}");
        let history = hub.assert_history_replays(id, &context).await;
        assert_eq!(count(&history, "confirmed"), 1, "{context}");
        let e = hub.event(id).await;
        assert_eq!(e.status, EventStatus::Confirmed, "{context}");
        let rows = occupancy_of(&hub.app, occupancy::Column::EventId, id).await;
        assert!(!rows.is_empty(), "{context}");
        assert_eq!(hub.live_payments(id).await.len(), 2, "{context}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_declining_while_another_places_an_option_leaves_one_story() {
    let hub = event_hub().await;
    let [first, second] = &hub.managers;
    let date = paris_today() + Duration::days(80);
    let until = (paris_today() + Duration::days(7)).to_string();
    for round in 0..ROUNDS {
        let id = hub.quoted(date, false).await;
        let decline = hub.request(first, "events/decline", &[("id", id.to_string())]);
        let option = hub.request(
            second,
            "events/option",
            &[("id", id.to_string()), ("until", until.clone())],
        );
        let [declined, optioned] = all_at_once(vec![decline, option]).await.try_into().unwrap();
        ok_or_conflict("decline", &declined);
        ok_or_conflict("option", &optioned);
        let context = format!(
            "round {round}: decline {} {}, option {} {}",
            declined.0, declined.1, optioned.0, optioned.1
        );
        let history = hub.assert_history_replays(id, &context).await;
        // Declining is allowed from a quote and from an option, so it always goes through;
        // the option goes through only if it came first, and then it is gone with its dates.
        assert_eq!(declined.0, 200, "{context}");
        assert_eq!(count(&history, "declined"), 1, "{context}");
        assert_eq!(
            count(&history, "option"),
            (optioned.0 == 200) as usize,
            "{context}: {history:?}"
        );
        let e = hub.event(id).await;
        assert_eq!(e.status, EventStatus::Declined, "{context}");
        assert_eq!(
            (e.option_placed_at, e.option_expires_at),
            (None, None),
            "{context}"
        );
    }
}

fn paris_today() -> NaiveDate {
    coopole_app::bookings::rules::paris_today(chrono::Utc::now())
}

// ---------------------------------------------------------------------------------------------
// Background tasks, as every server instance runs them.

/// Runs two futures at the same moment on the multi-threaded runtime, each in its own task.
async fn together<A, B>(
    a: impl std::future::Future<Output = A> + Send + 'static,
    b: impl std::future::Future<Output = B> + Send + 'static,
) -> (A, B)
where
    A: Send + 'static,
    B: Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let (ba, bb) = (barrier.clone(), barrier);
    let a = tokio::spawn(async move {
        ba.wait().await;
        a.await
    });
    let b = tokio::spawn(async move {
        bb.wait().await;
        b.await
    });
    (a.await.unwrap(), b.await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_lapsing_the_same_option_lapse_it_once() {
    use coopole_app::events::service as events;
    let hub = event_hub().await;
    let db = hub.app.db.clone();
    let now = chrono::Utc::now();
    for round in 0..ROUNDS {
        // Two options on one slot: when the first lapses, the second is promoted.
        let date = paris_today() + Duration::days(60 + round as i64);
        let first = hub.quoted(date, false).await;
        let second = hub.quoted(date, false).await;
        let expiry = now + Duration::days(1);
        events::place_option(&db, first, expiry, hub.manager_id, now)
            .await
            .unwrap();
        events::place_option(&db, second, expiry + Duration::days(1), hub.manager_id, now)
            .await
            .unwrap();
        let (d1, d2) = (db.clone(), db.clone());
        let (one, two) = together(
            async move { events::lapse_due(&d1, expiry).await },
            async move { events::lapse_due(&d2, expiry).await },
        )
        .await;
        let context = format!("round {round}: {one:?} / {two:?}");
        // A lost race may be refused or skipped; it must not write a second time.
        let lapsed: usize = [&one, &two]
            .iter()
            .map(|r| match r {
                Ok(ids) => ids.iter().filter(|i| **i == first).count(),
                Err(_) => 0,
            })
            .sum();
        assert_eq!(lapsed, 1, "{context}");
        let history = hub.assert_history_replays(first, &context).await;
        assert_eq!(count(&history, "lapsed"), 1, "{context}: {history:?}");
        assert_eq!(hub.event(first).await.status, EventStatus::Lapsed);
        let promoted = hub.history(second).await;
        assert_eq!(count(&promoted, "promoted"), 1, "{context}: {promoted:?}");
        // The next round's options start first again.
        events::decline(&db, second, hub.manager_id, now)
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_option_lapsing_while_it_is_confirmed_leaves_no_orphan_occupancy() {
    use coopole_app::events::service as events;
    let hub = event_hub().await;
    let db = hub.app.db.clone();
    let now = chrono::Utc::now();
    for round in 0..ROUNDS {
        let date = paris_today() + Duration::days(60 + round as i64);
        let id = hub.quoted(date, true).await;
        let expiry = now + Duration::days(1);
        events::place_option(&db, id, expiry, hub.manager_id, now)
            .await
            .unwrap();
        // The manager confirms a second before expiry, as another instance's task lapses it.
        let (d1, d2, by) = (db.clone(), db.clone(), hub.manager_id);
        let (confirmed, lapsed) = together(
            async move {
                events::confirm(
                    &d1,
                    id,
                    &Default::default(),
                    by,
                    expiry - Duration::seconds(1),
                )
                .await
            },
            async move { events::lapse_due(&d2, expiry).await },
        )
        .await;
        let context = format!("round {round}: confirm {confirmed:?}, lapse {lapsed:?}");
        let history = hub.assert_history_replays(id, &context).await;
        let e = hub.event(id).await;
        let rows = occupancy_of(&hub.app, occupancy::Column::EventId, id).await;
        let payments = hub.live_payments(id).await;
        match e.status {
            EventStatus::Confirmed => {
                assert!(confirmed.is_ok(), "{context}");
                assert!(!rows.is_empty(), "{context}");
                assert_eq!(payments.len(), 2, "{context}");
                assert_eq!(count(&history, "lapsed"), 0, "{context}: {history:?}");
            }
            EventStatus::Lapsed => {
                assert!(confirmed.is_err(), "{context}");
                assert!(rows.is_empty(), "a lapsed option holds the hall: {context}");
                assert!(payments.is_empty(), "a lapsed option is due: {context}");
            }
            other => panic!("unexpected status {other:?}: {context}"),
        }
    }
}
