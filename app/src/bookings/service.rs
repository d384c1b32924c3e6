//! Room bookings: the only booking code that touches the database.
//!
//! Every write runs in one transaction opened with [`begin_write`]: on SQLite it holds the
//! write lock from the availability check to the commit; on PostgreSQL the occupancy table's
//! exclusion constraint refuses an overlap even between two transactions that both checked.
use super::model::{BookingStatus, FormError, LocalSlot, Scope};
use super::rules::{self, Booker, BookingRules, OpeningHours, SeriesError, UnitRates, Violation};
use crate::auth::model::{Role, UserView};
use crate::db::{begin_write, lost_race};
use crate::entities::{
    booking, booking_series, charge, event, occupancy, organisation, space, space_block,
    space_booking_rule, space_equipment, space_opening_hour, space_rate,
};
use crate::organisations::model::Tier;
use crate::spaces::model::{Equipment, RateUnit};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::{HashMap, HashSet};

/// What stands in the way of a booking, for the message that names the clash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// Another booking takes the space, or a space it is part of or contains. When the two
    /// do not overlap but come closer than the buffer between bookings, `buffer_minutes` says so.
    Booking {
        space: String,
        slot: LocalSlot,
        buffer_minutes: Option<u32>,
    },
    /// A manager closed the space.
    Block {
        space: String,
        slot: LocalSlot,
        reason: String,
    },
    /// A confirmed event holds the space: during its set-up, itself, or its teardown.
    /// Tenants are told which phase and when, never whose event it is.
    Event {
        space: String,
        phase: EventPhase,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// The database refused an overlap it saw first (a booking made at the same instant).
    Concurrent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventPhase {
    Setup,
    Event,
    Teardown,
}

#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error("invalid form: {0:?}")]
    Form(FormError),
    #[error("rule: {0:?}")]
    Rule(Violation),
    #[error("on {date}: {violation:?}")]
    RuleOn {
        date: NaiveDate,
        violation: Violation,
    },
    #[error("series: {0:?}")]
    Series(SeriesError),
    #[error("nothing left to book in the series")]
    EmptySeries,
    #[error("space is not bookable")]
    NotBookable,
    #[error("the user belongs to no organisation")]
    NoOrganisation,
    #[error("not allowed")]
    NotAllowed,
    #[error("booking not found")]
    NotFound,
    #[error("clash: {0:?}")]
    Conflict(Clash),
    #[error("clash on {date}: {clash:?}")]
    ConflictOn { date: NaiveDate, clash: Clash },
    #[error("the space lacks {0:?}")]
    MissingEquipment(Vec<Equipment>),
    #[error("no rate for this tier and duration")]
    NoRate,
    #[error("the booking is not pending")]
    NotPending,
    #[error("the booking is already cancelled")]
    NotActive,
    #[error("the booking has started")]
    Started,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<FormError> for BookingError {
    fn from(e: FormError) -> Self {
        BookingError::Form(e)
    }
}

impl From<Violation> for BookingError {
    fn from(e: Violation) -> Self {
        BookingError::Rule(e)
    }
}

impl From<SeriesError> for BookingError {
    fn from(e: SeriesError) -> Self {
        BookingError::Series(e)
    }
}

/// Who acts, as the rules and permissions see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i32,
    pub role: Role,
    pub organisation_id: Option<i32>,
    pub is_referent: bool,
}

impl From<&UserView> for Actor {
    fn from(u: &UserView) -> Self {
        Actor {
            user_id: u.id,
            role: u.role,
            organisation_id: u.organisation.as_ref().map(|o| o.id),
            is_referent: u.is_referent,
        }
    }
}

impl Actor {
    pub fn is_manager(&self) -> bool {
        self.role == Role::Manager
    }

    fn booker(&self) -> Booker {
        if self.is_manager() {
            Booker::Manager
        } else {
            Booker::Tenant
        }
    }

    /// Whether this actor sees the booking's title and who made it.
    pub fn sees_details(&self, b: &booking::Model) -> bool {
        self.is_manager() || self.organisation_id == Some(b.organisation_id)
    }

    /// Members change their own bookings; a referent, all of the organisation's; managers, all.
    pub fn may_change(&self, b: &booking::Model) -> bool {
        self.is_manager()
            || b.booked_by == self.user_id && self.organisation_id == Some(b.organisation_id)
            || self.is_referent && self.organisation_id == Some(b.organisation_id)
    }

    /// The organisation a booking is for: a tenant's own; for a manager, the one chosen.
    fn organisation_for(&self, chosen: Option<i32>) -> Result<i32, BookingError> {
        match self.role {
            Role::Manager => chosen.ok_or(BookingError::NoOrganisation),
            Role::Tenant => self.organisation_id.ok_or(BookingError::NoOrganisation),
            Role::Organiser => Err(BookingError::NotAllowed),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What a space allows.

/// A bookable space with its rules, opening hours, equipment and the leaf spaces it takes.
#[derive(Debug, Clone)]
pub struct SpaceContext {
    pub space: space::Model,
    pub rules: BookingRules,
    pub hours: OpeningHours,
    pub leaves: Vec<i32>,
    pub equipment: Vec<Equipment>,
}

pub fn rules_of(r: &space_booking_rule::Model) -> BookingRules {
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    BookingRules {
        min_minutes: u(r.min_minutes),
        max_minutes: u(r.max_minutes),
        buffer_minutes: u(r.buffer_minutes),
        min_notice_minutes: u(r.min_notice_minutes),
        tenant_max_advance_days: u(r.tenant_max_advance_days),
        manager_max_advance_days: u(r.manager_max_advance_days),
        cancel_deadline_hours: u(r.cancel_deadline_hours),
        requires_approval: r.requires_approval,
        uses_included_hours: r.uses_included_hours,
    }
}

/// Opening hours per space, from its rows.
pub fn hours_of(rows: &[space_opening_hour::Model]) -> OpeningHours {
    let mut hours = OpeningHours::default();
    for r in rows {
        if let (Ok(day), Ok(open), Ok(close)) = (
            usize::try_from(r.weekday),
            u32::try_from(r.opens_minute),
            u32::try_from(r.closes_minute),
        ) && day < 7
        {
            hours.days[day].push((open, close));
        }
    }
    for day in &mut hours.days {
        day.sort_unstable();
    }
    hours
}

/// Which spaces contain which: parent id → its parts.
pub async fn children_map(db: &impl ConnectionTrait) -> Result<HashMap<i32, Vec<i32>>, DbErr> {
    let parts = space::Entity::find()
        .filter(space::Column::ParentId.is_not_null())
        .all(db)
        .await?;
    let mut map: HashMap<i32, Vec<i32>> = HashMap::new();
    for p in parts {
        if let Some(parent) = p.parent_id {
            map.entry(parent).or_default().push(p.id);
        }
    }
    Ok(map)
}

pub async fn space_context(
    db: &impl ConnectionTrait,
    space_id: i32,
) -> Result<SpaceContext, BookingError> {
    let space = space::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .ok_or(BookingError::NotBookable)?;
    let rules = space_booking_rule::Entity::find_by_id(space_id)
        .one(db)
        .await?;
    let (true, Some(rules)) = (space.bookable, rules) else {
        return Err(BookingError::NotBookable);
    };
    let hours = space_opening_hour::Entity::find()
        .filter(space_opening_hour::Column::SpaceId.eq(space_id))
        .all(db)
        .await?;
    let equipment = space_equipment::Entity::find()
        .filter(space_equipment::Column::SpaceId.eq(space_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.equipment)
        .collect();
    let leaves = rules::leaf_spaces(space_id, &children_map(db).await?);
    Ok(SpaceContext {
        space,
        rules: rules_of(&rules),
        hours: hours_of(&hours),
        leaves,
        equipment,
    })
}

/// One tier's rates for a space.
pub async fn rates_for(
    db: &impl ConnectionTrait,
    space_id: i32,
    tier: Tier,
) -> Result<(UnitRates, i32), DbErr> {
    let rows = space_rate::Entity::find()
        .filter(space_rate::Column::SpaceId.eq(space_id))
        .filter(space_rate::Column::Tier.eq(tier))
        .all(db)
        .await?;
    let mut rates = UnitRates::default();
    let mut vat = 2000;
    for r in rows {
        vat = r.vat_rate_bp;
        match r.unit {
            RateUnit::Hour => rates.hour = Some(r.amount_cents),
            RateUnit::HalfDay => rates.half_day = Some(r.amount_cents),
            RateUnit::Day => rates.day = Some(r.amount_cents),
            RateUnit::Evening | RateUnit::Weekend => {}
        }
    }
    Ok((rates, vat))
}

// ---------------------------------------------------------------------------------------------
// Clashes.

/// The first occupancy of these leaves that overlaps `span`, leaving out some bookings.
pub async fn first_clash(
    db: &impl ConnectionTrait,
    leaves: &[i32],
    span: (i64, i64),
    ignore: &[i32],
) -> Result<Option<occupancy::Model>, DbErr> {
    let mut query = occupancy::Entity::find()
        .filter(occupancy::Column::LeafSpaceId.is_in(leaves.iter().copied()))
        .filter(occupancy::Column::StartsAt.lt(span.1))
        .filter(occupancy::Column::EndsAt.gt(span.0));
    if !ignore.is_empty() {
        query = query.filter(
            Condition::any()
                .add(occupancy::Column::BookingId.is_null())
                .add(occupancy::Column::BookingId.is_not_in(ignore.iter().copied())),
        );
    }
    query
        .order_by_asc(occupancy::Column::StartsAt)
        .one(db)
        .await
}

/// What an occupancy row stands for, for the user, next to the slot that was asked for.
pub async fn describe(
    db: &impl ConnectionTrait,
    occ: &occupancy::Model,
    asked: (DateTime<Utc>, DateTime<Utc>),
    own_buffer: u32,
) -> Result<Clash, DbErr> {
    if let Some(block_id) = occ.block_id
        && let Some(block) = space_block::Entity::find_by_id(block_id).one(db).await?
    {
        let space = space_name(db, block.space_id).await?;
        return Ok(Clash::Block {
            space,
            slot: LocalSlot::from_utc(block.starts_at, block.ends_at),
            reason: block.reason,
        });
    }
    if let Some(booking_id) = occ.booking_id
        && let Some(b) = booking::Entity::find_by_id(booking_id).one(db).await?
    {
        let space = space_name(db, b.space_id).await?;
        let overlaps = asked.0 < b.ends_at && b.starts_at < asked.1;
        let their_buffer = u32::try_from((occ.ends_at - b.ends_at.timestamp()) / 60).unwrap_or(0);
        let buffer_minutes = (!overlaps).then_some(own_buffer.max(their_buffer));
        return Ok(Clash::Booking {
            space,
            slot: LocalSlot::from_utc(b.starts_at, b.ends_at),
            buffer_minutes,
        });
    }
    if let Some(event_id) = occ.event_id
        && let Some(e) = event::Entity::find_by_id(event_id).one(db).await?
    {
        let space = space_name(db, occ.leaf_space_id).await?;
        let secs = |t: i64| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or(e.starts_at);
        let (held_from, held_until) = (secs(e.held_from), secs(e.held_until));
        // The phase the asked slot runs into first.
        let (phase, from, until) = if asked.0 < e.starts_at && held_from < asked.1 {
            (EventPhase::Setup, held_from, e.starts_at)
        } else if asked.0 < e.ends_at && e.starts_at < asked.1 {
            (EventPhase::Event, e.starts_at, e.ends_at)
        } else {
            (EventPhase::Teardown, e.ends_at, held_until)
        };
        return Ok(Clash::Event {
            space,
            phase,
            from,
            until,
        });
    }
    Ok(Clash::Concurrent)
}

async fn space_name(db: &impl ConnectionTrait, id: i32) -> Result<String, DbErr> {
    Ok(space::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}

// ---------------------------------------------------------------------------------------------
// Included hours.

/// The Paris month of `date`, as a UTC span.
pub fn month_span(date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = date.with_day(1).unwrap_or(date);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let at = |d: NaiveDate| {
        rules::paris_to_utc(d, 0).unwrap_or_else(|_| d.and_time(chrono::NaiveTime::MIN).and_utc())
    };
    (at(first), at(next))
}

/// Bookings that count against a month: active ones, and late cancellations (still charged).
fn counts_against_month(b: &booking::Model) -> bool {
    b.status.is_active() || b.cancellation_charged
}

/// Included minutes an organisation has used in the month of `date`, leaving out some bookings.
pub async fn included_used(
    db: &impl ConnectionTrait,
    organisation_id: i32,
    date: NaiveDate,
    ignore: &[i32],
) -> Result<i64, DbErr> {
    let (from, until) = month_span(date);
    let rows = booking::Entity::find()
        .filter(booking::Column::OrganisationId.eq(organisation_id))
        .filter(booking::Column::StartsAt.gte(from))
        .filter(booking::Column::StartsAt.lt(until))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter(|b| counts_against_month(b) && !ignore.contains(&b.id))
        .map(|b| i64::from(b.included_minutes))
        .sum())
}

// ---------------------------------------------------------------------------------------------
// Making bookings.

/// A booking as asked for, once the form is parsed.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub space_id: i32,
    /// Only managers choose; tenants book for their own organisation.
    pub organisation_id: Option<i32>,
    pub slot: LocalSlot,
    pub title: String,
    pub attendees: u32,
    pub equipment: Vec<Equipment>,
}

/// Checks what does not need the database's current bookings.
fn check_request(
    ctx: &SpaceContext,
    actor: &Actor,
    req: &NewBooking,
    slot: &LocalSlot,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), BookingError> {
    let missing: Vec<Equipment> = req
        .equipment
        .iter()
        .filter(|e| !ctx.equipment.contains(e))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(BookingError::MissingEquipment(missing));
    }
    rules::check_attendees(
        req.attendees,
        u32::try_from(ctx.space.capacity).unwrap_or(0),
    )?;
    Ok(rules::check_slot(
        &ctx.rules,
        &ctx.hours,
        slot,
        actor.booker(),
        now,
    )?)
}

fn equipment_codes(items: &[Equipment]) -> String {
    items.iter().map(|e| e.code()).collect::<Vec<_>>().join(",")
}

pub fn parse_equipment_codes(codes: &str) -> Vec<Equipment> {
    codes.split(',').filter_map(Equipment::from_code).collect()
}

/// Inserts one occurrence: checks the slot is free, prices it (included minutes first),
/// writes the booking, its occupancy rows and its charge. Runs inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
async fn insert_occurrence(
    txn: &DatabaseTransaction,
    ctx: &SpaceContext,
    org: &organisation::Model,
    actor: &Actor,
    req: &NewBooking,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    series_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<booking::Model, BookingError> {
    let span = rules::occupancy(start, end, ctx.rules.buffer_minutes);
    if let Some(occ) = first_clash(txn, &ctx.leaves, span, &[]).await? {
        return Err(BookingError::Conflict(
            describe(txn, &occ, (start, end), ctx.rules.buffer_minutes).await?,
        ));
    }
    let slot = LocalSlot::from_utc(start, end);
    let (rates, vat) = rates_for(txn, ctx.space.id, org.tier).await?;
    let available = if ctx.rules.uses_included_hours {
        i64::from(org.included_room_minutes) - included_used(txn, org.id, slot.date, &[]).await?
    } else {
        0
    };
    let price = rules::price(rules::elapsed_minutes(start, end), &rates, available)
        .ok_or(BookingError::NoRate)?;
    let status = if ctx.rules.requires_approval && !actor.is_manager() {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    let booking = booking::ActiveModel {
        space_id: Set(ctx.space.id),
        organisation_id: Set(org.id),
        booked_by: Set(actor.user_id),
        title: Set(req.title.clone()),
        attendees: Set(i32::try_from(req.attendees).unwrap_or(i32::MAX)),
        equipment: Set(equipment_codes(&req.equipment)),
        starts_at: Set(start),
        ends_at: Set(end),
        status: Set(status),
        series_id: Set(series_id),
        tier: Set(org.tier),
        included_minutes: Set(i32::try_from(price.included_minutes).unwrap_or(0)),
        billable_minutes: Set(i32::try_from(price.billable_minutes).unwrap_or(0)),
        amount_cents: Set(price.amount_cents),
        vat_rate_bp: Set(vat),
        cancelled_at: Set(None),
        cancelled_by: Set(None),
        cancellation_charged: Set(false),
        decided_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    occupy(txn, &ctx.leaves, span, Some(booking.id), None).await?;
    if status == BookingStatus::Confirmed {
        record_charge(txn, &booking, &ctx.space.name, now).await?;
    }
    Ok(booking)
}

/// Writes the occupancy rows of a booking or a block. An overlap the check did not see
/// (PostgreSQL, two transactions at once) is refused here by the exclusion constraint.
async fn occupy(
    txn: &DatabaseTransaction,
    leaves: &[i32],
    span: (i64, i64),
    booking_id: Option<i32>,
    block_id: Option<i32>,
) -> Result<(), BookingError> {
    let rows = leaves.iter().map(|leaf| occupancy::ActiveModel {
        leaf_space_id: Set(*leaf),
        starts_at: Set(span.0),
        ends_at: Set(span.1),
        booking_id: Set(booking_id),
        block_id: Set(block_id),
        ..Default::default()
    });
    match occupancy::Entity::insert_many(rows).exec(txn).await {
        Ok(_) => Ok(()),
        Err(e) if lost_race(&e) => Err(BookingError::Conflict(Clash::Concurrent)),
        Err(e) => Err(e.into()),
    }
}

async fn record_charge(
    txn: &DatabaseTransaction,
    b: &booking::Model,
    space_name: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if b.amount_cents <= 0 {
        return Ok(());
    }
    let slot = LocalSlot::from_utc(b.starts_at, b.ends_at);
    charge::ActiveModel {
        organisation_id: Set(b.organisation_id),
        source: Set("room_booking".to_owned()),
        source_id: Set(b.id),
        description: Set(format!(
            "{space_name}, {} {}–{} ({} min)",
            slot.date,
            super::model::format_minute(slot.start_minute),
            super::model::format_minute(slot.end_minute),
            b.billable_minutes
        )),
        amount_cents: Set(b.amount_cents),
        vat_rate_bp: Set(b.vat_rate_bp),
        service_date: Set(slot.date),
        created_at: Set(now),
        voided_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

async fn void_charges(
    txn: &DatabaseTransaction,
    booking_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    charge::Entity::update_many()
        .col_expr(
            charge::Column::VoidedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(charge::Column::Source.eq("room_booking"))
        .filter(charge::Column::SourceId.eq(booking_id))
        .filter(charge::Column::VoidedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

async fn locked_organisation(
    txn: &DatabaseTransaction,
    id: i32,
) -> Result<organisation::Model, BookingError> {
    // One organisation's bookings are priced one at a time (its included hours are shared).
    organisation::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(BookingError::NoOrganisation)
}

/// After a failed write, names what took the slot (read after the rollback, since a failed
/// PostgreSQL transaction can no longer be read from).
async fn explain_conflict(
    db: &DatabaseConnection,
    ctx: &SpaceContext,
    asked: (DateTime<Utc>, DateTime<Utc>),
) -> Clash {
    let span = rules::occupancy(asked.0, asked.1, ctx.rules.buffer_minutes);
    match first_clash(db, &ctx.leaves, span, &[]).await {
        Ok(Some(occ)) => describe(db, &occ, asked, ctx.rules.buffer_minutes)
            .await
            .unwrap_or(Clash::Concurrent),
        _ => Clash::Concurrent,
    }
}

/// Books one slot.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    req: &NewBooking,
    now: DateTime<Utc>,
) -> Result<booking::Model, BookingError> {
    let org_id = actor.organisation_for(req.organisation_id)?;
    let ctx = space_context(db, req.space_id).await?;
    let range = check_request(&ctx, actor, req, &req.slot, now)?;
    let txn = begin_write(db).await?;
    let org = locked_organisation(&txn, org_id).await?;
    match insert_occurrence(&txn, &ctx, &org, actor, req, range, None, now).await {
        Ok(b) => {
            txn.commit().await?;
            Ok(b)
        }
        Err(BookingError::Conflict(Clash::Concurrent)) => {
            txn.rollback().await.ok();
            Err(BookingError::Conflict(
                explain_conflict(db, &ctx, range).await,
            ))
        }
        Err(e) => Err(e),
    }
}

/// Each date of a series, with why it cannot be booked (None when it can).
pub async fn preview_series(
    db: &DatabaseConnection,
    actor: &Actor,
    req: &NewBooking,
    recurrence: &rules::Recurrence,
    now: DateTime<Utc>,
) -> Result<Vec<(NaiveDate, Option<BookingError>)>, BookingError> {
    actor.organisation_for(req.organisation_id)?;
    let ctx = space_context(db, req.space_id).await?;
    let dates = rules::expand(req.slot.date, recurrence)?;
    let mut out = Vec::with_capacity(dates.len());
    for date in dates {
        let slot = req.slot.on(date);
        let problem = match check_request(&ctx, actor, req, &slot, now) {
            Err(e) => Some(e),
            Ok((start, end)) => {
                let span = rules::occupancy(start, end, ctx.rules.buffer_minutes);
                match first_clash(db, &ctx.leaves, span, &[]).await? {
                    Some(occ) => Some(BookingError::Conflict(
                        describe(db, &occ, (start, end), ctx.rules.buffer_minutes).await?,
                    )),
                    None => None,
                }
            }
        };
        out.push((date, problem));
    }
    Ok(out)
}

/// Books a series, leaving out the dates the user chose to skip. All or nothing: a date that
/// clashes (someone booked it since the preview) refuses the whole series and names the date.
pub async fn create_series(
    db: &DatabaseConnection,
    actor: &Actor,
    req: &NewBooking,
    recurrence: &rules::Recurrence,
    skip: &HashSet<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(booking_series::Model, Vec<booking::Model>), BookingError> {
    let org_id = actor.organisation_for(req.organisation_id)?;
    let ctx = space_context(db, req.space_id).await?;
    let dates: Vec<NaiveDate> = rules::expand(req.slot.date, recurrence)?
        .into_iter()
        .filter(|d| !skip.contains(d))
        .collect();
    if dates.is_empty() {
        return Err(BookingError::EmptySeries);
    }
    let mut ranges = Vec::with_capacity(dates.len());
    for date in &dates {
        let range =
            check_request(&ctx, actor, req, &req.slot.on(*date), now).map_err(|e| match e {
                BookingError::Rule(violation) => BookingError::RuleOn {
                    date: *date,
                    violation,
                },
                other => other,
            })?;
        ranges.push((*date, range));
    }
    let txn = begin_write(db).await?;
    let org = locked_organisation(&txn, org_id).await?;
    let (end, count) = match recurrence.end {
        rules::SeriesEnd::Until(d) => (Some(d), None),
        rules::SeriesEnd::Count(n) => (None, Some(i32::try_from(n).unwrap_or(i32::MAX))),
    };
    let series = booking_series::ActiveModel {
        space_id: Set(ctx.space.id),
        organisation_id: Set(org.id),
        created_by: Set(actor.user_id),
        title: Set(req.title.clone()),
        attendees: Set(i32::try_from(req.attendees).unwrap_or(i32::MAX)),
        start_minute: Set(i32::try_from(req.slot.start_minute).unwrap_or(0)),
        duration_minutes: Set(i32::try_from(req.slot.duration_minutes()).unwrap_or(0)),
        interval_weeks: Set(i32::try_from(recurrence.interval_weeks).unwrap_or(1)),
        weekdays: Set(i32::from(recurrence.weekdays)),
        first_date: Set(req.slot.date),
        until_date: Set(end),
        occurrence_count: Set(count),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut made = Vec::with_capacity(ranges.len());
    for (date, range) in ranges {
        match insert_occurrence(&txn, &ctx, &org, actor, req, range, Some(series.id), now).await {
            Ok(b) => made.push(b),
            Err(BookingError::Conflict(Clash::Concurrent)) => {
                txn.rollback().await.ok();
                return Err(BookingError::ConflictOn {
                    date,
                    clash: explain_conflict(db, &ctx, range).await,
                });
            }
            Err(BookingError::Conflict(clash)) => {
                return Err(BookingError::ConflictOn { date, clash });
            }
            Err(e) => return Err(e),
        }
    }
    txn.commit().await?;
    Ok((series, made))
}

// ---------------------------------------------------------------------------------------------
// Changing and cancelling.

/// A booking the actor may change: NotFound if they may not even see it, NotAllowed if they
/// see it but may not change it.
pub async fn changeable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
) -> Result<booking::Model, BookingError> {
    let b = booking::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(BookingError::NotFound)?;
    if !actor.sees_details(&b) {
        return Err(BookingError::NotFound);
    }
    if !actor.may_change(&b) {
        return Err(BookingError::NotAllowed);
    }
    Ok(b)
}

/// The occurrences a scope reaches from `b`: itself, it and the later ones of its series, or
/// every occurrence of the series that has not started. Only active ones.
async fn in_scope(
    db: &impl ConnectionTrait,
    b: &booking::Model,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<Vec<booking::Model>, DbErr> {
    let series = match (scope, b.series_id) {
        (Scope::This, _) | (_, None) => return Ok(vec![b.clone()]),
        (_, Some(series)) => series,
    };
    let from = match scope {
        Scope::ThisAndFollowing => b.starts_at,
        _ => now,
    };
    let rows = booking::Entity::find()
        .filter(booking::Column::SeriesId.eq(series))
        .filter(booking::Column::StartsAt.gte(from))
        .filter(booking::Column::Status.is_in([BookingStatus::Pending, BookingStatus::Confirmed]))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await?;
    Ok(rows)
}

/// Cancels a booking (or part of its series). Cancelling after the space's deadline keeps the
/// charge: the booking still counts, included hours and all.
pub async fn cancel(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<Vec<booking::Model>, BookingError> {
    let b = changeable(db, actor, id).await?;
    if !b.status.is_active() {
        return Err(BookingError::NotActive);
    }
    if b.starts_at <= now {
        return Err(BookingError::Started);
    }
    let ctx = space_context(db, b.space_id).await?;
    let txn = begin_write(db).await?;
    let mut done = Vec::new();
    for target in in_scope(&txn, &b, scope, now).await? {
        let charged = target.status == BookingStatus::Confirmed
            && rules::cancellation_is_charged(
                target.starts_at,
                now,
                ctx.rules.cancel_deadline_hours,
            );
        occupancy::Entity::delete_many()
            .filter(occupancy::Column::BookingId.eq(target.id))
            .exec(&txn)
            .await?;
        if !charged {
            void_charges(&txn, target.id, now).await?;
        }
        let mut active: booking::ActiveModel = target.into();
        active.status = Set(BookingStatus::Cancelled);
        active.cancelled_at = Set(Some(now));
        active.cancelled_by = Set(Some(actor.user_id));
        active.cancellation_charged = Set(charged);
        active.updated_at = Set(now);
        done.push(active.update(&txn).await?);
    }
    txn.commit().await?;
    Ok(done)
}

/// What a change sets. The date only moves for a single occurrence.
#[derive(Debug, Clone)]
pub struct BookingChange {
    pub date: NaiveDate,
    pub start_minute: u32,
    pub end_minute: u32,
    pub title: String,
    pub attendees: u32,
}

/// Changes a booking or part of its series: every occurrence reached is checked against the
/// rules and the calendar again, and re-priced. All or nothing.
pub async fn change(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    change: &BookingChange,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<Vec<booking::Model>, BookingError> {
    let b = changeable(db, actor, id).await?;
    if !b.status.is_active() {
        return Err(BookingError::NotActive);
    }
    if b.starts_at <= now {
        return Err(BookingError::Started);
    }
    let ctx = space_context(db, b.space_id).await?;
    let targets = in_scope(db, &b, scope, now).await?;
    let ids: Vec<i32> = targets.iter().map(|t| t.id).collect();
    let req = NewBooking {
        space_id: b.space_id,
        organisation_id: Some(b.organisation_id),
        slot: LocalSlot {
            date: change.date,
            start_minute: change.start_minute,
            end_minute: change.end_minute,
        },
        title: change.title.clone(),
        attendees: change.attendees,
        equipment: parse_equipment_codes(&b.equipment),
    };
    let mut planned = Vec::with_capacity(targets.len());
    for target in &targets {
        let date = if scope == Scope::This {
            change.date
        } else {
            LocalSlot::from_utc(target.starts_at, target.ends_at).date
        };
        let slot = req.slot.on(date);
        let range = check_request(&ctx, actor, &req, &slot, now).map_err(|e| match e {
            BookingError::Rule(violation) if scope != Scope::This => {
                BookingError::RuleOn { date, violation }
            }
            other => other,
        })?;
        planned.push((target.clone(), date, range));
    }

    let txn = begin_write(db).await?;
    let org = locked_organisation(&txn, b.organisation_id).await?;
    // Free the old slots first, so that moving within one's own booking is not a clash.
    occupancy::Entity::delete_many()
        .filter(occupancy::Column::BookingId.is_in(ids.iter().copied()))
        .exec(&txn)
        .await?;
    let (rates, vat) = rates_for(&txn, ctx.space.id, org.tier).await?;
    let mut done = Vec::with_capacity(planned.len());
    for (target, date, (start, end)) in planned {
        let span = rules::occupancy(start, end, ctx.rules.buffer_minutes);
        if let Some(occ) = first_clash(&txn, &ctx.leaves, span, &ids).await? {
            let clash = describe(&txn, &occ, (start, end), ctx.rules.buffer_minutes).await?;
            return Err(if scope == Scope::This {
                BookingError::Conflict(clash)
            } else {
                BookingError::ConflictOn { date, clash }
            });
        }
        let slot = LocalSlot::from_utc(start, end);
        let available = if ctx.rules.uses_included_hours {
            // This booking's own minutes are free again, and so are those of the others being
            // changed that have not been written back yet.
            let pending: Vec<i32> = ids
                .iter()
                .copied()
                .filter(|i| !done.iter().any(|d: &booking::Model| d.id == *i))
                .collect();
            i64::from(org.included_room_minutes)
                - included_used(&txn, org.id, slot.date, &pending).await?
        } else {
            0
        };
        let price = rules::price(rules::elapsed_minutes(start, end), &rates, available)
            .ok_or(BookingError::NoRate)?;
        let was_confirmed = target.status == BookingStatus::Confirmed;
        let target_id = target.id;
        let mut active: booking::ActiveModel = target.into();
        active.starts_at = Set(start);
        active.ends_at = Set(end);
        active.title = Set(change.title.clone());
        active.attendees = Set(i32::try_from(change.attendees).unwrap_or(i32::MAX));
        active.included_minutes = Set(i32::try_from(price.included_minutes).unwrap_or(0));
        active.billable_minutes = Set(i32::try_from(price.billable_minutes).unwrap_or(0));
        active.amount_cents = Set(price.amount_cents);
        active.vat_rate_bp = Set(vat);
        active.updated_at = Set(now);
        let updated = active.update(&txn).await?;
        match occupy(&txn, &ctx.leaves, span, Some(target_id), None).await {
            Ok(()) => {}
            Err(BookingError::Conflict(_)) => {
                txn.rollback().await.ok();
                let clash = explain_conflict(db, &ctx, (start, end)).await;
                return Err(if scope == Scope::This {
                    BookingError::Conflict(clash)
                } else {
                    BookingError::ConflictOn { date, clash }
                });
            }
            Err(e) => return Err(e),
        }
        if was_confirmed {
            void_charges(&txn, target_id, now).await?;
            record_charge(&txn, &updated, &ctx.space.name, now).await?;
        }
        done.push(updated);
    }
    txn.commit().await?;
    Ok(done)
}

/// A manager approves a pending booking: it is confirmed and charged.
pub async fn approve(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    now: DateTime<Utc>,
) -> Result<booking::Model, BookingError> {
    decide(db, actor, id, true, now).await
}

/// A manager refuses a pending booking: the slot is freed.
pub async fn refuse(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    now: DateTime<Utc>,
) -> Result<booking::Model, BookingError> {
    decide(db, actor, id, false, now).await
}

async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    approve: bool,
    now: DateTime<Utc>,
) -> Result<booking::Model, BookingError> {
    if !actor.is_manager() {
        return Err(BookingError::NotAllowed);
    }
    let txn = begin_write(db).await?;
    let b = booking::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(BookingError::NotFound)?;
    if b.status != BookingStatus::Pending {
        return Err(BookingError::NotPending);
    }
    let space = space::Entity::find_by_id(b.space_id)
        .one(&txn)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let mut active: booking::ActiveModel = b.into();
    active.status = Set(if approve {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Refused
    });
    active.decided_by = Set(Some(actor.user_id));
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    if approve {
        record_charge(&txn, &updated, &space, now).await?;
    } else {
        occupancy::Entity::delete_many()
            .filter(occupancy::Column::BookingId.eq(updated.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Blocks.

/// A manager closes a space (and whatever it contains or is part of) for a period.
pub async fn create_block(
    db: &DatabaseConnection,
    actor: &Actor,
    space_id: i32,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    reason: &str,
    now: DateTime<Utc>,
) -> Result<space_block::Model, BookingError> {
    if !actor.is_manager() {
        return Err(BookingError::NotAllowed);
    }
    if end <= start {
        return Err(BookingError::Rule(Violation::EndNotAfterStart));
    }
    let ctx = space_context(db, space_id).await?;
    let span = (start.timestamp(), end.timestamp());
    let txn = begin_write(db).await?;
    if let Some(occ) = first_clash(&txn, &ctx.leaves, span, &[]).await? {
        return Err(BookingError::Conflict(
            describe(&txn, &occ, (start, end), 0).await?,
        ));
    }
    let block = space_block::ActiveModel {
        space_id: Set(space_id),
        starts_at: Set(start),
        ends_at: Set(end),
        reason: Set(reason.to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Err(e) = occupy(&txn, &ctx.leaves, span, None, Some(block.id)).await {
        txn.rollback().await.ok();
        return Err(match e {
            BookingError::Conflict(_) => {
                BookingError::Conflict(explain_conflict(db, &ctx, (start, end)).await)
            }
            other => other,
        });
    }
    txn.commit().await?;
    Ok(block)
}

pub async fn delete_block(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
) -> Result<(), BookingError> {
    if !actor.is_manager() {
        return Err(BookingError::NotAllowed);
    }
    let txn = begin_write(db).await?;
    space_block::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(BookingError::NotFound)?;
    occupancy::Entity::delete_many()
        .filter(occupancy::Column::BlockId.eq(id))
        .exec(&txn)
        .await?;
    space_block::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Blocks still to come (or under way), soonest first.
pub async fn upcoming_blocks(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<space_block::Model>, DbErr> {
    space_block::Entity::find()
        .filter(space_block::Column::EndsAt.gt(now))
        .order_by_asc(space_block::Column::StartsAt)
        .all(db)
        .await
}

/// Bookings waiting for a decision, soonest first.
pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<booking::Model>, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Pending))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// Bookings of an organisation (or of one member) between two instants, by start.
pub async fn bookings_of(
    db: &impl ConnectionTrait,
    organisation_id: i32,
    only_by: Option<i32>,
) -> Result<Vec<booking::Model>, DbErr> {
    let mut q = booking::Entity::find().filter(booking::Column::OrganisationId.eq(organisation_id));
    if let Some(user) = only_by {
        q = q.filter(booking::Column::BookedBy.eq(user));
    }
    q.order_by_asc(booking::Column::StartsAt).all(db).await
}

/// Active bookings that take any of `leaves` and overlap `[from, until)`.
pub async fn bookings_on_leaves(
    db: &impl ConnectionTrait,
    leaves: &[i32],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<booking::Model>, DbErr> {
    let ids: Vec<i32> = occupancy::Entity::find()
        .filter(occupancy::Column::LeafSpaceId.is_in(leaves.iter().copied()))
        .filter(occupancy::Column::StartsAt.lt(until.timestamp()))
        .filter(occupancy::Column::EndsAt.gt(from.timestamp()))
        .filter(occupancy::Column::BookingId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| o.booking_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    booking::Entity::find()
        .filter(booking::Column::Id.is_in(ids))
        .order_by_asc(booking::Column::StartsAt)
        .all(db)
        .await
}

/// The month summary of an organisation: booked minutes, included minutes, amounts.
pub async fn month_summary(
    db: &impl ConnectionTrait,
    org: &organisation::Model,
    date: NaiveDate,
) -> Result<super::model::MonthSummary, DbErr> {
    let (from, until) = month_span(date);
    let rows = booking::Entity::find()
        .filter(booking::Column::OrganisationId.eq(org.id))
        .filter(booking::Column::StartsAt.gte(from))
        .filter(booking::Column::StartsAt.lt(until))
        .all(db)
        .await?;
    let counted: Vec<&booking::Model> = rows.iter().filter(|b| counts_against_month(b)).collect();
    Ok(super::model::MonthSummary {
        month: date.with_day(1).unwrap_or(date),
        booked_minutes: counted
            .iter()
            .map(|b| (b.ends_at - b.starts_at).num_minutes())
            .sum(),
        included_allowance_minutes: i64::from(org.included_room_minutes),
        included_used_minutes: counted.iter().map(|b| i64::from(b.included_minutes)).sum(),
        amount_cents: counted
            .iter()
            .filter(|b| b.status != BookingStatus::Pending)
            .map(|b| b.amount_cents)
            .sum(),
    })
}

/// Transaction helper for callers that need several reads to agree.
pub async fn read_txn(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin().await
}

/// Bookable spaces with their rules and opening hours, in catalogue order.
pub async fn bookable_spaces(
    db: &impl ConnectionTrait,
) -> Result<Vec<(space::Model, BookingRules, OpeningHours)>, DbErr> {
    let spaces = space::Entity::find()
        .filter(space::Column::Bookable.eq(true))
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?;
    let rules: HashMap<i32, BookingRules> = space_booking_rule::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|r| (r.space_id, rules_of(r)))
        .collect();
    let mut hours_rows: HashMap<i32, Vec<space_opening_hour::Model>> = HashMap::new();
    for h in space_opening_hour::Entity::find().all(db).await? {
        hours_rows.entry(h.space_id).or_default().push(h);
    }
    Ok(spaces
        .into_iter()
        .filter_map(|s| {
            let r = *rules.get(&s.id)?;
            let h = hours_of(hours_rows.get(&s.id).map(Vec::as_slice).unwrap_or_default());
            Some((s, r, h))
        })
        .collect())
}

/// Shift a date by whole days (calendar navigation).
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(days))
        .unwrap_or(date)
}
