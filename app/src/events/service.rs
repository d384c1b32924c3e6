//! Event rental: the only event code that touches the database.
//!
//! Confirmation writes the event's occupancy rows (every leaf space, set-up to teardown) in
//! one [`begin_write`] transaction, through the same table and guarantee as room bookings:
//! two confirmations, or a confirmation and a booking, cannot both take one slot.
use super::model::{
    CancellationView, EventDetail, EventRequest, EventSpaceOption, EventSpaceView, EventStatus,
    EventSummary, Extra, HistoryView, Layout, PaymentView, QuoteLineView, QuoteView, VatLine,
};
use super::rules::{
    self, Action, CancellationScale, EventRates, Fee, Hold, Line, QuoteState, Refusal,
};
use crate::availability::Clash;
use crate::availability::rules::leaves_of_all;
use crate::availability::service::{
    Occupant, OccupyError, children_map, describe, first_clash, occupy, release,
};
use crate::bookings::rules::{paris_to_utc, paris_today, to_paris};
use crate::db::{Cas, Transition, begin_write, lost_race, transition};
use crate::entities::{
    event, event_extra_rate, event_history, event_payment, event_quote, event_quote_line,
    event_space, space, space_rate, user,
};
use crate::organisations::model::Tier;
use crate::spaces::model::{RateUnit, SpaceKind};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
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

impl From<OccupyError> for EventError {
    fn from(e: OccupyError) -> Self {
        match e {
            OccupyError::Taken => EventError::Clash(Clash::Concurrent),
            OccupyError::Db(e) => EventError::Db(e),
        }
    }
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

/// The spaces an event may take, largest first, with their capacity per layout.
pub async fn space_options(db: &impl ConnectionTrait) -> Result<Vec<EventSpaceOption>, DbErr> {
    let all = space::Entity::find()
        .order_by_desc(space::Column::AreaM2)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = all.iter().map(|s| (s.id, s.name.clone())).collect();
    Ok(all
        .into_iter()
        .filter(is_event_space)
        .map(|s| {
            let (area, cap) = (
                u32::try_from(s.area_m2).unwrap_or(0),
                u32::try_from(s.capacity).unwrap_or(0),
            );
            EventSpaceOption {
                id: s.id,
                part_of: s.parent_id.and_then(|p| names.get(&p).cloned()),
                name: s.name,
                area_m2: s.area_m2,
                capacities: Layout::ALL
                    .into_iter()
                    .map(|l| (l, l.capacity(area, cap)))
                    .collect(),
            }
        })
        .collect())
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

/// The event as it is now, inside the caller's write transaction. Locked on PostgreSQL (on
/// SQLite the transaction already holds the write lock), so that two steps on one event run
/// one after the other and each decides on what the other left.
async fn find_locked(txn: &DatabaseTransaction, id: i32) -> Result<event::Model, EventError> {
    event::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(EventError::NotFound)
}

/// Moves `e` along `action`, as the pipeline's rules allow, with a compare-and-set on its
/// status (and `guard`). Only an option keeps its hold dates; any other status drops them.
async fn step(
    txn: &DatabaseTransaction,
    e: &event::Model,
    action: Action,
    mut also: Vec<(event::Column, SimpleExpr)>,
    guard: Condition,
    now: DateTime<Utc>,
) -> Result<Transition<EventStatus>, EventError> {
    let t = Transition::decide(e.status, |s| rules::next_status(s, action))?;
    if t.to != EventStatus::Option {
        also.push((
            event::Column::OptionPlacedAt,
            Expr::value(None::<DateTime<Utc>>),
        ));
        also.push((
            event::Column::OptionExpiresAt,
            Expr::value(None::<DateTime<Utc>>),
        ));
    }
    also.push((event::Column::UpdatedAt, Expr::value(now)));
    let moved = transition::<event::Entity, _>(
        txn,
        (event::Column::Id, e.id),
        event::Column::Status,
        t,
        also,
        guard,
    )
    .await?;
    match moved {
        Cas::Moved => Ok(t),
        Cas::Stale => {
            let now_status = find(txn, e.id).await?.status;
            Err(Refusal::NotFromStatus(now_status).into())
        }
    }
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
    let txn = begin_write(db).await?;
    let id = insert_request(&txn, who, r, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// A visitor's request with the organiser account it creates: the account, its session and
/// the event in one transaction, so that a refusal leaves no account behind. The password is
/// hashed before (`auth::service::hash_account`): the write lock is never held for a hash.
/// Returns the event and the session token for the cookie.
pub async fn request_as_new_organiser(
    db: &DatabaseConnection,
    account: crate::auth::service::HashedAccount,
    r: &EventRequest,
    now: DateTime<Utc>,
    session_days: i64,
) -> Result<(i32, String), RequestError> {
    use crate::auth::service::{create_session, insert_account};
    let txn = begin_write(db).await?;
    let user_id = insert_account(&txn, account, now)
        .await
        .map_err(RequestError::Account)?;
    let token = create_session(&txn, user_id, now, session_days).await?;
    let who = Requester {
        user_id,
        organisation_id: None,
        tier: Tier::Outside,
    };
    let id = insert_request(&txn, who, r, now)
        .await
        .map_err(RequestError::Event)?;
    txn.commit().await?;
    Ok((id, token))
}

/// Why a request with a new account was refused: the account's fields, or the event's.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("account: {0}")]
    Account(crate::auth::service::AuthError),
    #[error("event: {0}")]
    Event(EventError),
}

impl From<DbErr> for RequestError {
    fn from(e: DbErr) -> Self {
        RequestError::Event(EventError::Db(e))
    }
}

/// Who requests: a signed-in user, priced at their organisation's tier (tenants), else as
/// outside.
pub async fn requester_for(
    db: &impl ConnectionTrait,
    user: &crate::auth::model::UserView,
) -> Result<Requester, DbErr> {
    let organisation = match &user.organisation {
        Some(o) => {
            crate::entities::organisation::Entity::find_by_id(o.id)
                .one(db)
                .await?
        }
        None => None,
    };
    Ok(Requester {
        user_id: user.id,
        organisation_id: organisation.as_ref().map(|o| o.id),
        tier: organisation.map_or(Tier::Outside, |o| o.tier),
    })
}

async fn insert_request(
    txn: &DatabaseTransaction,
    who: Requester,
    r: &EventRequest,
    now: DateTime<Utc>,
) -> Result<i32, EventError> {
    check_spaces(txn, &r.spaces, r.attendance).await?;
    let (starts, ends, held_from, held_until) = placed(r)?;
    let i = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
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
    .insert(txn)
    .await?;
    for (space_id, layout) in &r.spaces {
        event_space::ActiveModel {
            event_id: Set(e.id),
            space_id: Set(*space_id),
            layout: Set(*layout),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    history(
        txn,
        e.id,
        Some(who.user_id),
        "requested",
        String::new(),
        now,
    )
    .await?;
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
    Ok(spaces_of_many(db, &[event_id])
        .await?
        .remove(&event_id)
        .unwrap_or_default())
}

/// The spaces of several events, in two queries whatever their number.
pub async fn spaces_of_many(
    db: &impl ConnectionTrait,
    event_ids: &[i32],
) -> Result<HashMap<i32, Vec<(space::Model, Layout)>>, DbErr> {
    let mut out: HashMap<i32, Vec<(space::Model, Layout)>> = HashMap::new();
    if event_ids.is_empty() {
        return Ok(out);
    }
    let rows = event_space::Entity::find()
        .filter(event_space::Column::EventId.is_in(event_ids.iter().copied()))
        .order_by_asc(event_space::Column::Id)
        .all(db)
        .await?;
    let mut space_ids: Vec<i32> = rows.iter().map(|r| r.space_id).collect();
    space_ids.sort_unstable();
    space_ids.dedup();
    let spaces: HashMap<i32, space::Model> = space::Entity::find()
        .filter(space::Column::Id.is_in(space_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    for r in rows {
        if let Some(s) = spaces.get(&r.space_id) {
            out.entry(r.event_id)
                .or_default()
                .push((s.clone(), r.layout));
        }
    }
    Ok(out)
}

/// The leaf spaces an event takes (the whole hall takes both halves).
async fn leaves_of(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<i32>, DbErr> {
    let children = children_map(db).await?;
    let ids: Vec<i32> = spaces_of(db, event_id)
        .await?
        .iter()
        .map(|(s, _)| s.id)
        .collect();
    Ok(leaves_of_all(&ids, &children))
}

/// Managers change the spaces before the event is confirmed (e.g. after "suggest").
pub async fn set_spaces(
    db: &DatabaseConnection,
    event_id: i32,
    spaces: &[(i32, Layout)],
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let txn = begin_write(db).await?;
    // Decided on the event as it is now: a confirmation that commits first keeps its spaces.
    let e = find_locked(&txn, event_id).await?;
    if !matches!(
        e.status,
        EventStatus::Request | EventStatus::Quoted | EventStatus::Option
    ) {
        return Err(Refusal::NotFromStatus(e.status).into());
    }
    check_spaces(&txn, spaces, u32::try_from(e.attendance).unwrap_or(0)).await?;
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

/// Every live option at `now`, as the ranking sees it: one past its expiry holds nothing,
/// even before the background task has lapsed it. Three queries, whatever the number.
pub async fn holds(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Hold>, DbErr> {
    let options: Vec<event::Model> = event::Entity::find()
        .filter(event::Column::Status.eq(EventStatus::Option))
        .all(db)
        .await?
        .into_iter()
        .filter(|e| rules::shown_status(e.status, e.option_expires_at, now) == EventStatus::Option)
        .collect();
    let ids: Vec<i32> = options.iter().map(|e| e.id).collect();
    let spaces = spaces_of_many(db, &ids).await?;
    let children = children_map(db).await?;
    Ok(options
        .into_iter()
        .map(|e| {
            let space_ids: Vec<i32> = spaces
                .get(&e.id)
                .map(|v| v.iter().map(|(s, _)| s.id).collect())
                .unwrap_or_default();
            Hold {
                event_id: e.id,
                placed_at: e.option_placed_at.unwrap_or(e.created_at),
                leaves: leaves_of_all(&space_ids, &children),
                span: (e.held_from, e.held_until),
            }
        })
        .collect())
}

/// The rank of each live option on its slots, now.
pub async fn option_ranks(db: &impl ConnectionTrait) -> Result<HashMap<i32, u32>, DbErr> {
    option_ranks_at(db, Utc::now()).await
}

/// The rank of each option still live at `now`.
pub async fn option_ranks_at(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, u32>, DbErr> {
    Ok(rules::ranks(&holds(db, now).await?))
}

/// The options that move up to first if `e` stops holding its slots (it is an option now).
async fn promoted_if_gone(
    db: &impl ConnectionTrait,
    e: &event::Model,
    now: DateTime<Utc>,
) -> Result<Vec<i32>, DbErr> {
    if e.status != EventStatus::Option {
        return Ok(Vec::new());
    }
    let mut holds = holds(db, now).await?;
    // A lapsing option still counts as the one that goes.
    if !holds.iter().any(|h| h.event_id == e.id) {
        let ids = [e.id];
        let spaces = spaces_of_many(db, &ids).await?;
        let space_ids: Vec<i32> = spaces
            .get(&e.id)
            .map(|v| v.iter().map(|(s, _)| s.id).collect())
            .unwrap_or_default();
        holds.push(Hold {
            event_id: e.id,
            placed_at: e.option_placed_at.unwrap_or(e.created_at),
            leaves: leaves_of_all(&space_ids, &children_map(db).await?),
            span: (e.held_from, e.held_until),
        });
    }
    Ok(rules::promoted_when_removed(&holds, e.id))
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

/// Lapses one option if it is still an option past its expiry: a compare-and-set, so that
/// several servers lapsing at once (each runs the background task) lapse it once. Returns
/// whether this call lapsed it.
async fn lapse_one(
    db: &DatabaseConnection,
    event_id: i32,
    now: DateTime<Utc>,
) -> Result<bool, EventError> {
    let txn = begin_write(db).await?;
    let e = find_locked(&txn, event_id).await?;
    let due = e.status == EventStatus::Option
        && e.option_expires_at
            .is_some_and(|t| rules::option_lapsed(t, now));
    if !due {
        return Ok(false);
    }
    let promoted = promoted_if_gone(&txn, &e, now).await?;
    let guard = Condition::all().add(event::Column::OptionExpiresAt.lte(now));
    match step(&txn, &e, Action::Lapse, Vec::new(), guard, now).await {
        Ok(_) => {}
        Err(EventError::Refused(_)) => return Ok(false),
        Err(err) => return Err(err),
    }
    history(&txn, event_id, None, "lapsed", String::new(), now).await?;
    note_promotions(&txn, &promoted, event_id, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Lapses every option whose expiry has passed at `now`. Runs every minute in the server and
/// before a confirmation; pages only show a due option as lapsed, they never write.
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
        if lapse_one(db, e.id, now).await? {
            lapsed.push(e.id);
        }
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
    if expires_at <= now {
        return Err(EventError::OptionLapsed);
    }
    let txn = begin_write(db).await?;
    let e = find_locked(&txn, event_id).await?;
    let also = vec![
        (event::Column::OptionPlacedAt, Expr::value(Some(now))),
        (
            event::Column::OptionExpiresAt,
            Expr::value(Some(expires_at)),
        ),
    ];
    step(&txn, &e, Action::PlaceOption, also, Condition::all(), now).await?;
    history(
        &txn,
        event_id,
        Some(by),
        "option",
        expires_at.to_rfc3339(),
        now,
    )
    .await?;
    let rank = option_ranks_at(&txn, now)
        .await?
        .get(&event_id)
        .copied()
        .unwrap_or(1);
    txn.commit().await?;
    Ok(rank)
}

pub async fn release_option(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    simple_step(
        db,
        event_id,
        Action::ReleaseOption,
        "released",
        by,
        now,
        |_| Ok(()),
    )
    .await
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
    // Quote edits lock the event first, so that they queue behind (or before) its sending.
    let txn = begin_write(db).await?;
    let e = find_locked(&txn, event_id).await?;
    let latest = latest_quote(&txn, event_id).await?;
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
            lines_from_rates(&txn, &e, unit_name, extra_name).await?,
        ),
    };
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
    let lines = lines_of(&txn, q.id).await?;
    txn.commit().await?;
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
    let txn = begin_write(db).await?;
    find_locked(&txn, event_id).await?;
    let q = open_draft(&txn, event_id).await?;
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
    let txn = begin_write(db).await?;
    find_locked(&txn, event_id).await?;
    let q = open_draft(&txn, event_id).await?;
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
    let txn = begin_write(db).await?;
    find_locked(&txn, event_id).await?;
    let q = open_draft(&txn, event_id).await?;
    let mut active: event_quote::ActiveModel = q.into();
    active.discount_bp = Set(discount_bp);
    active.discount_reason = Set(reason);
    active.valid_until = Set(valid_until);
    let q = active.update(&txn).await?;
    refresh_totals(&txn, q).await?;
    txn.commit().await?;
    Ok(())
}

/// Sends the draft to the organiser.
pub async fn send_quote(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    let txn = begin_write(db).await?;
    let e = find_locked(&txn, event_id).await?;
    rules::next_status(e.status, Action::SendQuote)?;
    if spaces_of(&txn, event_id).await?.is_empty() {
        return Err(Refusal::NoSpaces.into());
    }
    let q = open_draft(&txn, event_id).await?;
    if q.valid_until < paris_today(now) {
        return Err(EventError::QuoteExpired);
    }
    let version = q.version;
    let mut active: event_quote::ActiveModel = q.into();
    active.sent_at = Set(Some(now));
    active.update(&txn).await?;
    step(
        &txn,
        &e,
        Action::SendQuote,
        Vec::new(),
        Condition::all(),
        now,
    )
    .await?;
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
    let txn = begin_write(db).await?;
    // Decided on the event as it is now: of two answers, the second finds the quote answered.
    let e = find_locked(&txn, event_id).await?;
    if !e.status.is_open() || e.status == EventStatus::Confirmed {
        return Err(Refusal::NotFromStatus(e.status).into());
    }
    let (q, _) = sent_quote(&txn, event_id)
        .await?
        .ok_or(EventError::NoQuote)?;
    if q.accepted_at.is_some() || q.declined_at.is_some() {
        return Err(EventError::NoQuote);
    }
    if q.valid_until < paris_today(now) {
        return Err(EventError::QuoteExpired);
    }
    let promoted = if accept {
        Vec::new()
    } else {
        promoted_if_gone(&txn, &e, now).await?
    };
    // A compare-and-set on the quote too: it is answered once.
    let answered = if accept {
        event_quote::Column::AcceptedAt
    } else {
        event_quote::Column::DeclinedAt
    };
    let done = event_quote::Entity::update_many()
        .col_expr(answered, Expr::value(Some(now)))
        .filter(event_quote::Column::Id.eq(q.id))
        .filter(event_quote::Column::AcceptedAt.is_null())
        .filter(event_quote::Column::DeclinedAt.is_null())
        .exec(&txn)
        .await?;
    if Cas::from_rows(done.rows_affected) == Cas::Stale {
        return Err(EventError::NoQuote);
    }
    if !accept {
        step(&txn, &e, Action::Decline, Vec::new(), Condition::all(), now).await?;
    }
    let what = if accept {
        "quote_accepted"
    } else {
        "quote_declined"
    };
    history(&txn, event_id, Some(by), what, q.version.to_string(), now).await?;
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
    // Options due to lapse do so first (each a compare-and-set), so the ranks below are true.
    lapse_due(db, now).await?;
    let txn = begin_write(db).await?;
    // Everything is decided inside the write lock, on the event as it is now: of a
    // confirmation and a cancellation, the second finds the first's status.
    let e = find_locked(&txn, event_id).await?;
    if e.status == EventStatus::Lapsed {
        return Err(EventError::OptionLapsed);
    }
    let quote = sent_quote(&txn, event_id).await?;
    let state = quote.as_ref().map(|(q, _)| QuoteState {
        accepted: q.accepted_at.is_some(),
        valid_until: q.valid_until,
    });
    let rank = option_ranks_at(&txn, now).await?.get(&event_id).copied();
    rules::check_confirm(e.status, state, rank, paris_today(now))?;
    let total = quote.map(|(q, _)| q.incl_vat_cents).unwrap_or(0);
    let leaves = leaves_of(&txn, event_id).await?;
    if leaves.is_empty() {
        return Err(Refusal::NoSpaces.into());
    }
    let span = (e.held_from, e.held_until);
    let asked = (
        DateTime::<Utc>::from_timestamp(e.held_from, 0).unwrap_or(e.starts_at),
        DateTime::<Utc>::from_timestamp(e.held_until, 0).unwrap_or(e.ends_at),
    );
    if let Some(occ) = first_clash(&txn, &leaves, span, &[]).await? {
        let clash = describe(&txn, &occ, asked, 0).await?;
        return Err(EventError::Clash(clash));
    }
    occupy(&txn, &leaves, span, Occupant::Event(event_id)).await?;
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
    step(&txn, &e, Action::Confirm, Vec::new(), Condition::all(), now).await?;
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
    let txn = begin_write(db).await?;
    // The fee is computed from the status as it is now, inside the write lock: a
    // confirmation that commits first changes it, and the user is shown the new one.
    let e = find_locked(&txn, event_id).await?;
    rules::next_status(e.status, Action::Cancel)?;
    let fee = cancellation_fee(&txn, &e, terms, now).await?;
    if fee.cents != agreed_fee {
        return Err(EventError::Refused(Refusal::FeeChanged(fee.cents)));
    }
    release(&txn, Occupant::Event(event_id)).await?;
    event_payment::Entity::update_many()
        .col_expr(event_payment::Column::VoidedAt, Expr::value(now))
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
    let promoted = promoted_if_gone(&txn, &e, now).await?;
    let also = vec![(
        event::Column::CancellationFeeCents,
        Expr::value(Some(fee.cents)),
    )];
    step(&txn, &e, Action::Cancel, also, Condition::all(), now).await?;
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
    simple_step(db, event_id, Action::Decline, "declined", by, now, |_| {
        Ok(())
    })
    .await
}

/// After the event: done; once settled: closed.
pub async fn mark_done(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    simple_step(db, event_id, Action::MarkDone, "done", by, now, |e| {
        if e.ends_at > now {
            rules::next_status(e.status, Action::MarkDone)?;
            return Err(EventError::NotEnded);
        }
        Ok(())
    })
    .await
}

pub async fn close(
    db: &DatabaseConnection,
    event_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), EventError> {
    simple_step(db, event_id, Action::Close, "closed", by, now, |_| Ok(())).await
}

/// One step of the pipeline with nothing else to write than its history (and the options
/// it promotes), decided inside the write transaction after `check`.
async fn simple_step(
    db: &DatabaseConnection,
    event_id: i32,
    action: Action,
    what: &str,
    by: i32,
    now: DateTime<Utc>,
    check: impl FnOnce(&event::Model) -> Result<(), EventError>,
) -> Result<(), EventError> {
    let txn = begin_write(db).await?;
    let e = find_locked(&txn, event_id).await?;
    check(&e)?;
    let promoted = promoted_if_gone(&txn, &e, now).await?;
    step(&txn, &e, action, Vec::new(), Condition::all(), now).await?;
    history(&txn, event_id, Some(by), what, String::new(), now).await?;
    note_promotions(&txn, &promoted, event_id, now).await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// An event as a page shows it at `now`: an option past its expiry as lapsed, without its
/// hold dates, as the background task will soon write it.
pub fn as_shown(mut e: event::Model, now: DateTime<Utc>) -> event::Model {
    let shown = rules::shown_status(e.status, e.option_expires_at, now);
    if shown != e.status {
        e.status = shown;
        e.option_placed_at = None;
        e.option_expires_at = None;
    }
    e
}

fn quote_view(q: &event_quote::Model, lines: &[event_quote_line::Model]) -> QuoteView {
    let totals = rules::totals(&to_rule_lines(lines), q.discount_bp);
    QuoteView {
        version: q.version,
        lines: lines
            .iter()
            .map(|l| QuoteLineView {
                id: l.id,
                description: l.description.clone(),
                quantity: l.quantity,
                unit_cents: l.unit_cents,
                vat_bp: l.vat_bp,
                amount_cents: l.quantity * l.unit_cents,
            })
            .collect(),
        discount_bp: q.discount_bp,
        discount_reason: q.discount_reason.clone(),
        gross_cents: totals.gross_cents,
        discount_cents: totals.discount_cents,
        excl_vat_cents: totals.excl_vat_cents,
        vat: totals
            .vat
            .iter()
            .map(|v| VatLine {
                vat_bp: v.vat_bp,
                base_cents: v.base_cents,
                vat_cents: v.vat_cents,
            })
            .collect(),
        incl_vat_cents: totals.incl_vat_cents,
        valid_until: q.valid_until,
        sent_at: q.sent_at,
        accepted_at: q.accepted_at,
        declined_at: q.declined_at,
    }
}

/// The pipeline's rows (every event, or one organiser's) as shown at `now`, in a fixed
/// number of queries whatever the number of events.
pub async fn summaries(
    db: &impl ConnectionTrait,
    organiser: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Vec<EventSummary>, DbErr> {
    let events: Vec<event::Model> = list(db, organiser)
        .await?
        .into_iter()
        .map(|e| as_shown(e, now))
        .collect();
    summarise(db, &events, now).await
}

async fn summarise(
    db: &impl ConnectionTrait,
    events: &[event::Model],
    now: DateTime<Utc>,
) -> Result<Vec<EventSummary>, DbErr> {
    let ids: Vec<i32> = events.iter().map(|e| e.id).collect();
    let ranks = option_ranks_at(db, now).await?;
    let mut spaces = spaces_of_many(db, &ids).await?;
    let mut quoted: HashMap<i32, (i32, i64)> = HashMap::new();
    for q in event_quote::Entity::find()
        .filter(event_quote::Column::EventId.is_in(ids.iter().copied()))
        .filter(event_quote::Column::SentAt.is_not_null())
        .all(db)
        .await?
    {
        let latest = quoted
            .entry(q.event_id)
            .or_insert((q.version, q.incl_vat_cents));
        if q.version >= latest.0 {
            *latest = (q.version, q.incl_vat_cents);
        }
    }
    let mut due: HashMap<i32, i64> = HashMap::new();
    for p in event_payment::Entity::find()
        .filter(event_payment::Column::EventId.is_in(ids.iter().copied()))
        .filter(event_payment::Column::VoidedAt.is_null())
        .all(db)
        .await?
    {
        *due.entry(p.event_id).or_default() += p.amount_cents;
    }
    let names = user_names(db, events.iter().map(|e| e.organiser_id)).await?;
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(events
        .iter()
        .map(|e| EventSummary {
            id: e.id,
            name: e.name.clone(),
            kind: e.kind,
            status: e.status,
            first_date: e.first_date,
            last_date: e.last_date,
            start_minute: u(e.start_minute),
            end_minute: u(e.end_minute),
            attendance: u(e.attendance),
            organiser: names
                .get(&e.organiser_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            spaces: spaces
                .remove(&e.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(s, _)| s.name)
                .collect(),
            quoted_cents: quoted.get(&e.id).map(|(_, cents)| *cents),
            due_cents: due.get(&e.id).copied().unwrap_or(0),
            option_rank: ranks.get(&e.id).copied(),
            option_expires_at: e.option_expires_at.map(to_paris),
        })
        .collect())
}

/// Users by id, in one query.
async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, user::Model>, DbErr> {
    let mut ids: Vec<i32> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// One event's page as its viewer (id, whether a manager) sees it at `now`.
pub async fn detail(
    db: &impl ConnectionTrait,
    (viewer_id, viewer_is_manager): (i32, bool),
    e: event::Model,
    terms: &EventTerms,
    now: DateTime<Utc>,
) -> Result<EventDetail, EventError> {
    let e = as_shown(e, now);
    let summary = summarise(db, std::slice::from_ref(&e), now)
        .await?
        .pop()
        .ok_or(EventError::NotFound)?;
    let spaces = spaces_of(db, e.id)
        .await?
        .into_iter()
        .map(|(s, layout)| EventSpaceView {
            space_id: s.id,
            capacity: layout.capacity(
                u32::try_from(s.area_m2).unwrap_or(0),
                u32::try_from(s.capacity).unwrap_or(0),
            ),
            name: s.name,
            layout,
        })
        .collect();
    let sent = sent_quote(db, e.id).await?;
    let latest = latest_quote(db, e.id).await?;
    let draft = latest
        .filter(|(q, _)| q.sent_at.is_none() && viewer_is_manager)
        .map(|(q, lines)| quote_view(&q, &lines));
    let quote = sent.as_ref().map(|(q, lines)| quote_view(q, lines));
    let today = crate::bookings::rules::paris_today(now);
    let can_answer = e.organiser_id == viewer_id
        && matches!(e.status, EventStatus::Quoted | EventStatus::Option)
        && sent.as_ref().is_some_and(|(q, _)| {
            q.accepted_at.is_none() && q.declined_at.is_none() && q.valid_until >= today
        });
    let cancellation = if rules::next_status(e.status, rules::Action::Cancel).is_ok() {
        let fee = cancellation_fee(db, &e, terms, now).await?;
        Some(CancellationView {
            notice_days: fee.notice_days,
            percent: fee.percent,
            fee_cents: fee.cents,
        })
    } else {
        None
    };
    let payments = payments_of(db, e.id)
        .await?
        .into_iter()
        .map(|p| PaymentView {
            kind: p.kind,
            amount_cents: p.amount_cents,
            due_on: p.due_on,
            voided: p.voided_at.is_some(),
        })
        .collect();
    let rows = history_of(db, e.id).await?;
    let mut names = user_names(
        db,
        rows.iter()
            .filter_map(|h| h.user_id)
            .chain([e.organiser_id]),
    )
    .await?;
    let history = rows
        .into_iter()
        .map(|h| HistoryView {
            at: to_paris(h.at),
            by: h
                .user_id
                .and_then(|id| names.get(&id))
                .map(|u| u.name.clone()),
            what: h.what,
        })
        .collect();
    let organiser = names.remove(&e.organiser_id);
    let organisation = match e.organisation_id {
        Some(id) => crate::entities::organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    let secs = |t: i64| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or(e.starts_at);
    Ok(EventDetail {
        summary,
        organiser_email: organiser.map(|o| o.email).unwrap_or_default(),
        organisation,
        tier: e.tier,
        setup_minutes: u(e.setup_minutes),
        teardown_minutes: u(e.teardown_minutes),
        held_from: to_paris(secs(e.held_from)),
        held_until: to_paris(secs(e.held_until)),
        extras: Extra::parse_list(&e.extras),
        catering: e.catering.clone(),
        catering_covers: u(e.catering_covers),
        contact_phone: e.contact_phone.clone(),
        notes: e.notes.clone(),
        suggest_spaces: e.suggest_spaces,
        spaces,
        quote,
        draft,
        payments,
        history,
        is_manager: viewer_is_manager,
        is_organiser: e.organiser_id == viewer_id,
        can_answer,
        cancellation,
    })
}

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
