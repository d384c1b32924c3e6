//! Benchmarks kept with the code (`coopole-server bench …`, driven by `.ci/bench`). They
//! measure; they do not judge. Each runs against the database of DATABASE_URL, which must be
//! empty: the benchmark fills it.
//!
//!   bench calendar --spaces N --bookings M   the week calendar's server time (p50/p99)
//!   bench bookings --count K                 booking creation against raw durable inserts
//!   bench occupancy --units N --leases M     the occupancy dashboard's server time (p50/p99)
use chrono::{Datelike, Duration, NaiveDate, Utc};
use coopole_app::auth::model::Role;
use coopole_app::bookings::calendar::{CalendarFilter, calendar};
use coopole_app::bookings::model::{BookingStatus, LocalSlot};
use coopole_app::bookings::rules;
use coopole_app::bookings::service::{self, Actor, NewBooking};
use coopole_app::db::begin_write;
use coopole_app::entities::{
    booking, occupancy, organisation, space, space_booking_rule, space_opening_hour, space_rate,
    user,
};
use coopole_app::organisations::model::{LegalForm, Sector, Tier};
use coopole_app::spaces::model::RateUnit;
use coopole_app::spaces::model::SpaceKind;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use std::time::{Duration as StdDuration, Instant};

fn arg(args: &[&str], name: &str, default: usize) -> Result<usize, String> {
    match args.iter().position(|a| *a == name) {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a whole number")),
        None => Ok(default),
    }
}

fn percentile(sorted: &[StdDuration], p: usize) -> StdDuration {
    let i = (sorted.len() * p / 100).min(sorted.len().saturating_sub(1));
    sorted.get(i).copied().unwrap_or_default()
}

fn ms(d: StdDuration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub async fn run(db: &DatabaseConnection, args: &[&str]) -> Result<(), String> {
    match args.first() {
        Some(&"calendar") => {
            let spaces = arg(args, "--spaces", 100)?;
            let bookings = arg(args, "--bookings", 50_000)?;
            let rounds = arg(args, "--rounds", 200)?;
            bench_calendar(db, spaces, bookings, rounds)
                .await
                .map_err(|e| e.to_string())
        }
        Some(&"bookings") => {
            let count = arg(args, "--count", 500)?;
            bench_bookings(db, count).await.map_err(|e| e.to_string())
        }
        Some(&"occupancy") => {
            let units = arg(args, "--units", 1_000)?;
            let leases = arg(args, "--leases", 5_000)?;
            let rounds = arg(args, "--rounds", 50)?;
            bench_occupancy(db, units, leases, rounds)
                .await
                .map_err(|e| e.to_string())
        }
        _ => Err(
            "bench calendar [--spaces N --bookings M --rounds R] | bench bookings [--count K] | bench occupancy [--units N --leases M --rounds R]"
                .to_owned(),
        ),
    }
}

/// Organisations and one member each, for bookings to belong to.
async fn members(db: &DatabaseConnection, count: usize) -> Result<Vec<(i32, i32)>, DbErr> {
    let now = Utc::now();
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let org = organisation::ActiveModel {
            name: Set(format!("Banc d'essai {i}")),
            legal_form: Set(LegalForm::Association),
            sector: Set(Sector::Culture),
            headcount: Set(5),
            tier: Set(Tier::Resident),
            siret: Set(None),
            address: Set(None),
            created_at: Set(now),
            included_room_minutes: Set(0),
            show_titles_on_displays: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let member = user::ActiveModel {
            email: Set(format!("banc{i}@coopole.example")),
            name: Set(format!("Banc {i}")),
            password_hash: Set(String::new()),
            role: Set(Role::Tenant),
            organisation_id: Set(Some(org.id)),
            is_referent: Set(false),
            created_at: Set(now),
            password_changed_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        out.push((org.id, member.id));
    }
    Ok(out)
}

/// `n` meeting rooms open every day 07:00–23:00, with the default rules.
async fn rooms(db: &DatabaseConnection, n: usize) -> Result<Vec<i32>, DbErr> {
    let now = Utc::now();
    let mut ids = Vec::with_capacity(n);
    let txn = begin_write(db).await?;
    for i in 0..n {
        let s = space::ActiveModel {
            code: Set(format!("BANC-{i:04}")),
            name: Set(format!("Salle d'essai {i:04}")),
            kind: Set(SpaceKind::MeetingRoom),
            area_m2: Set(20),
            capacity: Set(10),
            parent_id: Set(None),
            description: Set(String::new()),
            bookable: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        space_booking_rule::ActiveModel {
            space_id: Set(s.id),
            min_minutes: Set(30),
            max_minutes: Set(600),
            buffer_minutes: Set(0),
            min_notice_minutes: Set(0),
            tenant_max_advance_days: Set(400),
            manager_max_advance_days: Set(400),
            cancel_deadline_hours: Set(24),
            requires_approval: Set(false),
            uses_included_hours: Set(false),
        }
        .insert(&txn)
        .await?;
        let hours: Vec<space_opening_hour::ActiveModel> = (0..7)
            .map(|day| space_opening_hour::ActiveModel {
                space_id: Set(s.id),
                weekday: Set(day),
                opens_minute: Set(7 * 60),
                closes_minute: Set(23 * 60),
                ..Default::default()
            })
            .collect();
        space_opening_hour::Entity::insert_many(hours)
            .exec(&txn)
            .await?;
        let rates = Tier::ALL.into_iter().flat_map(|tier| {
            [
                (RateUnit::Hour, 2_000),
                (RateUnit::HalfDay, 5_500),
                (RateUnit::Day, 10_000),
            ]
            .map(|(unit, cents)| space_rate::ActiveModel {
                space_id: Set(s.id),
                tier: Set(tier),
                unit: Set(unit),
                amount_cents: Set(cents),
                vat_rate_bp: Set(2_000),
                ..Default::default()
            })
        });
        space_rate::Entity::insert_many(rates).exec(&txn).await?;
        ids.push(s.id);
    }
    txn.commit().await?;
    Ok(ids)
}

/// Fills the calendar: `count` one-hour bookings, none overlapping, over a year from `monday`.
async fn fill(
    db: &DatabaseConnection,
    spaces: &[i32],
    people: &[(i32, i32)],
    count: usize,
    monday: NaiveDate,
) -> Result<(), String> {
    let now = Utc::now();
    let per_space_slots = 364 * 16;
    if count > spaces.len() * per_space_slots {
        return Err(format!(
            "{count} one-hour bookings do not fit {} rooms in a year",
            spaces.len()
        ));
    }
    let mut batch_b: Vec<booking::ActiveModel> = Vec::new();
    let mut batch_o: Vec<(i32, i64, i64)> = Vec::new();
    let mut next_id = 1;
    for i in 0..count {
        let space = spaces[i % spaces.len()];
        let k = i / spaces.len();
        // A permutation of the year's days (7919 is prime to 364), then the hours of the day.
        let day = monday + Duration::days(((k * 7919) % 364) as i64);
        let hour = 7 + (k / 364) % 16;
        let slot = LocalSlot {
            date: day,
            start_minute: (hour * 60) as u32,
            end_minute: (hour * 60 + 60) as u32,
        };
        let (start, end) = slot.to_utc().map_err(|e| format!("{e:?}"))?;
        let (org, member) = people[i % people.len()];
        batch_b.push(booking::ActiveModel {
            id: Set(next_id),
            space_id: Set(space),
            organisation_id: Set(org),
            booked_by: Set(member),
            title: Set(format!("Réunion {i}")),
            attendees: Set(4),
            equipment: Set(String::new()),
            starts_at: Set(start),
            ends_at: Set(end),
            status: Set(BookingStatus::Confirmed),
            series_id: Set(None),
            tier: Set(Tier::Resident),
            included_minutes: Set(0),
            billable_minutes: Set(60),
            amount_cents: Set(1400),
            vat_rate_bp: Set(2000),
            cancelled_at: Set(None),
            cancelled_by: Set(None),
            cancellation_charged: Set(false),
            decided_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        batch_o.push((space, start.timestamp(), end.timestamp()));
        next_id += 1;
        if batch_b.len() == 500 || i + 1 == count {
            let txn = begin_write(db).await.map_err(|e| e.to_string())?;
            let first_id = next_id - i32::try_from(batch_b.len()).unwrap_or(0);
            booking::Entity::insert_many(std::mem::take(&mut batch_b))
                .exec(&txn)
                .await
                .map_err(|e| e.to_string())?;
            let occ =
                std::mem::take(&mut batch_o)
                    .into_iter()
                    .enumerate()
                    .map(|(j, (leaf, s, e))| occupancy::ActiveModel {
                        leaf_space_id: Set(leaf),
                        starts_at: Set(s),
                        ends_at: Set(e),
                        booking_id: Set(Some(first_id + i32::try_from(j).unwrap_or(0))),
                        block_id: Set(None),
                        ..Default::default()
                    });
            occupancy::Entity::insert_many(occ)
                .exec(&txn)
                .await
                .map_err(|e| e.to_string())?;
            txn.commit().await.map_err(|e| e.to_string())?;
        }
    }
    // PostgreSQL: the explicit ids above leave the sequence behind.
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("SELECT setval('bookings_id_seq', (SELECT MAX(id) FROM bookings))")
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

async fn bench_calendar(
    db: &DatabaseConnection,
    spaces: usize,
    bookings: usize,
    rounds: usize,
) -> Result<(), String> {
    let today = rules::paris_today(Utc::now());
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
        + Duration::days(7);
    let setup = Instant::now();
    let people = members(db, 20).await.map_err(|e| e.to_string())?;
    let ids = rooms(db, spaces).await.map_err(|e| e.to_string())?;
    fill(db, &ids, &people, bookings, monday).await?;
    println!(
        "data: {spaces} spaces, {bookings} bookings over a year (loaded in {:.1} s)",
        setup.elapsed().as_secs_f64()
    );

    let (org, member) = people[0];
    let actor = Actor {
        user_id: member,
        role: Role::Tenant,
        organisation_id: Some(org),
        is_referent: false,
    };
    let week: Vec<NaiveDate> = (0..7)
        .map(|d| monday + Duration::days(26 * 7 + d))
        .collect();
    for (label, limit) in [
        ("whole week, every space", spaces),
        ("whole week, one page of 40 spaces", 40),
    ] {
        let filter = CalendarFilter {
            kind: None,
            min_capacity: None,
            offset: 0,
            limit,
        };
        let mut times = Vec::with_capacity(rounds);
        let mut segments = 0;
        for round in 0..rounds + 5 {
            let t = Instant::now();
            let c = calendar(db, &actor, &week, filter, chrono::Utc::now())
                .await
                .map_err(|e| e.to_string())?;
            let took = t.elapsed();
            if round >= 5 {
                times.push(took);
            }
            segments = c
                .spaces
                .iter()
                .map(|s| s.days.iter().map(Vec::len).sum::<usize>())
                .sum();
        }
        times.sort_unstable();
        println!(
            "{label}: p50 {} · p99 {} · {segments} segments · {rounds} rounds",
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99))
        );
    }
    // Paging through the whole week: a page must cost what its 40 spaces cost, not the hub.
    let pages = spaces.div_ceil(40);
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds + 5 {
        let t = Instant::now();
        for page in 0..pages {
            let filter = CalendarFilter {
                kind: None,
                min_capacity: None,
                offset: page * 40,
                limit: 40,
            };
            calendar(db, &actor, &week, filter, chrono::Utc::now())
                .await
                .map_err(|e| e.to_string())?;
        }
        if round >= 5 {
            times.push(t.elapsed());
        }
    }
    times.sort_unstable();
    println!(
        "whole week, all {pages} pages of 40 spaces in turn: p50 {} · p99 {} in all · {rounds} rounds",
        ms(percentile(&times, 50)),
        ms(percentile(&times, 99))
    );
    Ok(())
}

async fn bench_bookings(db: &DatabaseConnection, count: usize) -> Result<(), String> {
    let people = members(db, 8).await.map_err(|e| e.to_string())?;
    let rooms_ids = rooms(db, 10).await.map_err(|e| e.to_string())?;
    let today = rules::paris_today(Utc::now());
    let start_day = today + Duration::days(2);
    let manager = Actor {
        user_id: people[0].1,
        role: Role::Manager,
        organisation_id: None,
        is_referent: false,
    };

    // Booking creation through the service: rules, clash check, price, booking, occupancy, charge.
    let slots: Vec<(i32, LocalSlot)> = (0..count)
        .map(|i| {
            let room = rooms_ids[i % rooms_ids.len()];
            let k = i / rooms_ids.len();
            let day = start_day + Duration::days((k / 16) as i64);
            let hour = 7 + (k % 16) as u32;
            (
                room,
                LocalSlot {
                    date: day,
                    start_minute: hour * 60,
                    end_minute: hour * 60 + 60,
                },
            )
        })
        .collect();
    let t = Instant::now();
    for (i, (room, slot)) in slots.iter().enumerate() {
        let req = NewBooking {
            space_id: *room,
            organisation_id: Some(people[i % people.len()].0),
            slot: *slot,
            title: format!("Essai {i}"),
            attendees: 4,
            equipment: vec![],
        };
        service::create(db, &manager, &req, Utc::now())
            .await
            .map_err(|e| e.to_string())?;
    }
    let booking_rate = count as f64 / t.elapsed().as_secs_f64();

    // The same number of durable single-row commits, as the database's own ceiling.
    db.execute_unprepared("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        .await
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    for i in 0..count {
        let txn = begin_write(db).await.map_err(|e| e.to_string())?;
        txn.execute_unprepared(&format!(
            "INSERT INTO bench_raw (id, note) VALUES ({i}, 'x')"
        ))
        .await
        .map_err(|e| e.to_string())?;
        txn.commit().await.map_err(|e| e.to_string())?;
    }
    let raw_rate = count as f64 / t.elapsed().as_secs_f64();
    db.execute_unprepared("DROP TABLE bench_raw")
        .await
        .map_err(|e| e.to_string())?;

    println!(
        "{count} bookings, one at a time: {booking_rate:.0} bookings/s · raw durable single-row commits: {raw_rate:.0}/s · ratio {:.2}",
        booking_rate / raw_rate
    );
    Ok(())
}

/// Fills the hosting area: `units` offices, desks and storage units, and `leases` leases over
/// the ten years up to next year, each unit let to one organisation after another with no
/// gap or overlap; every third lease is amended halfway (a new fee from then on).
async fn fill_leases(db: &DatabaseConnection, units: usize, leases: usize) -> Result<(), DbErr> {
    use coopole_app::entities::{lease, lease_line, lease_version, unit_let};
    use coopole_app::hosting::model::LeaseStatus;
    let now = Utc::now();
    let people = members(db, 200).await?;
    let txn = begin_write(db).await?;
    let mut ids = Vec::with_capacity(units);
    for i in 0..units {
        let (kind, area, capacity) = match i % 10 {
            0..=4 => (SpaceKind::Office, 16, 3),
            5..=8 => (SpaceKind::Desk, 6, 1),
            _ => (SpaceKind::Storage, 10, 0),
        };
        let s = space::ActiveModel {
            code: Set(format!("LOT-{i:04}")),
            name: Set(format!("Lot d'essai {i:04}")),
            kind: Set(kind),
            area_m2: Set(area),
            capacity: Set(capacity),
            parent_id: Set(None),
            description: Set(String::new()),
            bookable: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        ids.push(s.id);
    }
    let today = rules::paris_today(now);
    let start = NaiveDate::from_ymd_opt(today.year() - 9, 1, 1).unwrap_or(today);
    let span_days = 10 * 365;
    let per_unit = leases.div_ceil(units.max(1)).max(1);
    let length = i64::try_from(span_days / per_unit).unwrap_or(365).max(31);
    let manager = people[0].1;
    let mut made = 0;
    'units: for (u, &space_id) in ids.iter().enumerate() {
        for k in 0..per_unit {
            if made == leases {
                break 'units;
            }
            let from = start + Duration::days(i64::try_from(k).unwrap_or(0) * length);
            let last = k + 1 == per_unit;
            // The last lease of each unit runs on; the others end on the eve of the next.
            let until = (!last).then(|| from + Duration::days(length - 1));
            let fee = 20_000 + i64::try_from((u * 37 + k * 11) % 400).unwrap_or(0) * 100;
            let l = lease::ActiveModel {
                organisation_id: Set(people[(u + k) % people.len()].0),
                starts_on: Set(from),
                ends_on: Set(until),
                notice_months: Set(3),
                deposit_cents: Set(fee * 2),
                included_room_minutes: Set(600),
                billing_day: Set(1),
                status: Set(LeaseStatus::Active),
                notice_given_on: Set(None),
                notice_given_by: Set(None),
                end_reason: Set(None),
                tier_before: Set(Tier::Network),
                created_by: Set(manager),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let mut versions = vec![(from, fee)];
            if made % 3 == 0 {
                versions.push((from + Duration::days(length / 2), fee * 9 / 10));
            }
            for (n, (effective_from, fee_cents)) in versions.into_iter().enumerate() {
                let v = lease_version::ActiveModel {
                    lease_id: Set(l.id),
                    number: Set(i32::try_from(n).unwrap_or(0) + 1),
                    effective_from: Set(effective_from),
                    reason: Set(String::new()),
                    created_by: Set(manager),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                lease_line::ActiveModel {
                    version_id: Set(v.id),
                    space_id: Set(space_id),
                    list_fee_cents: Set(fee),
                    fee_cents: Set(fee_cents),
                    discount_reason: Set((fee_cents < fee).then(|| "Avenant".to_owned())),
                    vat_rate_bp: Set(2_000),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            unit_let::ActiveModel {
                space_id: Set(space_id),
                lease_id: Set(l.id),
                starts_on: Set(from),
                ends_on: Set(until),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            made += 1;
        }
    }
    txn.commit().await
}

async fn bench_occupancy(
    db: &DatabaseConnection,
    units: usize,
    leases: usize,
    rounds: usize,
) -> Result<(), String> {
    use coopole_app::hosting::model::MonthRange;
    use coopole_app::hosting::service::occupancy;
    let setup = Instant::now();
    fill_leases(db, units, leases)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "data: {units} units, {leases} leases over 10 years, a third amended (loaded in {:.1} s)",
        setup.elapsed().as_secs_f64()
    );
    let today = rules::paris_today(Utc::now());
    for count in [1, 36] {
        let range = MonthRange {
            year: today.year(),
            month: today.month(),
            count,
        };
        let mut times = Vec::with_capacity(rounds);
        let mut vacancies = 0;
        for round in 0..rounds + 3 {
            let t = Instant::now();
            let o = occupancy(db, range, today, coopole_app::i18n::Locale::fr)
                .await
                .map_err(|e| e.to_string())?;
            let took = t.elapsed();
            if round >= 3 {
                times.push(took);
            }
            vacancies = o.vacancies.len();
        }
        times.sort_unstable();
        println!(
            "dashboard, {count} month(s) + 12-month forecast: p50 {} · p99 {} · {vacancies} vacancies named · {rounds} rounds",
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99))
        );
    }
    Ok(())
}
