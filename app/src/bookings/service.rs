//! Room bookings: the only booking code that touches the database.
//!
//! Every write runs in one transaction opened with [`begin_write`]: on SQLite it holds the
//! write lock from the availability check to the commit; on PostgreSQL the occupancy table's
//! exclusion constraint refuses an overlap even between two transactions that both checked.
use super::model::{
    BlockView, BookingStatus, BookingView, FormError, LocalSlot, MyBookings, Quote, Scope,
};
use super::rules::{
    self, Booker, BookingAction, BookingRules, OpeningHours, SeriesError, UnitRates, Violation,
};
use crate::auth::model::{Role, UserView};
use crate::availability::service::{Occupant, OccupyError, occupy, release};
use crate::db::{Cas, Transition, begin_write, transition};
use crate::entities::{
    booking, booking_series, charge, occupancy, organisation, space, space_block,
    space_booking_rule, space_equipment, space_opening_hour, space_rate, user,
};
// The availability engine's clash detection, re-exported for the booking pages and tools.
pub use crate::availability::service::{children_map, describe, first_clash};
pub use crate::availability::{Clash, EventPhase};
use crate::organisations::model::Tier;
use crate::spaces::model::{Equipment, RateUnit};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};

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

impl From<OccupyError> for BookingError {
    fn from(e: OccupyError) -> Self {
        match e {
            OccupyError::Taken => BookingError::Conflict(Clash::Concurrent),
            OccupyError::Db(e) => BookingError::Db(e),
        }
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
            Role::Organiser | Role::Candidate => Err(BookingError::NotAllowed),
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

/// The price of a slot for an organisation, its included hours first, and the VAT rate.
async fn price_of(
    db: &impl ConnectionTrait,
    ctx: &SpaceContext,
    org: &organisation::Model,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<(rules::Price, i32), BookingError> {
    let date = LocalSlot::from_utc(start, end).date;
    let (rates, vat) = rates_for(db, ctx.space.id, org.tier).await?;
    let available = if ctx.rules.uses_included_hours {
        i64::from(org.included_room_minutes) - included_used(db, org.id, date, &[]).await?
    } else {
        0
    };
    let price = rules::price(rules::elapsed_minutes(start, end), &rates, available)
        .ok_or(BookingError::NoRate)?;
    Ok((price, vat))
}

/// What booking one slot would cost, if it is free now. Writes nothing: the booking form
/// shows it while the user types, and `create` decides again inside its transaction.
pub async fn quote(
    db: &impl ConnectionTrait,
    actor: &Actor,
    req: &NewBooking,
    now: DateTime<Utc>,
) -> Result<Quote, BookingError> {
    let org_id = actor.organisation_for(req.organisation_id)?;
    let ctx = space_context(db, req.space_id).await?;
    let (start, end) = check_request(&ctx, actor, req, &req.slot, now)?;
    let span = rules::occupancy(start, end, ctx.rules.buffer_minutes);
    if let Some(occ) = first_clash(db, &ctx.leaves, span, &[]).await? {
        return Err(BookingError::Conflict(
            describe(db, &occ, (start, end), ctx.rules.buffer_minutes).await?,
        ));
    }
    let org = organisation::Entity::find_by_id(org_id)
        .one(db)
        .await?
        .ok_or(BookingError::NoOrganisation)?;
    let (price, vat) = price_of(db, &ctx, &org, (start, end)).await?;
    Ok(Quote {
        amount_cents: price.amount_cents,
        vat_rate_bp: vat,
        included_minutes: price.included_minutes,
        billable_minutes: price.billable_minutes,
    })
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
    let (price, vat) = price_of(txn, ctx, org, (start, end)).await?;
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
    occupy(txn, &ctx.leaves, span, Occupant::Booking(booking.id)).await?;
    if status == BookingStatus::Confirmed {
        record_charge(txn, &booking, &ctx.space.name, now).await?;
    }
    Ok(booking)
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
    crate::availability::service::explain_conflict(
        db,
        &ctx.leaves,
        span,
        asked,
        ctx.rules.buffer_minutes,
    )
    .await
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

/// The booking as it is now, inside the caller's write transaction, if the actor may apply
/// `action` to it: locked (PostgreSQL) so that a concurrent change or cancellation waits for
/// this one, and checked again (still active, not started) since a first look may be stale.
async fn changeable_now(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i32,
    action: BookingAction,
    now: DateTime<Utc>,
) -> Result<booking::Model, BookingError> {
    let b = booking::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(BookingError::NotFound)?;
    if !actor.sees_details(&b) {
        return Err(BookingError::NotFound);
    }
    if !actor.may_change(&b) {
        return Err(BookingError::NotAllowed);
    }
    rules::next_status(b.status, action).ok_or(BookingError::NotActive)?;
    if b.starts_at <= now {
        return Err(BookingError::Started);
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
        .lock_exclusive()
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
    // Decided inside the write transaction, on the booking as it is now: a change that
    // commits first is cancelled with its new slot; one that comes after finds it cancelled.
    let txn = begin_write(db).await?;
    let b = changeable_now(&txn, actor, id, BookingAction::Cancel, now).await?;
    let ctx = space_context(&txn, b.space_id).await?;
    let mut done = Vec::new();
    for target in in_scope(&txn, &b, scope, now).await? {
        let t = Transition::decide(target.status, |s| {
            rules::next_status(s, BookingAction::Cancel).ok_or(BookingError::NotActive)
        })?;
        let charged = target.status == BookingStatus::Confirmed
            && rules::cancellation_is_charged(
                target.starts_at,
                now,
                ctx.rules.cancel_deadline_hours,
            );
        let moved = transition::<booking::Entity, _>(
            &txn,
            (booking::Column::Id, target.id),
            booking::Column::Status,
            t,
            vec![
                (booking::Column::CancelledAt, Expr::value(now)),
                (booking::Column::CancelledBy, Expr::value(actor.user_id)),
                (booking::Column::CancellationCharged, Expr::value(charged)),
                (booking::Column::UpdatedAt, Expr::value(now)),
            ],
            Condition::all(),
        )
        .await?;
        if moved == Cas::Stale {
            return Err(BookingError::NotActive);
        }
        release(&txn, Occupant::Booking(target.id)).await?;
        if !charged {
            void_charges(&txn, target.id, now).await?;
        }
        done.push(booking::Model {
            status: t.to,
            cancelled_at: Some(now),
            cancelled_by: Some(actor.user_id),
            cancellation_charged: charged,
            updated_at: now,
            ..target
        });
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
    // Decided inside the write transaction, on the booking as it is now: a cancellation that
    // commits first leaves nothing to change; one that comes after frees the new slot.
    let txn = begin_write(db).await?;
    let b = changeable_now(&txn, actor, id, BookingAction::Change, now).await?;
    let ctx = space_context(&txn, b.space_id).await?;
    let targets = in_scope(&txn, &b, scope, now).await?;
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

    let org = locked_organisation(&txn, b.organisation_id).await?;
    // Free the old slots first, so that moving within one's own booking is not a clash.
    for id in &ids {
        release(&txn, Occupant::Booking(*id)).await?;
    }
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
        match occupy(&txn, &ctx.leaves, span, Occupant::Booking(target_id)).await {
            Ok(()) => {}
            Err(OccupyError::Taken) => {
                txn.rollback().await.ok();
                let clash = explain_conflict(db, &ctx, (start, end)).await;
                return Err(if scope == Scope::This {
                    BookingError::Conflict(clash)
                } else {
                    BookingError::ConflictOn { date, clash }
                });
            }
            Err(OccupyError::Db(e)) => return Err(e.into()),
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
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(BookingError::NotFound)?;
    let action = if approve {
        BookingAction::Approve
    } else {
        BookingAction::Refuse
    };
    let t = Transition::decide(b.status, |s| {
        rules::next_status(s, action).ok_or(BookingError::NotPending)
    })?;
    let moved = transition::<booking::Entity, _>(
        &txn,
        (booking::Column::Id, id),
        booking::Column::Status,
        t,
        vec![
            (booking::Column::DecidedBy, Expr::value(actor.user_id)),
            (booking::Column::UpdatedAt, Expr::value(now)),
        ],
        Condition::all(),
    )
    .await?;
    if moved == Cas::Stale {
        return Err(BookingError::NotPending);
    }
    let updated = booking::Model {
        status: t.to,
        decided_by: Some(actor.user_id),
        updated_at: now,
        ..b
    };
    if approve {
        let space = space::Entity::find_by_id(updated.space_id)
            .one(&txn)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        record_charge(&txn, &updated, &space, now).await?;
    } else {
        release(&txn, Occupant::Booking(updated.id)).await?;
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
    if let Err(e) = occupy(&txn, &ctx.leaves, span, Occupant::Block(block.id)).await {
        txn.rollback().await.ok();
        return Err(match e {
            OccupyError::Taken => {
                BookingError::Conflict(explain_conflict(db, &ctx, (start, end)).await)
            }
            OccupyError::Db(e) => e.into(),
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
    release(&txn, Occupant::Block(id)).await?;
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

/// Every bookable space with its rules and opening hours, in code order.
pub async fn bookable_spaces(
    db: &impl ConnectionTrait,
) -> Result<Vec<(space::Model, BookingRules, OpeningHours)>, DbErr> {
    let spaces = bookable(None, None)
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?;
    with_rules(db, spaces).await
}

/// One page of the bookable spaces of a kind and size, and how many there are in all. It
/// reads only the page's spaces and their rules, so a page costs the same in any size of hub.
pub async fn bookable_spaces_page(
    db: &impl ConnectionTrait,
    kind: Option<crate::spaces::model::SpaceKind>,
    min_capacity: Option<i32>,
    offset: usize,
    limit: usize,
) -> Result<(usize, Vec<(space::Model, BookingRules, OpeningHours)>), DbErr> {
    use sea_orm::PaginatorTrait;
    let total = bookable(kind, min_capacity).count(db).await?;
    let spaces = bookable(kind, min_capacity)
        .order_by_asc(space::Column::Code)
        .offset(u64::try_from(offset).unwrap_or(u64::MAX))
        .limit(u64::try_from(limit).unwrap_or(u64::MAX))
        .all(db)
        .await?;
    Ok((
        usize::try_from(total).unwrap_or(usize::MAX),
        with_rules(db, spaces).await?,
    ))
}

/// Bookable spaces are those marked so that have their booking rules.
fn bookable(
    kind: Option<crate::spaces::model::SpaceKind>,
    min_capacity: Option<i32>,
) -> sea_orm::Select<space::Entity> {
    let with_rules = sea_orm::sea_query::Query::select()
        .column(space_booking_rule::Column::SpaceId)
        .from(space_booking_rule::Entity)
        .to_owned();
    let mut query = space::Entity::find()
        .filter(space::Column::Bookable.eq(true))
        .filter(space::Column::Id.in_subquery(with_rules));
    if let Some(kind) = kind {
        query = query.filter(space::Column::Kind.eq(kind));
    }
    if let Some(min) = min_capacity {
        query = query.filter(space::Column::Capacity.gte(min));
    }
    query
}

/// These spaces' rules and opening hours, read for these spaces only.
async fn with_rules(
    db: &impl ConnectionTrait,
    spaces: Vec<space::Model>,
) -> Result<Vec<(space::Model, BookingRules, OpeningHours)>, DbErr> {
    let ids: Vec<i32> = spaces.iter().map(|s| s.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rules: HashMap<i32, BookingRules> = space_booking_rule::Entity::find()
        .filter(space_booking_rule::Column::SpaceId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .iter()
        .map(|r| (r.space_id, rules_of(r)))
        .collect();
    let mut hours_rows: HashMap<i32, Vec<space_opening_hour::Model>> = HashMap::new();
    for h in space_opening_hour::Entity::find()
        .filter(space_opening_hour::Column::SpaceId.is_in(ids))
        .all(db)
        .await?
    {
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

// ---------------------------------------------------------------------------------------------
// What the pages show.

/// The actor's bookings (all of the organisation's for its referent, their own otherwise),
/// upcoming, past and cancelled, with the summaries of up to three months.
pub async fn my_bookings(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<MyBookings, DbErr> {
    let (rows, org) = match actor.organisation_id {
        Some(org_id) => {
            let only_mine = (!actor.is_referent).then_some(actor.user_id);
            let org = organisation::Entity::find_by_id(org_id).one(db).await?;
            (bookings_of(db, org_id, only_mine).await?, org)
        }
        None => (
            booking::Entity::find()
                .filter(booking::Column::BookedBy.eq(actor.user_id))
                .order_by_asc(booking::Column::StartsAt)
                .all(db)
                .await?,
            None,
        ),
    };
    // One pass of name lookups for all of them, then sorted into the page's three lists.
    let views = booking_views(db, actor, &rows, now).await?;
    let (mut upcoming, mut past, mut cancelled) = (Vec::new(), Vec::new(), Vec::new());
    for (b, view) in rows.iter().zip(views) {
        match (b.status.is_active(), b.ends_at > now) {
            (false, _) => cancelled.push(view),
            (true, true) => upcoming.push(view),
            (true, false) => past.push(view),
        }
    }
    // Most recent first for what is behind.
    past.reverse();
    cancelled.reverse();
    let mut months = Vec::new();
    if let Some(o) = &org {
        let mut firsts: Vec<NaiveDate> = std::iter::once(super::rules::paris_today(now))
            .chain(upcoming.iter().map(|b| b.slot.date))
            .filter_map(|d| d.with_day(1))
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        // At most three months, one query each.
        for first in firsts.into_iter().take(3) {
            months.push(month_summary(db, o, first).await?);
        }
    }
    Ok(MyBookings {
        organisation: org.map(|o| o.name),
        upcoming,
        past,
        cancelled,
        months,
        whole_organisation: actor.is_referent,
    })
}

/// One booking, if the actor may see its details; `NotFound` otherwise, so that a stranger
/// cannot tell a hidden booking from a missing one.
pub async fn booking_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    now: DateTime<Utc>,
) -> Result<BookingView, BookingError> {
    let b = visible_booking(db, actor, id)
        .await?
        .ok_or(BookingError::NotFound)?;
    booking_views(db, actor, &[b], now)
        .await?
        .into_iter()
        .next()
        .ok_or(BookingError::NotFound)
}

/// A booking the actor may see the details of, with the name of its space (for its .ics file).
pub async fn visible_booking_with_space(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
) -> Result<Option<(booking::Model, String)>, DbErr> {
    let Some(b) = visible_booking(db, actor, id).await? else {
        return Ok(None);
    };
    let space = space::Entity::find_by_id(b.space_id)
        .one(db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    Ok(Some((b, space)))
}

async fn visible_booking(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
) -> Result<Option<booking::Model>, DbErr> {
    Ok(booking::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|b| actor.sees_details(b)))
}

/// The blocks still to come, with their spaces' names, in two queries.
pub async fn block_views(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<BlockView>, DbErr> {
    let blocks = upcoming_blocks(db, now).await?;
    let names: HashMap<i32, String> = space::Entity::find()
        .filter(space::Column::Id.is_in(blocks.iter().map(|b| b.space_id).collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(blocks
        .into_iter()
        .map(|b| BlockView {
            id: b.id,
            space_name: names.get(&b.space_id).cloned().unwrap_or_default(),
            starts_at: b.starts_at.to_rfc3339(),
            slot: LocalSlot::from_utc(b.starts_at, b.ends_at),
            reason: b.reason,
        })
        .collect())
}

/// Bookings as `actor` may see them, names resolved in four queries whatever their number.
pub async fn booking_views(
    db: &impl ConnectionTrait,
    actor: &Actor,
    bookings: &[booking::Model],
    now: DateTime<Utc>,
) -> Result<Vec<BookingView>, DbErr> {
    let ids = |f: fn(&booking::Model) -> i32| bookings.iter().map(f).collect::<HashSet<i32>>();
    let spaces: HashMap<i32, String> = space::Entity::find()
        .filter(space::Column::Id.is_in(ids(|b| b.space_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let orgs: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids(|b| b.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let users: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids(|b| b.booked_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let deadlines: HashMap<i32, u32> = space_booking_rule::Entity::find()
        .filter(space_booking_rule::Column::SpaceId.is_in(ids(|b| b.space_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.space_id,
                u32::try_from(r.cancel_deadline_hours).unwrap_or(0),
            )
        })
        .collect();
    Ok(bookings
        .iter()
        .map(|b| {
            let sees = actor.sees_details(b);
            BookingView {
                id: b.id,
                space_id: b.space_id,
                space_name: spaces.get(&b.space_id).cloned().unwrap_or_default(),
                title: if sees { b.title.clone() } else { String::new() },
                organisation: if sees {
                    orgs.get(&b.organisation_id).cloned().unwrap_or_default()
                } else {
                    String::new()
                },
                booked_by: if sees {
                    users.get(&b.booked_by).cloned().unwrap_or_default()
                } else {
                    String::new()
                },
                slot: LocalSlot::from_utc(b.starts_at, b.ends_at),
                attendees: u32::try_from(b.attendees).unwrap_or(0),
                equipment: parse_equipment_codes(&b.equipment),
                status: b.status,
                series_id: b.series_id,
                quote: Quote {
                    amount_cents: b.amount_cents,
                    vat_rate_bp: b.vat_rate_bp,
                    included_minutes: i64::from(b.included_minutes),
                    billable_minutes: i64::from(b.billable_minutes),
                },
                cancellation_charged: b.cancellation_charged,
                late_to_cancel: super::rules::cancellation_is_charged(
                    b.starts_at,
                    now,
                    deadlines.get(&b.space_id).copied().unwrap_or(0),
                ),
                can_change: actor.may_change(b) && b.status.is_active() && b.starts_at > now,
                starts_at: b.starts_at.to_rfc3339(),
                ends_at: b.ends_at.to_rfc3339(),
            }
        })
        .collect())
}

/// Shift a date by whole days (calendar navigation).
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(days))
        .unwrap_or(date)
}
