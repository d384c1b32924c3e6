//! Booking rules, series and cancellations, called at the service with a fixed clock: the
//! same tests on SQLite and PostgreSQL, whatever day they run.
use crate::helpers::*;
use chrono::{DateTime, NaiveDate, Utc};
use coopole_app::bookings::model::{BookingStatus, LocalSlot, Scope};
use coopole_app::bookings::rules::{Recurrence, SeriesEnd, Violation, weekday_bit};
use coopole_app::bookings::service::{self, BookingChange, BookingError, Clash, NewBooking};
use coopole_app::entities::{booking, charge};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;

/// Monday 4 January 2027, 09:00 in Paris.
fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2027-01-04T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(date: NaiveDate, start: u32, end: u32) -> LocalSlot {
    LocalSlot {
        date,
        start_minute: start * 60,
        end_minute: end * 60,
    }
}

fn request(space: i32, slot: LocalSlot, title: &str) -> NewBooking {
    NewBooking {
        space_id: space,
        organisation_id: None,
        slot,
        title: title.to_owned(),
        attendees: 4,
        equipment: vec![],
    }
}

async fn setup() -> (TestApp, i32) {
    let app = spawn_app().await;
    app.load_demo().await;
    let sevre = app.space_id("SALLE-SEVRE").await;
    (app, sevre)
}

#[tokio::test]
async fn the_rules_refuse_at_the_service_too() {
    let (app, sevre) = setup().await;
    let member = app.actor("membre@coopole.example").await;
    let manager = app.actor("gestion@coopole.example").await;
    let refuse = |r: Result<booking::Model, BookingError>| match r {
        Err(BookingError::Rule(v)) => v,
        other => panic!("expected a rule's refusal, got {other:?}"),
    };
    // Today, 09:30: under the hour's notice.
    let soon = service::create(
        &app.db,
        &member,
        &request(
            sevre,
            LocalSlot {
                date: d(2027, 1, 4),
                start_minute: 570,
                end_minute: 630,
            },
            "x",
        ),
        now(),
    )
    .await;
    assert_eq!(refuse(soon), Violation::TooSoon { notice_minutes: 60 });
    // Ninety days for tenants; a year for managers.
    let far = request(sevre, at(d(2027, 4, 15), 10, 11), "x");
    assert_eq!(
        refuse(service::create(&app.db, &member, &far, now()).await),
        Violation::TooFarAhead { days: 90 }
    );
    let for_org = NewBooking {
        organisation_id: member.organisation_id,
        ..far.clone()
    };
    assert!(
        service::create(&app.db, &manager, &for_org, now())
            .await
            .is_ok(),
        "managers book further ahead"
    );
    // Eleven hours is over the room's ten.
    assert_eq!(
        refuse(
            service::create(
                &app.db,
                &member,
                &request(sevre, at(d(2027, 1, 6), 8, 19), "x"),
                now()
            )
            .await
        ),
        Violation::TooLong { max_minutes: 600 }
    );
    // The rules are the manager's too: no booking a closed room.
    let night = NewBooking {
        organisation_id: member.organisation_id,
        ..request(sevre, at(d(2027, 1, 6), 21, 22), "x")
    };
    assert!(matches!(
        refuse(service::create(&app.db, &manager, &night, now()).await),
        Violation::Closed { .. }
    ));
    // A manager with no organisation chosen is asked for one.
    assert!(matches!(
        service::create(
            &app.db,
            &manager,
            &request(sevre, at(d(2027, 1, 6), 10, 11), "x"),
            now()
        )
        .await,
        Err(BookingError::NoOrganisation)
    ));
}

#[tokio::test]
async fn the_buffer_is_named_when_it_refuses() {
    let (app, sevre) = setup().await;
    let member = app.actor("membre@coopole.example").await;
    service::create(
        &app.db,
        &member,
        &request(sevre, at(d(2027, 1, 6), 10, 11), "a"),
        now(),
    )
    .await
    .unwrap();
    let next = LocalSlot {
        date: d(2027, 1, 6),
        start_minute: 11 * 60,
        end_minute: 12 * 60,
    };
    match service::create(&app.db, &member, &request(sevre, next, "b"), now()).await {
        Err(BookingError::Conflict(Clash::Booking {
            buffer_minutes: Some(15),
            ..
        })) => {}
        other => panic!("expected the buffer's refusal, got {other:?}"),
    }
    let after_buffer = LocalSlot {
        start_minute: 11 * 60 + 15,
        ..next
    };
    assert!(
        service::create(&app.db, &member, &request(sevre, after_buffer, "b"), now())
            .await
            .is_ok()
    );
}

fn weekly(count: u32) -> Recurrence {
    Recurrence {
        interval_weeks: 1,
        weekdays: weekday_bit(chrono::Weekday::Wed),
        end: SeriesEnd::Count(count),
    }
}

async fn series_rows(app: &TestApp, series: i32) -> Vec<booking::Model> {
    booking::Entity::find()
        .filter(booking::Column::SeriesId.eq(series))
        .order_by_asc(booking::Column::StartsAt)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn series_preview_their_clashes_skip_them_and_book_the_rest() {
    let (app, sevre) = setup().await;
    let member = app.actor("membre@coopole.example").await;
    let other = app.actor("referent@coopole.example").await;
    // Someone already has the third Wednesday.
    service::create(
        &app.db,
        &other,
        &request(sevre, at(d(2027, 1, 20), 10, 11), "déjà là"),
        now(),
    )
    .await
    .unwrap();
    let req = request(sevre, at(d(2027, 1, 6), 10, 11), "Hebdo");
    let preview = service::preview_series(&app.db, &member, &req, &weekly(4), now())
        .await
        .unwrap();
    let dates: Vec<(NaiveDate, bool)> = preview.iter().map(|(d, p)| (*d, p.is_some())).collect();
    assert_eq!(
        dates,
        vec![
            (d(2027, 1, 6), false),
            (d(2027, 1, 13), false),
            (d(2027, 1, 20), true),
            (d(2027, 1, 27), false)
        ]
    );

    // Without skipping, the series is refused and names the date.
    match service::create_series(&app.db, &member, &req, &weekly(4), &HashSet::new(), now()).await {
        Err(BookingError::ConflictOn { date, .. }) => assert_eq!(date, d(2027, 1, 20)),
        other => panic!("expected a clash on the 20th, got {other:?}"),
    }
    assert_eq!(app.booking_count().await, 1, "all or nothing");
    let skip = HashSet::from([d(2027, 1, 20)]);
    let (series, made) = service::create_series(&app.db, &member, &req, &weekly(4), &skip, now())
        .await
        .unwrap();
    assert_eq!(made.len(), 3);
    assert_eq!(series_rows(&app, series.id).await.len(), 3);
}

#[tokio::test]
async fn editing_one_this_and_following_or_the_whole_series() {
    let (app, sevre) = setup().await;
    let member = app.actor("membre@coopole.example").await;
    let req = request(sevre, at(d(2027, 1, 6), 10, 11), "Hebdo");
    let (series, _) =
        service::create_series(&app.db, &member, &req, &weekly(4), &HashSet::new(), now())
            .await
            .unwrap();
    let rows = series_rows(&app, series.id).await;
    let hour = |b: &booking::Model| LocalSlot::from_utc(b.starts_at, b.ends_at).start_minute / 60;
    let change = |date: NaiveDate, start: u32| BookingChange {
        date,
        start_minute: start * 60,
        end_minute: (start + 1) * 60,
        title: "Hebdo".to_owned(),
        attendees: 4,
    };

    // One occurrence: the second moves to 14:00, and may change its date.
    service::change(
        &app.db,
        &member,
        rows[1].id,
        &change(d(2027, 1, 14), 14),
        Scope::This,
        now(),
    )
    .await
    .unwrap();
    let after = series_rows(&app, series.id).await;
    assert_eq!(
        after.iter().map(hour).collect::<Vec<_>>(),
        vec![10, 14, 10, 10]
    );
    assert_eq!(
        LocalSlot::from_utc(after[1].starts_at, after[1].ends_at).date,
        d(2027, 1, 14)
    );

    // This and following: the third and fourth move to 16:00.
    service::change(
        &app.db,
        &member,
        rows[2].id,
        &change(d(2027, 1, 20), 16),
        Scope::ThisAndFollowing,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(
        series_rows(&app, series.id)
            .await
            .iter()
            .map(hour)
            .collect::<Vec<_>>(),
        vec![10, 14, 16, 16]
    );

    // The whole series: everything to come moves to 09:00, each on its own date.
    service::change(
        &app.db,
        &member,
        rows[3].id,
        &change(d(2027, 1, 27), 9),
        Scope::All,
        now(),
    )
    .await
    .unwrap();
    let all = series_rows(&app, series.id).await;
    assert_eq!(all.iter().map(hour).collect::<Vec<_>>(), vec![9, 9, 9, 9]);
    assert_eq!(
        LocalSlot::from_utc(all[1].starts_at, all[1].ends_at).date,
        d(2027, 1, 14),
        "dates stay put"
    );

    // A change that clashes on one date changes nothing at all.
    let other = app.actor("referent@coopole.example").await;
    service::create(
        &app.db,
        &other,
        &request(sevre, at(d(2027, 1, 27), 12, 13), "pris"),
        now(),
    )
    .await
    .unwrap();
    match service::change(
        &app.db,
        &member,
        all[0].id,
        &change(d(2027, 1, 6), 12),
        Scope::All,
        now(),
    )
    .await
    {
        Err(BookingError::ConflictOn { date, .. }) => assert_eq!(date, d(2027, 1, 27)),
        other => panic!("expected a clash on the 27th, got {other:?}"),
    }
    assert_eq!(
        series_rows(&app, series.id)
            .await
            .iter()
            .map(hour)
            .collect::<Vec<_>>(),
        vec![9, 9, 9, 9]
    );

    // Cancelling: this one, then this and following, then what is left.
    service::cancel(&app.db, &member, all[0].id, Scope::This, now())
        .await
        .unwrap();
    service::cancel(&app.db, &member, all[2].id, Scope::ThisAndFollowing, now())
        .await
        .unwrap();
    let states: Vec<BookingStatus> = series_rows(&app, series.id)
        .await
        .iter()
        .map(|b| b.status)
        .collect();
    assert_eq!(
        states,
        vec![
            BookingStatus::Cancelled,
            BookingStatus::Confirmed,
            BookingStatus::Cancelled,
            BookingStatus::Cancelled
        ]
    );
    service::cancel(&app.db, &member, all[1].id, Scope::All, now())
        .await
        .unwrap();
    assert!(
        series_rows(&app, series.id)
            .await
            .iter()
            .all(|b| b.status == BookingStatus::Cancelled)
    );
}

#[tokio::test]
async fn a_series_keeps_its_local_time_across_the_spring_clock_change() {
    let (app, sevre) = setup().await;
    let member = app.actor("membre@coopole.example").await;
    let req = request(sevre, at(d(2027, 3, 24), 10, 11), "Printemps");
    let now = DateTime::parse_from_rfc3339("2027-03-01T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let (series, _) =
        service::create_series(&app.db, &member, &req, &weekly(2), &HashSet::new(), now)
            .await
            .unwrap();
    let rows = series_rows(&app, series.id).await;
    use chrono::Timelike;
    // 10:00 in Paris: 09:00 UTC before 28 March, 08:00 UTC after.
    assert_eq!(
        rows.iter().map(|b| b.starts_at.hour()).collect::<Vec<_>>(),
        vec![9, 8]
    );
    assert!(
        rows.iter()
            .all(|b| LocalSlot::from_utc(b.starts_at, b.ends_at).start_minute == 600)
    );
}

#[tokio::test]
async fn late_cancellations_stay_charged() {
    let (app, sevre) = setup().await;
    let member = app.actor("membre@coopole.example").await;
    // Use up the included hours so that bookings cost something.
    let loire = app.space_id("SALLE-LOIRE").await;
    service::create(
        &app.db,
        &member,
        &request(loire, at(d(2027, 1, 5), 9, 15), "grand"),
        now(),
    )
    .await
    .unwrap();
    let early = service::create(
        &app.db,
        &member,
        &request(sevre, at(d(2027, 1, 12), 10, 12), "tôt"),
        now(),
    )
    .await
    .unwrap();
    let late = service::create(
        &app.db,
        &member,
        &request(sevre, at(d(2027, 1, 5), 8, 10), "tard"),
        now(),
    )
    .await
    .unwrap();
    assert!(early.amount_cents > 0 && late.amount_cents > 0);

    // A week ahead: free to cancel, the charge is voided.
    let done = service::cancel(&app.db, &member, early.id, Scope::This, now())
        .await
        .unwrap();
    assert!(!done[0].cancellation_charged);
    // Tomorrow at 08:00, 23 hours away, under the 24-hour deadline: still charged.
    let done = service::cancel(&app.db, &member, late.id, Scope::This, now())
        .await
        .unwrap();
    assert!(done[0].cancellation_charged);
    let charges = charge::Entity::find().all(&app.db).await.unwrap();
    let voided = |id: i32| {
        charges
            .iter()
            .find(|c| c.source_id == id)
            .map(|c| c.voided_at.is_some())
    };
    assert_eq!(voided(early.id), Some(true));
    assert_eq!(voided(late.id), Some(false));
    // A booking that has started can no longer be cancelled.
    let started = DateTime::parse_from_rfc3339("2027-01-05T08:30:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let first = booking::Entity::find()
        .filter(booking::Column::Title.eq("grand"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        service::cancel(&app.db, &member, first.id, Scope::This, started).await,
        Err(BookingError::Started)
    ));
}
