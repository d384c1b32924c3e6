//! The calendar never offers the past: free time that has gone by shows as past and is not
//! a link. Tests run at any hour, so they look at a day that is wholly past (the last
//! Tuesday before today) and check today's free slots against the clock.
use crate::helpers::*;
use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use coopole_app::bookings::rules::{paris_to_utc, paris_today};
use serde_json::Value;

/// The most recent Tuesday strictly before `day` (a working day, so there is free time).
fn tuesday_before(day: NaiveDate) -> NaiveDate {
    let mut d = day - Duration::days(1);
    while d.weekday() != Weekday::Tue {
        d -= Duration::days(1);
    }
    d
}

/// Every segment of a one-day calendar, as (start, end, kind).
fn segments(calendar: &Value) -> Vec<(u32, u32, String)> {
    calendar["spaces"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["days"][0].as_array().unwrap().clone())
        .map(|seg| {
            (
                u32::try_from(seg["start"].as_u64().unwrap()).unwrap(),
                u32::try_from(seg["end"].as_u64().unwrap()).unwrap(),
                seg["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn day_calendar(app: &TestApp, client: &reqwest::Client, date: NaiveDate) -> Value {
    json(
        app.call_with(client, "bookings/calendar", &[("date", &date.to_string())])
            .await,
    )
    .await
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn past_time_shows_as_past_and_is_not_offered() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let before = Utc::now();
    let today = paris_today(before);

    // A past working day: nothing free, and its open hours show as past.
    let past_day = tuesday_before(today);
    let past = segments(&day_calendar(&app, &member, past_day).await);
    assert!(past.iter().all(|(_, _, kind)| kind != "free"), "{past:?}");
    assert!(past.iter().any(|(_, _, kind)| kind == "past"), "{past:?}");
    let html = page(&app, &member, &format!("/calendrier?date={past_day}")).await;
    assert!(html.contains("seg past"), "a past slot is marked as past");
    assert!(
        !html.contains("seg free"),
        "no free slot is offered in the past"
    );
    assert!(!html.contains(&format!("date={past_day}&amp;start=")));
    assert!(!html.contains(&format!("date={past_day}&start=")));

    // The same weekday two weeks on is offered, with links to book it.
    let future_day = past_day + Duration::days(14);
    let future = segments(&day_calendar(&app, &member, future_day).await);
    assert!(future.iter().any(|(_, _, kind)| kind == "free"));
    assert!(future.iter().all(|(_, _, kind)| kind != "past"));
    let html = page(&app, &member, &format!("/calendrier?date={future_day}")).await;
    assert!(html.contains("seg free") && html.contains("/reserver/nouvelle?space="));

    // Today: whatever the hour, every free stretch starts after the request began.
    for (start, _, kind) in segments(&day_calendar(&app, &member, today).await) {
        if kind == "free" {
            assert!(
                paris_to_utc(today, start).unwrap() > before,
                "free at {start}"
            );
        }
    }
}
