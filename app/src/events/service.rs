//! Event rental: the only event code that touches the database.
//!
//! Confirmation writes the event's occupancy rows (every leaf space, set-up to teardown) in
//! one [`begin_write`] transaction, through the same table and guarantee as room bookings:
//! two confirmations, or a confirmation and a booking, cannot both take one slot.
use super::model::{EventRequest, EventStatus, Extra, Layout};
use super::rules::{
    self, Action, CancellationScale, EventRates, Fee, Hold, Line, QuoteState, Refusal,
};
use crate::bookings::rules::{leaf_spaces, paris_to_utc, paris_today};
use crate::bookings::service::{Clash, children_map, describe, first_clash};
use crate::db::{begin_write, lost_race};
use crate::entities::{
    event, event_extra_rate, event_history, event_payment, event_quote, event_quote_line,
    event_space, occupancy, space, space_rate,
};
use crate::organisations::model::Tier;
use crate::spaces::model::{RateUnit, SpaceKind};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    NotAllowed,
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("a space is not an event space")]
    NotAnEventSpace,
    #[error("{space} holds {capacity} set out as {layout:?}")]
    OverCapacity {
        space: String,
        layout: Layout,
        capacity: u32,
    },
    #[error("no rate for {0}")]
    NoRate(String),
    #[error("the option lapsed")]
    OptionLapsed,
    #[error("no quote to send, accept or decline")]
    NoQuote,
    #[error("the quote has expired")]
    QuoteExpired,
    #[error("clash: {0:?}")]
    Clash(Clash),
    #[error("the event has not ended")]
    NotEnded,
    #[error("the time does not exist in Paris")]
    NonexistentTime,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<Refusal> for EventError {
    fn from(r: Refusal) -> Self {
        EventError::Refused(r)
    }
}

/// What confirmation and cancellation need from the hub's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTerms {
    pub deposit_percent: u32,
    pub cancellation: CancellationScale,
    /// Days after the event the balance is due.
    pub balance_days: i64,
}

impl Default for EventTerms {
    fn default() -> Self {
        EventTerms {
            deposit_percent: 30,
            cancellation: CancellationScale::default(),
            balance_days: 30,
        }
    }
}

/// Who requests the event, and at which tier it is priced.
#[derive(Debug, Clone, Copy)]
pub struct Requester {
    pub user_id: i32,
    pub organisation_id: Option<i32>,
    pub tier: Tier,
}

/// Spaces an event may take: the hall, its halves, the canteen and the meeting rooms.
pub fn is_event_space(s: &space::Model) -> bool {
    s.bookable
        && matches!(
            s.kind,
            SpaceKind::Hall | SpaceKind::Canteen | SpaceKind::MeetingRoom
        )
}

async fn history(
    db: &impl ConnectionTrait,
    event_id: i32,
    by: Option<i32>,
    what: &str,
    detail: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    event_history::ActiveModel {
        event_id: Set(event_id),
        at: Set(now),
        user_id: Set(by),
        what: Set(what.to_owned()),
        detail: Set(detail),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Moves an event to `to`. Only an option keeps its hold dates; any other status drops them.
async fn move_to(
    db: &impl ConnectionTrait,
    e: event::Model,
    to: EventStatus,
    now: DateTime<Utc>,
) -> Result<event::Model, DbErr> {
    let keeps_hold = to == EventStatus::Option;
    let mut active: event::ActiveModel = e.into();
    active.status = Set(to);
    if !keeps_hold {
        active.option_placed_at = Set(None);
        active.option_expires_at = Set(None);
    }
    active.updated_at = Set(now);
    active.update(db).await
}

/// Checks the spaces and their layouts against the attendance: every space must be an event
/// space, and together they must seat everyone.
async fn check_spaces(
    db: &impl ConnectionTrait,
    spaces: &[(i32, Layout)],
    attendance: u32,
) -> Result<(), EventError> {
    let mut total = 0u32;
    let mut last = None;
    for (id, layout) in spaces {
        let s = space::Entity::find_by_id(*id)
            .one(db)
            .await?
            .filter(is_event_space)
            .ok_or(EventError::NotAnEventSpace)?;
        let capacity = layout.capacity(
            u32::try_from(s.area_m2).unwrap_or(0),
            u32::try_from(s.capacity).unwrap_or(0),
        );
        total += capacity;
        last = Some((s.name, *layout, capacity));
    }
    match last {
        Some((space, layout, capacity)) if total < attendance => Err(EventError::OverCapacity {
            space,
            layout,
            capacity: if spaces.len() == 1 { capacity } else { total },
        }),
        _ => Ok(()),
    }
}

/// The event's times in UTC, and what it holds once confirmed (set-up to teardown).
fn placed(r: &EventRequest) -> Result<(DateTime<Utc>, DateTime<Utc>, i64, i64), EventError> {
    let starts =
        paris_to_utc(r.first_date, r.start_minute).map_err(|_| EventError::NonexistentTime)?;
    let ends = paris_to_utc(r.last_date, r.end_minute).map_err(|_| EventError::NonexistentTime)?;
    let held_from = starts.timestamp() - i64::from(r.setup_minutes) * 60;
    let held_until = ends.timestamp() + i64::from(r.teardown_minutes) * 60;
    Ok((starts, ends, held_from, held_until))
}

/// Checks a request against the spaces before anything is written (accounts included).
pub async fn check_request(db: &impl ConnectionTrait, r: &EventRequest) -> Result<(), EventError> {
    check_spaces(db, &r.spaces, r.attendance).await?;
    placed(r).map(|_| ())
}

/// Records a request and the spaces it asks for.
pub async fn create_request(
    db: &DatabaseConnection,
    who: Requester,
    r: &EventRequest,
    now: DateTime<Utc>,
) -> Result<i32, EventError> {
    check_spaces(db, &r.spaces, r.attendance).await?;
    let (starts, ends, held_from, held_until) = placed(r)?;
    let i = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let txn = db.begin().await?;
    let e = event::ActiveModel {
        name: Set(r.name.clone()),
        kind: Set(r.kind),
        organiser_id: Set(who.user_id),
        organisation_id: Set(who.organisation_id),
        tier: Set(who.tier),
        attendance: Set(i(r.attendance)),
        first_date: Set(r.first_date),
        last_date: Set(r.last_date),
        start_minute: Set(i(r.start_minute)),
        end_minute: Set(i(r.end_minute)),
        setup_minutes: Set(i(r.setup_minutes)),
        teardown_minutes: Set(i(r.teardown_minutes)),
        starts_at: Set(starts),
        ends_at: Set(ends),
        held_from: Set(held_from),
        held_until: Set(held_until),
        extras: Set(Extra::list_codes(&r.extras)),
        catering: Set(r.catering.clone()),
        catering_covers: Set(i(r.catering_covers)),
        contact_phone: Set(r.contact_phone.clone()),
        notes: Set(r.notes.clone()),
        suggest_spaces: Set(r.suggest),
        status: Set(EventStatus::Request),
        option_placed_at: Set(None),
        option_expires_at: Set(None),
        cancellation_fee_cents: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (space_id, layout) in &r.spaces {
        event_space::ActiveModel {
            event_id: Set(e.id),
            space_id: Set(*space_id),
            layout: Set(*layout),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    history(
        &txn,
        e.id,
        Some(who.user_id),
        "requested",
        String::new(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(e.id)
}

pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<event::Model, EventError> {
    event::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(EventError::NotFound)
}

pub async fn spaces_of(
    db: &impl ConnectionTrait,
    event_id: i32,
) -> Result<Vec<(space::Model, Layout)>, DbErr> {
    let rows = event_space::Entity::find()
        .filter(event_space::Column::EventId.eq(event_id))
        .order_by_asc(event_space::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(s) = space::Entity::find_by_id(r.space_id).one(db).await? {
            out.push((s, r.layout));
        }
    }
    Ok(out)
}

/// The leaf spaces an event takes (the whole hall takes both halves).
async fn leaves_of(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<i32>, DbErr> {
    let children = children_map(db).await?;
    let mut leaves: Vec<i32> = spaces_of(db, event_id)
        .await?
        .iter()
        .flat_map(|(s, _)| leaf_spaces(s.id, &children))
        .collect();
    leaves.sort_unstable();
    leaves.dedup();
    Ok(leaves)
}

/// Managers change the spaces before the event is confirmed (e.g. after "suggest").
pub async fn set_spaces(
    db: &DatabaseConnection,
    event_id: i32,
    spaces: &[(i32, Layout)],
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let e = find(db, event_id).await?;
    if !matches!(
        e.status,
        EventStatus::Request | EventStatus::Quoted | EventStatus::Option
    ) {
        return Err(Refusal::NotFromStatus(e.status).into());
    }
    check_spaces(db, spaces, u32::try_from(e.attendance).unwrap_or(0)).await?;
    let txn = db.begin().await?;
    // A draft priced on the old spaces is dropped; the next one starts from the new rates.
    event_quote::Entity::delete_many()
        .filter(event_quote::Column::EventId.eq(event_id))
        .filter(event_quote::Column::SentAt.is_null())
        .exec(&txn)
        .await?;
    event_space::Entity::delete_many()
        .filter(event_space::Column::EventId.eq(event_id))
        .exec(&txn)
        .await?;
    for (space_id, layout) in spaces {
        event_space::ActiveModel {
            event_id: Set(event_id),
            space_id: Set(*space_id),
            layout: Set(*layout),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    history(&txn, event_id, Some(by), "spaces", String::new(), now).await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Options.

/// Every live option, as the ranking sees it.
pub async fn holds(db: &impl ConnectionTrait) -> Result<Vec<Hold>, DbErr> {
    let options = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Option))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(options.len());
    for e in options {
        out.push(Hold {
            event_id: e.id,
            placed_at: e.option_placed_at.unwrap_or(e.created_at),
            leaves: leaves_of(db, e.id).await?,
            span: (e.held_from, e.held_until),
        });
    }
    Ok(out)
}

pub async fn option_ranks(db: &impl ConnectionTrait) -> Result<HashMap<i32, u32>, DbErr> {
    Ok(rules::ranks(&holds(db).await?))
}

/// The options that move up to first if `e` stops holding its slots (it is an option now).
async fn promoted_if_gone(db: &impl ConnectionTrait, e: &event::Model) -> Result<Vec<i32>, DbErr> {
    if e.status != EventStatus::Option {
        return Ok(Vec::new());
    }
    Ok(rules::promoted_when_removed(&holds(db).await?, e.id))
}

/// Tells each promoted option's history (its organiser sees it) which option went.
async fn note_promotions(
    db: &impl ConnectionTrait,
    promoted: &[i32],
    gone: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for p in promoted {
        history(db, *p, None, "promoted", gone.to_string(), now).await?;
    }
    Ok(())
}

/// Ends an option (lapse or release), noting in the history of the options it promotes.
async fn end_option(
    db: &DatabaseConnection,
    e: event::Model,
    action: Action,
    by: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let to = rules::next_status(e.status, action)?;
    let promoted = promoted_if_gone(db, &e).await?;
    let txn = db.begin().await?;
    let id = e.id;
    move_to(&txn, e, to, now).await?;
    let what = if action == Action::Lapse {
        "lapsed"
    } else {
        "released"
    };
    history(&txn, id, by, what, String::new(), now).await?;
    note_promotions(&txn, &promoted, id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Lapses every option whose expiry has passed at `now`. Runs before every read of the
/// pipeline and every minute in the server, so nobody sees a stale option.
pub async fn lapse_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, EventError> {
    let due = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Option))
        .filter(event::Column::OptionExpiresAt.lte(now))
        .order_by_asc(event::Column::OptionExpiresAt)
        .all(db)
        .await?;
    let mut lapsed = Vec::with_capacity(due.len());
    for e in due {
        let id = e.id;
        end_option(db, e, Action::Lapse, None, now).await?;
        lapsed.push(id);
    }
    Ok(lapsed)
}

pub async fn place_option(
    db: &DatabaseConnection,
    event_id: i32,
    expires_at: DateTime<Utc>,
    by: i32,
    now: DateTime<Utc>,
) -> Result<u32, EventError> {
    let e = find(db, event_id).await?;
    let to = rules::next_status(e.status, Action::PlaceOption)?;
    if expires_at <= now {
        return Err(EventError::OptionLapsed);
    }
    let mut active: event::ActiveModel = e.into();
    active.status = Set(to);
    active.option_placed_at = Set(Some(now));
    active.option_expires_at = Set(Some(expires_at));
    active.updated_at = Set(now);
    active.update(db).await?;
    history(
        db,
        event_id,
        Some(by),
        "option",
        expires_at.to_rfc3339(),
        now,
    )
    .await?;
    Ok(option_ranks(db).await?.get(&event_id).copied().unwrap_or(1))
}

pub async fn release_option(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let e = find(db, event_id).await?;
    end_option(db, e, Action::ReleaseOption, Some(by), now).await
}

// ---------------------------------------------------------------------------------------------
// Quotes.

/// The latest quote of an event (a draft or a sent one) with its lines.
pub async fn latest_quote(
    db: &impl ConnectionTrait,
    event_id: i32,
) -> Result<Option<(event_quote::Model, Vec<event_quote_line::Model>)>, DbErr> {
    let Some(q) = event_quote::Entity::find()
        .filter(event_quote::Column::EventId.eq(event_id))
        .order_by_desc(event_quote::Column::Version)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let lines = lines_of(db, q.id).await?;
    Ok(Some((q, lines)))
}

/// The latest quote the organiser was sent.
pub async fn sent_quote(
    db: &impl ConnectionTrait,
    event_id: i32,
) -> Result<Option<(event_quote::Model, Vec<event_quote_line::Model>)>, DbErr> {
    let Some(q) = event_quote::Entity::find()
        .filter(event_quote::Column::EventId.eq(event_id))
        .filter(event_quote::Column::SentAt.is_not_null())
        .order_by_desc(event_quote::Column::Version)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let lines = lines_of(db, q.id).await?;
    Ok(Some((q, lines)))
}

async fn lines_of(
    db: &impl ConnectionTrait,
    quote_id: i32,
) -> Result<Vec<event_quote_line::Model>, DbErr> {
    event_quote_line::Entity::find()
        .filter(event_quote_line::Column::QuoteId.eq(quote_id))
        .order_by_asc(event_quote_line::Column::Position)
        .order_by_asc(event_quote_line::Column::Id)
        .all(db)
        .await
}

pub fn to_rule_lines(lines: &[event_quote_line::Model]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| Line {
            description: l.description.clone(),
            quantity: l.quantity,
            unit_cents: l.unit_cents,
            vat_bp: l.vat_bp,
        })
        .collect()
}

async fn event_rates(
    db: &impl ConnectionTrait,
    space_id: i32,
    tier: Tier,
) -> Result<(EventRates, i32), DbErr> {
    let rows = space_rate::Entity::find()
        .filter(space_rate::Column::SpaceId.eq(space_id))
        .filter(space_rate::Column::Tier.eq(tier))
        .all(db)
        .await?;
    let mut rates = EventRates::default();
    let mut vat = 2000;
    for r in rows {
        vat = r.vat_rate_bp;
        let slot = match r.unit {
            RateUnit::HalfDay => &mut rates.half_day,
            RateUnit::Day => &mut rates.day,
            RateUnit::Evening => &mut rates.evening,
            RateUnit::Weekend => &mut rates.weekend,
            RateUnit::Hour => continue,
        };
        *slot = Some(r.amount_cents);
    }
    Ok((rates, vat))
}

/// A rate's name on a quote line.
pub type UnitNamer<'a> = &'a (dyn Fn(RateUnit) -> String + Sync);
/// An extra's name on a quote line.
pub type ExtraNamer<'a> = &'a (dyn Fn(Extra) -> String + Sync);

/// The lines of a first quote, from the spaces' rates at the event's tier: each space pays
/// its rates day by day (same rate, one line with the number of days), then each extra per
/// day. Names come from the caller, in the organiser's language.
pub async fn lines_from_rates(
    db: &impl ConnectionTrait,
    e: &event::Model,
    unit_name: UnitNamer<'_>,
    extra_name: ExtraNamer<'_>,
) -> Result<Vec<Line>, EventError> {
    let mut lines: Vec<Line> = Vec::new();
    let days: Vec<NaiveDate> = e
        .first_date
        .iter_days()
        .take_while(|d| *d <= e.last_date)
        .collect();
    let (start, end) = (
        u32::try_from(e.start_minute).unwrap_or(0),
        u32::try_from(e.end_minute).unwrap_or(0),
    );
    for (s, _) in spaces_of(db, e.id).await? {
        let (rates, vat_bp) = event_rates(db, s.id, e.tier).await?;
        for date in &days {
            let day = rules::day_rates(*date, start, end, &rates)
                .ok_or_else(|| EventError::NoRate(s.name.clone()))?;
            for (unit, cents) in day {
                let description = format!("{} — {}", s.name, unit_name(unit));
                match lines
                    .iter_mut()
                    .find(|l| l.description == description && l.unit_cents == cents)
                {
                    Some(l) => l.quantity += 1,
                    None => lines.push(Line {
                        description,
                        quantity: 1,
                        unit_cents: cents,
                        vat_bp,
                    }),
                }
            }
        }
    }
    let day_count = i64::try_from(days.len()).unwrap_or(1);
    for extra in Extra::parse_list(&e.extras) {
        if let Some(rate) = event_extra_rate::Entity::find_by_id(extra.code().to_owned())
            .one(db)
            .await?
        {
            lines.push(Line {
                description: extra_name(extra),
                quantity: day_count,
                unit_cents: rate.amount_cents,
                vat_bp: rate.vat_bp,
            });
        }
    }
    Ok(lines)
}

/// The draft the manager edits: the latest quote if not yet sent, else a new version that
/// starts as a copy of the last one (or, for the first, from the rates).
pub async fn draft(
    db: &DatabaseConnection,
    event_id: i32,
    unit_name: UnitNamer<'_>,
    extra_name: ExtraNamer<'_>,
    now: DateTime<Utc>,
) -> Result<(event_quote::Model, Vec<event_quote_line::Model>), EventError> {
    let e = find(db, event_id).await?;
    let latest = latest_quote(db, event_id).await?;
    if let Some((q, lines)) = &latest
        && q.sent_at.is_none()
    {
        return Ok((q.clone(), lines.clone()));
    }
    let (version, valid_until, discount_bp, reason, lines) = match latest {
        Some((q, lines)) => (
            q.version + 1,
            q.valid_until,
            q.discount_bp,
            q.discount_reason,
            to_rule_lines(&lines),
        ),
        None => (
            1,
            paris_today(now) + Duration::days(30),
            0,
            String::new(),
            lines_from_rates(db, &e, unit_name, extra_name).await?,
        ),
    };
    let txn = db.begin().await?;
    let q = event_quote::ActiveModel {
        event_id: Set(event_id),
        version: Set(version),
        valid_until: Set(valid_until.min(e.first_date)),
        discount_bp: Set(discount_bp),
        discount_reason: Set(reason),
        excl_vat_cents: Set(0),
        incl_vat_cents: Set(0),
        sent_at: Set(None),
        accepted_at: Set(None),
        declined_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (position, l) in lines.iter().enumerate() {
        event_quote_line::ActiveModel {
            quote_id: Set(q.id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            description: Set(l.description.clone()),
            quantity: Set(l.quantity),
            unit_cents: Set(l.unit_cents),
            vat_bp: Set(l.vat_bp),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let totals = rules::totals(&lines, discount_bp);
    let mut active: event_quote::ActiveModel = q.into();
    active.excl_vat_cents = Set(totals.excl_vat_cents);
    active.incl_vat_cents = Set(totals.incl_vat_cents);
    let q = active.update(&txn).await?;
    txn.commit().await?;
    let lines = lines_of(db, q.id).await?;
    Ok((q, lines))
}

/// The draft quote of an event, if the manager has one open.
async fn open_draft(
    db: &impl ConnectionTrait,
    event_id: i32,
) -> Result<event_quote::Model, EventError> {
    match latest_quote(db, event_id).await? {
        Some((q, _)) if q.sent_at.is_none() => Ok(q),
        _ => Err(EventError::NoQuote),
    }
}

async fn refresh_totals(
    db: &impl ConnectionTrait,
    q: event_quote::Model,
) -> Result<event_quote::Model, DbErr> {
    let lines = lines_of(db, q.id).await?;
    let totals = rules::totals(&to_rule_lines(&lines), q.discount_bp);
    let mut active: event_quote::ActiveModel = q.into();
    active.excl_vat_cents = Set(totals.excl_vat_cents);
    active.incl_vat_cents = Set(totals.incl_vat_cents);
    active.update(db).await
}

/// Adds a line to the draft (`line_id` None) or changes one of its lines.
pub async fn save_line(
    db: &DatabaseConnection,
    event_id: i32,
    line_id: Option<i32>,
    line: Line,
) -> Result<(), EventError> {
    let q = open_draft(db, event_id).await?;
    let txn = db.begin().await?;
    match line_id {
        Some(id) => {
            let existing = event_quote_line::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .filter(|l| l.quote_id == q.id)
                .ok_or(EventError::NotFound)?;
            let mut active: event_quote_line::ActiveModel = existing.into();
            active.description = Set(line.description);
            active.quantity = Set(line.quantity);
            active.unit_cents = Set(line.unit_cents);
            active.vat_bp = Set(line.vat_bp);
            active.update(&txn).await?;
        }
        None => {
            let position = i32::try_from(lines_of(&txn, q.id).await?.len()).unwrap_or(i32::MAX);
            event_quote_line::ActiveModel {
                quote_id: Set(q.id),
                position: Set(position),
                description: Set(line.description),
                quantity: Set(line.quantity),
                unit_cents: Set(line.unit_cents),
                vat_bp: Set(line.vat_bp),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    refresh_totals(&txn, q).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete_line(
    db: &DatabaseConnection,
    event_id: i32,
    line_id: i32,
) -> Result<(), EventError> {
    let q = open_draft(db, event_id).await?;
    let txn = db.begin().await?;
    let deleted = event_quote_line::Entity::delete_many()
        .filter(event_quote_line::Column::Id.eq(line_id))
        .filter(event_quote_line::Column::QuoteId.eq(q.id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(EventError::NotFound);
    }
    refresh_totals(&txn, q).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the draft's discount (basis points, with its reason) and validity.
pub async fn set_terms(
    db: &DatabaseConnection,
    event_id: i32,
    discount_bp: i32,
    reason: String,
    valid_until: NaiveDate,
) -> Result<(), EventError> {
    let q = open_draft(db, event_id).await?;
    let mut active: event_quote::ActiveModel = q.into();
    active.discount_bp = Set(discount_bp);
    active.discount_reason = Set(reason);
    active.valid_until = Set(valid_until);
    let q = active.update(db).await?;
    refresh_totals(db, q).await?;
    Ok(())
}

/// Sends the draft to the organiser.
pub async fn send_quote(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let e = find(db, event_id).await?;
    let to = rules::next_status(e.status, Action::SendQuote)?;
    if spaces_of(db, event_id).await?.is_empty() {
        return Err(Refusal::NoSpaces.into());
    }
    let q = open_draft(db, event_id).await?;
    if q.valid_until < paris_today(now) {
        return Err(EventError::QuoteExpired);
    }
    let txn = db.begin().await?;
    let version = q.version;
    let mut active: event_quote::ActiveModel = q.into();
    active.sent_at = Set(Some(now));
    active.update(&txn).await?;
    move_to(&txn, e, to, now).await?;
    history(
        &txn,
        event_id,
        Some(by),
        "quote_sent",
        version.to_string(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The organiser accepts (or declines) the quote they were sent, while it is valid.
pub async fn answer_quote(
    db: &DatabaseConnection,
    event_id: i32,
    accept: bool,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let e = find(db, event_id).await?;
    if !e.status.is_open() || e.status == EventStatus::Confirmed {
        return Err(Refusal::NotFromStatus(e.status).into());
    }
    let (q, _) = sent_quote(db, event_id).await?.ok_or(EventError::NoQuote)?;
    if q.accepted_at.is_some() || q.declined_at.is_some() {
        return Err(EventError::NoQuote);
    }
    if q.valid_until < paris_today(now) {
        return Err(EventError::QuoteExpired);
    }
    let declined_to = if accept {
        None
    } else {
        Some(rules::next_status(e.status, Action::Decline)?)
    };
    let promoted = if accept {
        Vec::new()
    } else {
        promoted_if_gone(db, &e).await?
    };
    let txn = db.begin().await?;
    let version = q.version;
    let mut active: event_quote::ActiveModel = q.into();
    if accept {
        active.accepted_at = Set(Some(now));
    } else {
        active.declined_at = Set(Some(now));
    }
    active.update(&txn).await?;
    if let Some(to) = declined_to {
        move_to(&txn, e, to, now).await?;
    }
    let what = if accept {
        "quote_accepted"
    } else {
        "quote_declined"
    };
    history(&txn, event_id, Some(by), what, version.to_string(), now).await?;
    note_promotions(&txn, &promoted, event_id, now).await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Confirmation, cancellation, and the end of the pipeline.

/// Confirms an event: its accepted quote must still be valid and no earlier option may hold
/// its slots. Writes its occupancy (set-up to teardown) and the deposit and balance due.
pub async fn confirm(
    db: &DatabaseConnection,
    event_id: i32,
    terms: &EventTerms,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    lapse_due(db, now).await?;
    let e = find(db, event_id).await?;
    if e.status == EventStatus::Lapsed {
        return Err(EventError::OptionLapsed);
    }
    let quote = sent_quote(db, event_id).await?;
    let state = quote.as_ref().map(|(q, _)| QuoteState {
        accepted: q.accepted_at.is_some(),
        valid_until: q.valid_until,
    });
    let rank = option_ranks(db).await?.get(&event_id).copied();
    rules::check_confirm(e.status, state, rank, paris_today(now))?;
    let total = quote.map(|(q, _)| q.incl_vat_cents).unwrap_or(0);
    let leaves = leaves_of(db, event_id).await?;
    if leaves.is_empty() {
        return Err(Refusal::NoSpaces.into());
    }
    let span = (e.held_from, e.held_until);
    let asked = (
        DateTime::<Utc>::from_timestamp(e.held_from, 0).unwrap_or(e.starts_at),
        DateTime::<Utc>::from_timestamp(e.held_until, 0).unwrap_or(e.ends_at),
    );
    let txn = begin_write(db).await?;
    // Re-read inside the write lock: a concurrent confirmation of this same event loses here.
    let e = find(&txn, event_id).await?;
    let to = rules::next_status(e.status, Action::Confirm)?;
    if let Some(occ) = first_clash(&txn, &leaves, span, &[]).await? {
        let clash = describe(&txn, &occ, asked, 0).await?;
        return Err(EventError::Clash(clash));
    }
    let rows = leaves.iter().map(|leaf| occupancy::ActiveModel {
        leaf_space_id: Set(*leaf),
        starts_at: Set(span.0),
        ends_at: Set(span.1),
        booking_id: Set(None),
        block_id: Set(None),
        event_id: Set(Some(event_id)),
        ..Default::default()
    });
    match occupancy::Entity::insert_many(rows).exec(&txn).await {
        Ok(_) => {}
        Err(err) if lost_race(&err) => return Err(EventError::Clash(Clash::Concurrent)),
        Err(err) => return Err(err.into()),
    }
    let deposit = rules::deposit(total, terms.deposit_percent);
    let today = paris_today(now);
    let payments = [
        ("deposit", deposit, today),
        (
            "balance",
            total - deposit,
            e.last_date + Duration::days(terms.balance_days),
        ),
    ];
    for (kind, amount, due_on) in payments {
        event_payment::ActiveModel {
            event_id: Set(event_id),
            kind: Set(kind.to_owned()),
            amount_cents: Set(amount),
            due_on: Set(due_on),
            created_at: Set(now),
            voided_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    move_to(&txn, e, to, now).await?;
    history(&txn, event_id, Some(by), "confirmed", String::new(), now).await?;
    match txn.commit().await {
        Ok(()) => Ok(()),
        Err(err) if lost_race(&err) => Err(EventError::Clash(Clash::Concurrent)),
        Err(err) => Err(err.into()),
    }
}

/// What cancelling would cost now: nothing before confirmation, else the scale's share of
/// the accepted quote.
pub async fn cancellation_fee(
    db: &impl ConnectionTrait,
    e: &event::Model,
    terms: &EventTerms,
    now: DateTime<Utc>,
) -> Result<Fee, EventError> {
    if e.status != EventStatus::Confirmed {
        return Ok(Fee {
            notice_days: (e.first_date - paris_today(now)).num_days(),
            percent: 0,
            cents: 0,
        });
    }
    let total = sent_quote(db, e.id)
        .await?
        .map(|(q, _)| q.incl_vat_cents)
        .unwrap_or(0);
    Ok(terms
        .cancellation
        .fee(total, paris_today(now), e.first_date))
}

/// Cancels an event. `agreed_fee` is the fee the user was shown: if it changed meanwhile
/// (a day passed), nothing is done and the new fee is returned for them to see.
pub async fn cancel(
    db: &DatabaseConnection,
    event_id: i32,
    terms: &EventTerms,
    agreed_fee: i64,
    by: i32,
    now: DateTime<Utc>,
) -> Result<Fee, EventError> {
    let e = find(db, event_id).await?;
    let to = rules::next_status(e.status, Action::Cancel)?;
    let fee = cancellation_fee(db, &e, terms, now).await?;
    if fee.cents != agreed_fee {
        return Err(EventError::Refused(Refusal::FeeChanged(fee.cents)));
    }
    let txn = begin_write(db).await?;
    occupancy::Entity::delete_many()
        .filter(occupancy::Column::EventId.eq(event_id))
        .exec(&txn)
        .await?;
    event_payment::Entity::update_many()
        .col_expr(
            event_payment::Column::VoidedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(event_payment::Column::EventId.eq(event_id))
        .filter(event_payment::Column::VoidedAt.is_null())
        .exec(&txn)
        .await?;
    if fee.cents > 0 {
        event_payment::ActiveModel {
            event_id: Set(event_id),
            kind: Set("cancellation".to_owned()),
            amount_cents: Set(fee.cents),
            due_on: Set(paris_today(now)),
            created_at: Set(now),
            voided_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let promoted = promoted_if_gone(&txn, &e).await?;
    let mut ev: event::ActiveModel = move_to(&txn, e, to, now).await?.into();
    ev.cancellation_fee_cents = Set(Some(fee.cents));
    ev.update(&txn).await?;
    history(
        &txn,
        event_id,
        Some(by),
        "cancelled",
        fee.cents.to_string(),
        now,
    )
    .await?;
    note_promotions(&txn, &promoted, event_id, now).await?;
    txn.commit().await?;
    Ok(fee)
}

/// The manager declines a request (or withdraws a quote or an option).
pub async fn decline(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    simple_step(db, event_id, Action::Decline, "declined", by, now).await
}

/// After the event: done; once settled: closed.
pub async fn mark_done(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let e = find(db, event_id).await?;
    if e.ends_at > now {
        rules::next_status(e.status, Action::MarkDone)?;
        return Err(EventError::NotEnded);
    }
    simple_step(db, event_id, Action::MarkDone, "done", by, now).await
}

pub async fn close(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    simple_step(db, event_id, Action::Close, "closed", by, now).await
}

async fn simple_step(
    db: &DatabaseConnection,
    event_id: i32,
    action: Action,
    what: &str,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let e = find(db, event_id).await?;
    let to = rules::next_status(e.status, action)?;
    let promoted = promoted_if_gone(db, &e).await?;
    let txn = db.begin().await?;
    move_to(&txn, e, to, now).await?;
    history(&txn, event_id, Some(by), what, String::new(), now).await?;
    note_promotions(&txn, &promoted, event_id, now).await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// Every event, newest first (managers' pipeline), or one organiser's.
pub async fn list(
    db: &impl ConnectionTrait,
    organiser: Option<i32>,
) -> Result<Vec<event::Model>, DbErr> {
    let mut q = event::Entity::find();
    if let Some(user_id) = organiser {
        q = q.filter(event::Column::OrganiserId.eq(user_id));
    }
    q.order_by_asc(event::Column::FirstDate)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
}

/// Events and options that hold any time between `from` and `until` (set-up and teardown
/// included), for the managers' calendar.
pub async fn in_period(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::HeldFrom.lt(until.timestamp()))
        .filter(event::Column::HeldUntil.gt(from.timestamp()))
        .filter(event::Column::Status.is_in([
            EventStatus::Request,
            EventStatus::Quoted,
            EventStatus::Option,
            EventStatus::Confirmed,
            EventStatus::Done,
        ]))
        .order_by_asc(event::Column::HeldFrom)
        .all(db)
        .await
}

pub async fn history_of(
    db: &impl ConnectionTrait,
    event_id: i32,
) -> Result<Vec<event_history::Model>, DbErr> {
    event_history::Entity::find()
        .filter(event_history::Column::EventId.eq(event_id))
        .order_by_asc(event_history::Column::At)
        .order_by_asc(event_history::Column::Id)
        .all(db)
        .await
}

pub async fn payments_of(
    db: &impl ConnectionTrait,
    event_id: i32,
) -> Result<Vec<event_payment::Model>, DbErr> {
    event_payment::Entity::find()
        .filter(event_payment::Column::EventId.eq(event_id))
        .order_by_asc(event_payment::Column::Id)
        .all(db)
        .await
}
