//! The demo hub's activity (`seed --demo`): a month of bookings and events at every stage,
//! dated around the day it runs, seeded once, and shown to the demo accounts.
use crate::helpers::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use coopole_app::bookings::model::BookingStatus;
use coopole_app::bookings::rules::{paris_to_utc, paris_today};
use coopole_app::entities::{
    booking, booking_series, charge, event, event_history, event_payment, event_quote, occupancy,
    organisation, space_block,
};
use coopole_app::events::model::EventStatus;
use coopole_app::events::service::EventTerms;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

const DEMO_PASSWORD: &str = "coopole-demo-2026";

async fn seed_all(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> coopole_server::demo::ActivityReport {
    coopole_server::demo::seed(db).await.unwrap();
    coopole_server::demo::seed_activity(db, &EventTerms::default(), now)
        .await
        .unwrap()
}

/// Rows of every table the activity writes to.
async fn counts(db: &DatabaseConnection) -> Vec<(&'static str, u64)> {
    vec![
        ("bookings", booking::Entity::find().count(db).await.unwrap()),
        (
            "series",
            booking_series::Entity::find().count(db).await.unwrap(),
        ),
        (
            "blocks",
            space_block::Entity::find().count(db).await.unwrap(),
        ),
        (
            "occupancies",
            occupancy::Entity::find().count(db).await.unwrap(),
        ),
        ("charges", charge::Entity::find().count(db).await.unwrap()),
        ("events", event::Entity::find().count(db).await.unwrap()),
        (
            "quotes",
            event_quote::Entity::find().count(db).await.unwrap(),
        ),
        (
            "history",
            event_history::Entity::find().count(db).await.unwrap(),
        ),
        (
            "payments",
            event_payment::Entity::find().count(db).await.unwrap(),
        ),
    ]
}

/// The first working day from `today` (itself on a weekday), as the demo counts them.
fn first_workday(today: NaiveDate) -> NaiveDate {
    let mut d = today;
    while d.weekday().num_days_from_monday() >= 5 {
        d += Duration::days(1);
    }
    d
}

#[tokio::test]
async fn the_demo_activity_is_lived_in_and_seeded_once() {
    let app = spawn_app().await;
    let db = &app.db;
    let now = Utc::now();
    let first = seed_all(db, now).await;
    assert!(
        first.bookings > 40 && first.events == 7 && first.blocks == 2,
        "{first:?}"
    );
    let after_first = counts(db).await;
    let second = seed_all(db, now + Duration::hours(1)).await;
    assert_eq!(second, coopole_server::demo::ActivityReport::default());
    assert_eq!(
        counts(db).await,
        after_first,
        "a second seed changes nothing"
    );

    // Bookings past and upcoming, for several organisations.
    let all = booking::Entity::find().all(db).await.unwrap();
    let mut past: HashSet<i32> = HashSet::new();
    let mut upcoming: HashSet<i32> = HashSet::new();
    for b in all.iter().filter(|b| b.status.is_active()) {
        if b.ends_at < now {
            past.insert(b.organisation_id);
        } else if b.starts_at > now {
            upcoming.insert(b.organisation_id);
        }
    }
    let both = past.intersection(&upcoming).count();
    assert!(
        both >= 3,
        "{both} organisations book both before and after today"
    );
    let status = |s: BookingStatus| all.iter().filter(move |b| b.status == s);
    assert!(status(BookingStatus::Pending).any(|b| b.starts_at > now));
    assert!(status(BookingStatus::Cancelled).count() >= 1);
    let series = booking_series::Entity::find().all(db).await.unwrap();
    assert_eq!(series.len(), 1);
    assert!(
        all.iter()
            .filter(|b| b.series_id == Some(series[0].id))
            .count()
            >= 3
    );
    let blocks = space_block::Entity::find().all(db).await.unwrap();
    assert!(blocks.iter().any(|b| b.reason.starts_with("Maintenance")));
    assert!(blocks.iter().any(|b| b.ends_at < now) && blocks.iter().any(|b| b.starts_at > now));
    // Every confirmed booking with something to pay has its charge, and pending ones none.
    let charged: HashSet<i32> = charge::Entity::find()
        .filter(charge::Column::Source.eq("room_booking"))
        .filter(charge::Column::VoidedAt.is_null())
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.source_id)
        .collect();
    for b in &all {
        let expected = b.status == BookingStatus::Confirmed && b.amount_cents > 0;
        assert_eq!(charged.contains(&b.id), expected, "charge of {b:?}");
    }

    // The referent's organisation has used part of its included hours, never more.
    let referent = app.user("referent@coopole.example").await;
    let org_id = referent.organisation_id.unwrap();
    let org = organisation::Entity::find_by_id(org_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut months: HashMap<(i32, u32), i64> = HashMap::new();
    for b in all
        .iter()
        .filter(|b| b.organisation_id == org_id && b.status.is_active())
    {
        let d = paris_today(b.starts_at);
        *months.entry((d.year(), d.month())).or_default() += i64::from(b.included_minutes);
    }
    let allowance = i64::from(org.included_room_minutes);
    assert!(months.values().all(|used| *used <= allowance), "{months:?}");
    assert!(
        months.values().any(|used| *used > 0 && *used < allowance),
        "{months:?}"
    );

    // Events at every stage; two options ranked on the same slot.
    let events = event::Entity::find().all(db).await.unwrap();
    let with = |s: EventStatus| events.iter().filter(move |e| e.status == s);
    assert_eq!(with(EventStatus::Request).count(), 1);
    assert_eq!(with(EventStatus::Quoted).count(), 1);
    let options: Vec<_> = with(EventStatus::Option).collect();
    assert_eq!(options.len(), 2);
    assert_eq!(options[0].first_date, options[1].first_date);
    let ranks = coopole_app::events::service::option_ranks(db)
        .await
        .unwrap();
    let mut ranked: Vec<u32> = options.iter().map(|e| ranks[&e.id]).collect();
    ranked.sort_unstable();
    assert_eq!(ranked, vec![1, 2]);
    let confirmed: Vec<_> = with(EventStatus::Confirmed).collect();
    assert!(!confirmed.is_empty());
    for e in &confirmed {
        let payments = coopole_app::events::service::payments_of(db, e.id)
            .await
            .unwrap();
        assert!(
            payments
                .iter()
                .any(|p| p.kind == "deposit" && p.amount_cents > 0),
            "{} has its deposit due",
            e.name
        );
        let held = occupancy::Entity::find()
            .filter(occupancy::Column::EventId.eq(e.id))
            .count(db)
            .await
            .unwrap();
        assert!(held > 0, "{} holds its spaces", e.name);
    }
    let done: Vec<_> = with(EventStatus::Done).collect();
    assert_eq!(done.len(), 1);
    assert!(done[0].ends_at < now);
    let organiser = app.user("organisateur@coopole.example").await;
    assert!(
        events
            .iter()
            .filter(|e| e.organiser_id == organiser.id)
            .count()
            >= 3
    );
    // Something is on in the managers' week.
    let today = paris_today(now);
    assert!(
        events
            .iter()
            .any(|e| e.first_date <= today && today <= e.last_date)
    );

    // The door display of a room shows a booking all through the working day.
    let door_day = first_workday(today);
    for hour in [9, 11, 15, 18] {
        let at = paris_to_utc(door_day, hour * 60).unwrap();
        let display = coopole_app::bookings::calendar::door_display(db, "SALLE-ERDRE", at)
            .await
            .unwrap()
            .unwrap();
        assert!(
            display.current.is_some(),
            "a booking at {hour}:00 on {door_day}"
        );
    }

    // The demo accounts see their bookings and events on their pages.
    let client = client();
    let res = app
        .call_with(
            &client,
            "auth/sign_in",
            &[
                ("email", "referent@coopole.example"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = |client: reqwest::Client, path: &'static str| {
        let url = app.url(path);
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            res.text().await.unwrap()
        }
    };
    let mine = page(client, "/mes-reservations").await;
    for title in [
        "Soirée repair café",
        "Accueil des nouveaux bénévoles",
        "Conseil d",
    ] {
        assert!(mine.contains(title), "the referent sees {title}");
    }
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let mine = page(member, "/mes-reservations").await;
    assert!(mine.contains("Formation au tri des textiles"));
    assert!(
        !mine.contains("Soirée repair café"),
        "a member sees only their own"
    );
    let neighbour = app
        .client_for(app.user("voisin@coopole.example").await.id)
        .await;
    let mine = page(neighbour, "/mes-reservations").await;
    assert!(
        mine.contains("autoréparation vélo") && mine.contains("Préparation de la fête du vélo")
    );
    let organiser = app.client_for(organiser.id).await;
    let theirs = page(organiser, "/evenements").await;
    assert!(theirs.contains("Marché de créateurs solidaires"));
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let pipeline = page(manager, "/gestion/evenements").await;
    assert!(pipeline.contains("Séminaire des partenaires"));
}

/// Whatever the day: a weekend, the clock changes, the turn of the year.
#[tokio::test]
async fn the_demo_activity_fits_any_day() {
    for now in [
        "2026-03-28T10:00:00Z", // Saturday before the spring clock change
        "2026-10-26T06:30:00Z", // Monday after the autumn one, before opening
        "2026-12-31T18:30:00Z", // Thursday evening, a month and a year end
        "2027-01-03T12:00:00Z", // Sunday
    ] {
        let now: DateTime<Utc> = now.parse().unwrap();
        let (db, _dir) = fresh_database().await;
        let report = seed_all(&db, now).await;
        assert!(
            report.bookings > 40 && report.events == 7,
            "{now}: {report:?}"
        );
        let door_day = first_workday(paris_today(now));
        let at = paris_to_utc(door_day, 10 * 60 + 30).unwrap();
        let display = coopole_app::bookings::calendar::door_display(&db, "SALLE-LOIRE", at)
            .await
            .unwrap()
            .unwrap();
        assert!(display.current.is_some(), "{now}: the door on {door_day}");
        db.close().await.ok();
    }
}
