//! Hosting's database work: leases, their versions and the lets that keep a unit from being
//! let twice. The only hosting code that touches the database.
use super::model::{
    Amendment, EarlyEnd, LeaseDetail, LeaseFormOptions, LeaseLineView, LeaseStatus, LeaseSummary,
    LeaseVersionView, NewLease, UnitOffer, UnitTerm,
};
use crate::db::{Cas, Transition, begin_write, lost_race, transition};
use crate::entities::{
    lease, lease_line, lease_version, organisation, space, unit_let, unit_price,
};
use crate::organisations::model::Tier;
use crate::spaces::model::SpaceKind;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum HostingError {
    #[error("unknown organisation")]
    UnknownOrganisation,
    #[error("unknown unit {0}")]
    UnknownUnit(i32),
    #[error("{0} is not a leasable unit")]
    NotLeasable(String),
    #[error("{0} has no list price for the tier")]
    NoListPrice(String),
    #[error("a discount on {0} needs a reason")]
    DiscountWithoutReason(String),
    #[error("{unit} is let to {organisation} (lease {lease})")]
    AlreadyLet {
        unit: String,
        lease: i32,
        organisation: String,
    },
    #[error("{unit} is promised to {organisation}")]
    Promised { unit: String, organisation: String },
    #[error("the application is not ready for a lease")]
    ApplicationNotReady,
    #[error("lease not found")]
    NotFound,
    #[error("amendment refused: {0:?}")]
    Amend(super::rules::AmendRefused),
    #[error("early end refused: {0:?}")]
    End(super::rules::EndRefused),
    #[error("notice refused: {0:?}")]
    Notice(super::rules::NoticeRefused),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The kinds of unit a lease can hold.
pub const LEASABLE: [SpaceKind; 3] = [SpaceKind::Office, SpaceKind::Desk, SpaceKind::Storage];

/// Records a signed lease: the lease, its first version with one line per unit, and one let
/// per unit. One transaction; on SQLite it holds the write lock from the check to the commit,
/// and on PostgreSQL the exclusion constraint settles a race. Either way, of two managers
/// letting one office at once, one wins and the other is told which lease holds it.
pub async fn create_lease(
    db: &DatabaseConnection,
    by: i32,
    new: &NewLease,
    now: DateTime<Utc>,
) -> Result<i32, HostingError> {
    let outcome = try_create_lease(db, by, new, now).await;
    match outcome {
        Err(HostingError::Db(e)) if lost_race(&e) => {
            let clash = clash_in(db, &unit_ids(&new.units), new.starts_on, new.ends_on).await?;
            Err(clash.unwrap_or(HostingError::Db(e)))
        }
        other => other,
    }
}

async fn try_create_lease(
    db: &DatabaseConnection,
    by: i32,
    new: &NewLease,
    now: DateTime<Utc>,
) -> Result<i32, HostingError> {
    let txn = begin_write(db).await?;
    let org = organisation::Entity::find_by_id(new.organisation_id)
        .one(&txn)
        .await?
        .ok_or(HostingError::UnknownOrganisation)?;
    let lines = priced(&txn, org.tier, &new.units).await?;
    if let Some(clash) = clash_in(&txn, &unit_ids(&new.units), new.starts_on, new.ends_on).await? {
        return Err(clash);
    }
    if let Some((unit, organisation)) = crate::applications::service::promised_to_other(
        &txn,
        &unit_ids(&new.units),
        new.application_id,
    )
    .await?
    {
        return Err(HostingError::Promised { unit, organisation });
    }
    let monthly: i64 = lines.iter().map(|(_, _, fee, _)| fee).sum();
    let lease = lease::ActiveModel {
        organisation_id: Set(org.id),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        notice_months: Set(new.notice_months),
        deposit_cents: Set(new.deposit_cents.unwrap_or(monthly * 2)),
        included_room_minutes: Set(new.included_room_minutes),
        billing_day: Set(new.billing_day),
        status: Set(LeaseStatus::Active),
        notice_given_on: Set(None),
        notice_given_by: Set(None),
        end_reason: Set(None),
        tier_before: Set(org.tier),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let version = lease_version::ActiveModel {
        lease_id: Set(lease.id),
        number: Set(1),
        effective_from: Set(new.starts_on),
        reason: Set(String::new()),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_lines(&txn, version.id, &lines).await?;
    for (space, ..) in &lines {
        insert_let(&txn, space.id, lease.id, (new.starts_on, new.ends_on)).await?;
    }
    if let Some(application) = new.application_id
        && !crate::applications::service::attach_lease(&txn, application, org.id, lease.id, now)
            .await?
    {
        return Err(HostingError::ApplicationNotReady);
    }
    txn.commit().await?;
    Ok(lease.id)
}

/// A unit's line as it will be written: the unit, its list price for the tier, the fee and
/// the discount's reason.
type Priced = (space::Model, unit_price::Model, i64, Option<String>);

/// Prices each unit for an organisation of `tier`: its list price unless a fee is set, and a
/// fee below the list price only with its reason.
async fn priced(
    conn: &impl ConnectionTrait,
    tier: Tier,
    units: &[UnitTerm],
) -> Result<Vec<Priced>, HostingError> {
    let mut lines = Vec::with_capacity(units.len());
    for unit in units {
        let space = space::Entity::find_by_id(unit.space_id)
            .one(conn)
            .await?
            .ok_or(HostingError::UnknownUnit(unit.space_id))?;
        if !LEASABLE.contains(&space.kind) {
            return Err(HostingError::NotLeasable(space.name));
        }
        let price = unit_price::Entity::find()
            .filter(unit_price::Column::SpaceId.eq(space.id))
            .filter(unit_price::Column::Tier.eq(tier))
            .one(conn)
            .await?
            .ok_or_else(|| HostingError::NoListPrice(space.name.clone()))?;
        let fee = unit.fee_cents.unwrap_or(price.monthly_cents);
        let reason = unit.discount_reason.clone().filter(|r| !r.is_empty());
        if fee < price.monthly_cents && reason.is_none() {
            return Err(HostingError::DiscountWithoutReason(space.name));
        }
        lines.push((space, price, fee, reason));
    }
    Ok(lines)
}

fn unit_ids(units: &[UnitTerm]) -> Vec<i32> {
    units.iter().map(|u| u.space_id).collect()
}

async fn insert_lines(
    conn: &impl ConnectionTrait,
    version_id: i32,
    lines: &[Priced],
) -> Result<(), DbErr> {
    for (space, price, fee, reason) in lines {
        lease_line::ActiveModel {
            version_id: Set(version_id),
            space_id: Set(space.id),
            list_fee_cents: Set(price.monthly_cents),
            fee_cents: Set(*fee),
            discount_reason: Set(reason.clone()),
            vat_rate_bp: Set(price.vat_rate_bp),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

async fn insert_let(
    conn: &impl ConnectionTrait,
    space_id: i32,
    lease_id: i32,
    (from, until): (NaiveDate, Option<NaiveDate>),
) -> Result<(), DbErr> {
    unit_let::ActiveModel {
        space_id: Set(space_id),
        lease_id: Set(lease_id),
        starts_on: Set(from),
        ends_on: Set(until),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Whether one of `units` is already let on a day from `from` to `until` (none: open-ended),
/// named by the lease that holds it. After a lost race the transaction is gone, and this reads
/// again outside it.
async fn clash_in(
    conn: &impl ConnectionTrait,
    units: &[i32],
    from: NaiveDate,
    until: Option<NaiveDate>,
) -> Result<Option<HostingError>, DbErr> {
    if units.is_empty() {
        return Ok(None);
    }
    let mut overlap = Condition::all()
        .add(unit_let::Column::SpaceId.is_in(units.iter().copied()))
        .add(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(from)),
        );
    if let Some(end) = until {
        overlap = overlap.add(unit_let::Column::StartsOn.lte(end));
    }
    let Some(found) = unit_let::Entity::find()
        .filter(overlap)
        .order_by_asc(unit_let::Column::StartsOn)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let unit = space::Entity::find_by_id(found.space_id)
        .one(conn)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let holder = match lease::Entity::find_by_id(found.lease_id).one(conn).await? {
        Some(l) => organisation::Entity::find_by_id(l.organisation_id)
            .one(conn)
            .await?
            .map(|o| o.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(Some(HostingError::AlreadyLet {
        unit,
        lease: found.lease_id,
        organisation: holder,
    }))
}

/// The lease form's choices: organisations, and every leasable unit with its prices and who
/// holds it on `today`.
pub async fn form_options(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> Result<LeaseFormOptions, DbErr> {
    let organisations = crate::organisations::service::options(db).await?;
    let spaces = space::Entity::find()
        .filter(space::Column::Kind.is_in(LEASABLE))
        .order_by_asc(space::Column::Kind)
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?;
    let prices = unit_price::Entity::find().all(db).await?;
    let holders = lets_on(db, today).await?;
    let units = spaces
        .into_iter()
        .map(|s| {
            let mine: Vec<&unit_price::Model> =
                prices.iter().filter(|p| p.space_id == s.id).collect();
            let held = holders.get(&s.id);
            UnitOffer {
                id: s.id,
                code: s.code,
                name: s.name,
                kind: s.kind,
                area_m2: s.area_m2,
                capacity: s.capacity,
                prices: Tier::ALL
                    .iter()
                    .map(|t| mine.iter().find(|p| p.tier == *t).map(|p| p.monthly_cents))
                    .collect(),
                vat_rate_bp: mine.first().map_or(0, |p| p.vat_rate_bp),
                let_to: held.map(|(name, _)| name.clone()),
                let_until: held.and_then(|(_, until)| *until),
            }
        })
        .collect();
    Ok(LeaseFormOptions {
        organisations,
        units,
        prefill: None,
    })
}

/// Who holds each unit let on `day`: the organisation's name and the let's last day.
async fn lets_on(
    db: &DatabaseConnection,
    day: NaiveDate,
) -> Result<HashMap<i32, (String, Option<NaiveDate>)>, DbErr> {
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::StartsOn.lte(day))
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(day)),
        )
        .all(db)
        .await?;
    let leases = lease::Entity::find()
        .filter(lease::Column::Id.is_in(lets.iter().map(|l| l.lease_id)))
        .all(db)
        .await?;
    let names = organisation_names(db).await?;
    Ok(lets
        .into_iter()
        .filter_map(|l| {
            let lease = leases.iter().find(|x| x.id == l.lease_id)?;
            let name = names
                .get(&lease.organisation_id)
                .cloned()
                .unwrap_or_default();
            Some((l.space_id, (name, l.ends_on)))
        })
        .collect())
}

async fn organisation_names(db: &DatabaseConnection) -> Result<HashMap<i32, String>, DbErr> {
    Ok(organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// Leases, newest first; `organisation` narrows them to one organisation's.
pub async fn leases(
    db: &DatabaseConnection,
    organisation: Option<i32>,
    today: NaiveDate,
) -> Result<Vec<LeaseSummary>, DbErr> {
    let mut query = lease::Entity::find().order_by_desc(lease::Column::StartsOn);
    if let Some(org) = organisation {
        query = query.filter(lease::Column::OrganisationId.eq(org));
    }
    let rows = query.all(db).await?;
    let names = organisation_names(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let versions = versions_of(db, row.id).await?;
        out.push(summary(&row, &names, &versions, today));
    }
    Ok(out)
}

/// A lease's versions, oldest first, each with its lines and their units.
async fn versions_of(
    db: &DatabaseConnection,
    lease_id: i32,
) -> Result<Vec<LeaseVersionView>, DbErr> {
    let versions = lease_version::Entity::find()
        .filter(lease_version::Column::LeaseId.eq(lease_id))
        .order_by_asc(lease_version::Column::Number)
        .all(db)
        .await?;
    let lines = lease_line::Entity::find()
        .filter(lease_line::Column::VersionId.is_in(versions.iter().map(|v| v.id)))
        .order_by_asc(lease_line::Column::Id)
        .all(db)
        .await?;
    let spaces = space::Entity::find()
        .filter(space::Column::Id.is_in(lines.iter().map(|l| l.space_id)))
        .all(db)
        .await?;
    let authors = crate::entities::user::Entity::find()
        .filter(crate::entities::user::Column::Id.is_in(versions.iter().map(|v| v.created_by)))
        .all(db)
        .await?;
    let next_from: Vec<Option<NaiveDate>> = versions
        .iter()
        .skip(1)
        .map(|v| Some(v.effective_from))
        .chain(std::iter::once(None))
        .collect();
    Ok(versions
        .iter()
        .zip(next_from)
        .map(|(v, next)| LeaseVersionView {
            number: v.number,
            effective_from: v.effective_from,
            effective_until: next.and_then(|d| d.pred_opt()),
            reason: v.reason.clone(),
            created_by: authors
                .iter()
                .find(|u| u.id == v.created_by)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            lines: lines
                .iter()
                .filter(|l| l.version_id == v.id)
                .filter_map(|l| {
                    let s = spaces.iter().find(|s| s.id == l.space_id)?;
                    Some(LeaseLineView {
                        space_id: s.id,
                        unit: s.name.clone(),
                        kind: s.kind,
                        area_m2: s.area_m2,
                        list_fee_cents: l.list_fee_cents,
                        fee_cents: l.fee_cents,
                        discount_reason: l.discount_reason.clone(),
                        vat_rate_bp: l.vat_rate_bp,
                    })
                })
                .collect(),
        })
        .collect())
}

fn summary(
    row: &lease::Model,
    names: &HashMap<i32, String>,
    versions: &[LeaseVersionView],
    today: NaiveDate,
) -> LeaseSummary {
    // The version in force today, or the first one for a lease that has not started.
    let current = versions
        .iter()
        .rev()
        .find(|v| v.effective_from <= today)
        .or(versions.first());
    let lines = current.map(|v| v.lines.as_slice()).unwrap_or_default();
    LeaseSummary {
        id: row.id,
        organisation: names.get(&row.organisation_id).cloned().unwrap_or_default(),
        organisation_id: row.organisation_id,
        status: super::rules::status_on(row.status, row.ends_on, today),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        units: lines.iter().map(|l| l.unit.clone()).collect(),
        monthly_fee_cents: lines.iter().map(|l| l.fee_cents).sum(),
    }
}

/// One lease with its history.
pub async fn lease_detail(
    db: &DatabaseConnection,
    id: i32,
    today: NaiveDate,
) -> Result<Option<LeaseDetail>, DbErr> {
    let Some(row) = lease::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let names = organisation_names(db).await?;
    let versions = versions_of(db, id).await?;
    Ok(Some(LeaseDetail {
        summary: summary(&row, &names, &versions, today),
        notice_months: row.notice_months,
        deposit_cents: row.deposit_cents,
        included_room_minutes: row.included_room_minutes,
        billing_day: row.billing_day,
        notice_given_on: row.notice_given_on,
        end_reason: row.end_reason.clone(),
        versions,
        // What the caller may do is for the server function to say.
        may_change: false,
        notice_would_end: super::rules::notice(
            row.status,
            row.starts_on,
            row.ends_on,
            u32::try_from(row.notice_months).unwrap_or(0),
            today,
        )
        .ok(),
    }))
}

/// Notice given on `today` by `by`: the lease, and every let of its units, end on the day the
/// notice period brings. One transaction; the status moves by compare-and-set, so notice given
/// twice at once is recorded once. Returns the lease's last day.
pub async fn give_notice(
    db: &DatabaseConnection,
    lease_id: i32,
    by: i32,
    today: NaiveDate,
) -> Result<NaiveDate, HostingError> {
    use sea_orm::sea_query::Expr;
    let txn = begin_write(db).await?;
    let row = lease::Entity::find_by_id(lease_id)
        .one(&txn)
        .await?
        .ok_or(HostingError::NotFound)?;
    let months = u32::try_from(row.notice_months).unwrap_or(0);
    let end = super::rules::notice(row.status, row.starts_on, row.ends_on, months, today)
        .map_err(HostingError::Notice)?;
    let moved = transition::<lease::Entity, _>(
        &txn,
        (lease::Column::Id, lease_id),
        lease::Column::Status,
        Transition {
            from: LeaseStatus::Active,
            to: LeaseStatus::NoticeGiven,
        },
        vec![
            (lease::Column::EndsOn, Expr::value(end)),
            (lease::Column::NoticeGivenOn, Expr::value(today)),
            (lease::Column::NoticeGivenBy, Expr::value(by)),
        ],
        Condition::all(),
    )
    .await?;
    if moved == Cas::Stale {
        return Err(HostingError::Notice(
            super::rules::NoticeRefused::AlreadyGiven,
        ));
    }
    drop_lets_after(&txn, lease_id, end).await?;
    // Shortening a let never makes it overlap another.
    unit_let::Entity::update_many()
        .col_expr(unit_let::Column::EndsOn, Expr::value(end))
        .filter(unit_let::Column::LeaseId.eq(lease_id))
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gt(end)),
        )
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(end)
}

/// A lease and its latest version, read inside the caller's write transaction.
async fn lease_and_latest(
    conn: &impl ConnectionTrait,
    lease_id: i32,
) -> Result<(lease::Model, lease_version::Model), HostingError> {
    let row = lease::Entity::find_by_id(lease_id)
        .one(conn)
        .await?
        .ok_or(HostingError::NotFound)?;
    let latest = lease_version::Entity::find()
        .filter(lease_version::Column::LeaseId.eq(lease_id))
        .order_by_desc(lease_version::Column::Number)
        .one(conn)
        .await?
        .ok_or(HostingError::NotFound)?;
    Ok((row, latest))
}

/// New terms for a lease from `a.effective_from`: a version numbered after the latest, its
/// lines, the lets of added units from that day and the lets of removed units ended the day
/// before. Earlier versions are never touched. One transaction; an added unit let to someone
/// else over those days is refused with the lease that holds it. Returns the version's number.
pub async fn amend_lease(
    db: &DatabaseConnection,
    lease_id: i32,
    by: i32,
    a: &Amendment,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i32, HostingError> {
    match try_amend(db, lease_id, by, a, today, now).await {
        Err(HostingError::Db(e)) if lost_race(&e) => {
            let ends_on = lease::Entity::find_by_id(lease_id)
                .one(db)
                .await?
                .and_then(|l| l.ends_on);
            let ids = unit_ids(&a.units);
            let clash = clash_in(db, &ids, a.effective_from, ends_on).await?;
            // The lease's own lets overlap its new terms by design: only another's clash counts.
            Err(clash
                .filter(
                    |c| !matches!(c, HostingError::AlreadyLet { lease, .. } if *lease == lease_id),
                )
                .unwrap_or(HostingError::Db(e)))
        }
        other => other,
    }
}

async fn try_amend(
    db: &DatabaseConnection,
    lease_id: i32,
    by: i32,
    a: &Amendment,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i32, HostingError> {
    let txn = begin_write(db).await?;
    let (row, latest) = lease_and_latest(&txn, lease_id).await?;
    super::rules::amendment_day(
        row.status,
        row.ends_on,
        latest.effective_from,
        a.effective_from,
        today,
    )
    .map_err(HostingError::Amend)?;
    // Priced at the tier the organisation had when it signed: the lease's own terms.
    let lines = priced(&txn, row.tier_before, &a.units).await?;
    let before: Vec<i32> = lease_line::Entity::find()
        .filter(lease_line::Column::VersionId.eq(latest.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| l.space_id)
        .collect();
    let after = unit_ids(&a.units);
    let added: Vec<i32> = after
        .iter()
        .copied()
        .filter(|u| !before.contains(u))
        .collect();
    let removed: Vec<i32> = before
        .iter()
        .copied()
        .filter(|u| !after.contains(u))
        .collect();
    if let Some(clash) = clash_in(&txn, &added, a.effective_from, row.ends_on).await? {
        return Err(clash);
    }
    let version = lease_version::ActiveModel {
        lease_id: Set(lease_id),
        number: Set(latest.number + 1),
        effective_from: Set(a.effective_from),
        reason: Set(a.reason.clone()),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_lines(&txn, version.id, &lines).await?;
    if let Some(eve) = a.effective_from.pred_opt() {
        use sea_orm::sea_query::Expr;
        unit_let::Entity::update_many()
            .col_expr(unit_let::Column::EndsOn, Expr::value(eve))
            .filter(unit_let::Column::LeaseId.eq(lease_id))
            .filter(unit_let::Column::SpaceId.is_in(removed))
            .filter(
                Condition::any()
                    .add(unit_let::Column::EndsOn.is_null())
                    .add(unit_let::Column::EndsOn.gte(a.effective_from)),
            )
            .exec(&txn)
            .await?;
    }
    for unit in added {
        insert_let(&txn, unit, lease_id, (a.effective_from, row.ends_on)).await?;
    }
    txn.commit().await?;
    Ok(version.number)
}

/// Removes the lets of units that an amendment adds after `end`, the lease's new last day:
/// they would never start. The amendment's version stays in the history, as signed.
async fn drop_lets_after(
    conn: &impl ConnectionTrait,
    lease_id: i32,
    end: NaiveDate,
) -> Result<(), DbErr> {
    unit_let::Entity::delete_many()
        .filter(unit_let::Column::LeaseId.eq(lease_id))
        .filter(unit_let::Column::StartsOn.gt(end))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends a lease early, by agreement, with `e.ends_on` as its last day: the lease and the lets
/// of its units end then, and the reason stays on the lease. One transaction; the change is a
/// compare-and-set on the end read inside it, so two managers ending it at once record one end.
pub async fn end_early(
    db: &DatabaseConnection,
    lease_id: i32,
    e: &EarlyEnd,
    today: NaiveDate,
) -> Result<(), HostingError> {
    use sea_orm::sea_query::Expr;
    let txn = begin_write(db).await?;
    let (row, latest) = lease_and_latest(&txn, lease_id).await?;
    super::rules::early_end(
        row.status,
        (row.starts_on, row.ends_on),
        latest.effective_from,
        e.ends_on,
        today,
    )
    .map_err(HostingError::End)?;
    let unchanged = match row.ends_on {
        Some(end) => lease::Column::EndsOn.eq(end),
        None => lease::Column::EndsOn.is_null(),
    };
    let moved = transition::<lease::Entity, _>(
        &txn,
        (lease::Column::Id, lease_id),
        lease::Column::Status,
        Transition {
            from: row.status,
            to: row.status,
        },
        vec![
            (lease::Column::EndsOn, Expr::value(e.ends_on)),
            (lease::Column::EndReason, Expr::value(e.reason.clone())),
        ],
        Condition::all().add(unchanged),
    )
    .await?;
    if moved == Cas::Stale {
        return Err(HostingError::End(super::rules::EndRefused::NotEarlier));
    }
    drop_lets_after(&txn, lease_id, e.ends_on).await?;
    // Lets end with the lease; shortening one never makes it overlap another.
    unit_let::Entity::update_many()
        .col_expr(unit_let::Column::EndsOn, Expr::value(e.ends_on))
        .filter(unit_let::Column::LeaseId.eq(lease_id))
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gt(e.ends_on)),
        )
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves organisations to the `resident` tier while they hold a lease in force on `today`,
/// and back to the tier they had before their leases once the last one has ended. An
/// organisation made resident by hand, without a lease, keeps its tier. Each change is a
/// compare-and-set on the tier read, in one transaction. Returns how many moved.
pub async fn sync_tiers(db: &DatabaseConnection, today: NaiveDate) -> Result<u64, DbErr> {
    let txn = begin_write(db).await?;
    let leases = lease::Entity::find()
        .order_by_desc(lease::Column::StartsOn)
        .all(&txn)
        .await?;
    // Per organisation with a lease: whether one is in force, and the tier it had before its
    // latest lease (newest first, the first one that was not already resident).
    let mut holders: HashMap<i32, (bool, Option<Tier>)> = HashMap::new();
    for l in &leases {
        let (in_force, before) = holders.entry(l.organisation_id).or_insert((false, None));
        *in_force |= l.starts_on <= today
            && super::rules::status_on(l.status, l.ends_on, today) != LeaseStatus::Ended;
        if before.is_none() && l.tier_before != Tier::Resident {
            *before = Some(l.tier_before);
        }
    }
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(holders.keys().copied()))
        .all(&txn)
        .await?;
    let mut moved = 0;
    for org in orgs {
        let target = match holders.get(&org.id) {
            Some((true, _)) => Tier::Resident,
            // Only a resident whose leases have all ended goes back.
            Some((false, Some(before))) if org.tier == Tier::Resident => *before,
            _ => continue,
        };
        if target == org.tier {
            continue;
        }
        let done = organisation::Entity::update_many()
            .col_expr(
                organisation::Column::Tier,
                sea_orm::sea_query::Expr::value(target),
            )
            .filter(organisation::Column::Id.eq(org.id))
            .filter(organisation::Column::Tier.eq(org.tier))
            .exec(&txn)
            .await?;
        moved += done.rows_affected;
    }
    txn.commit().await?;
    Ok(moved)
}

/// The first day of the month `months` after (year, month).
fn month_start(year: i32, month: u32, months: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_months(chrono::Months::new(months))
}

/// The months from (year, month), `count` of them, as (year, month).
fn month_list(year: i32, month: u32, count: u32) -> Vec<(i32, u32)> {
    use chrono::Datelike;
    (0..count)
        .filter_map(|i| month_start(year, month, i))
        .map(|d| (d.year(), d.month()))
        .collect()
}

/// The occupancy dashboard: the months of `range`, the twelve months from `today`'s, the units
/// that free up within a year, and the bookable spaces' use over the range's last month.
/// Reads only the leases that touch those months.
pub async fn occupancy(
    db: &DatabaseConnection,
    range: super::model::MonthRange,
    today: NaiveDate,
    locale: crate::i18n::Locale,
) -> Result<super::model::Occupancy, DbErr> {
    use super::rules::{LetSpan, UnitFact, VersionTerms, month_figures, stints};
    use chrono::Datelike;
    use sea_orm::sea_query::Query;
    let this_month = (today.year(), today.month());
    let count = range.count;
    let (year, month) = range.first().unwrap_or(this_month);
    let (Some(first), Some(last), Some(after), Some(forecast_end)) = (
        month_start(year, month, 0),
        month_start(range.year, range.month, 0),
        month_start(year, month, count),
        month_start(this_month.0, this_month.1, 12),
    ) else {
        return Err(DbErr::Custom("no such month".into()));
    };
    let from = first.min(today);
    let until = after.max(forecast_end);
    let units: Vec<space::Model> = space::Entity::find()
        .filter(space::Column::Kind.is_in(LEASABLE))
        .all(db)
        .await?;
    let facts: Vec<UnitFact> = units
        .iter()
        .map(|u| UnitFact {
            id: u.id,
            kind: u.kind,
            area_m2: i64::from(u.area_m2),
            capacity: i64::from(u.capacity),
        })
        .collect();
    // The leases that touch [from, until), their versions and lines, in three queries.
    let touching = Condition::all().add(lease::Column::StartsOn.lt(until)).add(
        Condition::any()
            .add(lease::Column::EndsOn.is_null())
            .add(lease::Column::EndsOn.gte(from)),
    );
    let leases = lease::Entity::find()
        .filter(touching.clone())
        .all(db)
        .await?;
    let lease_ids = Query::select()
        .column(lease::Column::Id)
        .from(lease::Entity)
        .cond_where(touching)
        .to_owned();
    let versions = lease_version::Entity::find()
        .filter(lease_version::Column::LeaseId.in_subquery(lease_ids.clone()))
        .order_by_asc(lease_version::Column::LeaseId)
        .order_by_asc(lease_version::Column::Number)
        .all(db)
        .await?;
    let version_ids = Query::select()
        .column(lease_version::Column::Id)
        .from(lease_version::Entity)
        .and_where(lease_version::Column::LeaseId.in_subquery(lease_ids))
        .to_owned();
    let lines = lease_line::Entity::find()
        .filter(lease_line::Column::VersionId.in_subquery(version_ids))
        .all(db)
        .await?;
    let mut lines_of: HashMap<i32, Vec<(i32, i64, i64)>> = HashMap::new();
    for l in &lines {
        lines_of
            .entry(l.version_id)
            .or_default()
            .push((l.space_id, l.fee_cents, l.list_fee_cents));
    }
    let mut versions_of: HashMap<i32, Vec<VersionTerms>> = HashMap::new();
    for v in &versions {
        versions_of
            .entry(v.lease_id)
            .or_default()
            .push(VersionTerms {
                effective_from: v.effective_from,
                lines: lines_of.remove(&v.id).unwrap_or_default(),
            });
    }
    let all_stints: Vec<super::rules::Stint> = leases
        .iter()
        .flat_map(|l| {
            let terms = versions_of
                .get(&l.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            stints((l.starts_on, l.ends_on), terms)
        })
        .collect();
    let figures = |months: Vec<(i32, u32)>| -> Vec<super::model::MonthFigures> {
        months
            .into_iter()
            .filter_map(|(y, m)| month_figures(&facts, &all_stints, y, m))
            .collect()
    };
    let months = figures(month_list(year, month, count));
    // The forecast also counts the units promised to accepted candidates, from the day they
    // asked for (today at the earliest), at the residents' list price.
    let promised = promised_stints(db, today).await?;
    let forecast: Vec<super::model::MonthFigures> = {
        let with_promises: Vec<super::rules::Stint> =
            all_stints.iter().copied().chain(promised).collect();
        month_list(this_month.0, this_month.1, 12)
            .into_iter()
            .filter_map(|(y, m)| month_figures(&facts, &with_promises, y, m))
            .collect()
    };

    // The lets that are current or to come, for the units that free up within a year.
    let lets = unit_let::Entity::find()
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(today)),
        )
        .all(db)
        .await?;
    let spans: Vec<LetSpan> = lets
        .iter()
        .map(|l| LetSpan {
            space_id: l.space_id,
            lease_id: l.lease_id,
            starts_on: l.starts_on,
            ends_on: l.ends_on,
        })
        .collect();
    let names = organisation_names(db).await?;
    let leases_by_id: HashMap<i32, &lease::Model> = leases.iter().map(|l| (l.id, l)).collect();
    let vacancies = super::rules::vacancies(&spans, today, forecast_end)
        .into_iter()
        .filter_map(|(span, free_from)| {
            let unit = units.iter().find(|u| u.id == span.space_id)?;
            let lease = leases_by_id.get(&span.lease_id)?;
            Some(super::model::Vacancy {
                unit: unit.name.clone(),
                kind: unit.kind,
                organisation: names
                    .get(&lease.organisation_id)
                    .cloned()
                    .unwrap_or_default(),
                lease_id: lease.id,
                free_from,
                on_notice: lease.notice_given_on.is_some(),
            })
        })
        .collect();
    let rooms = crate::bookings::calendar::utilisation(db, last, after).await?;
    Ok(super::model::Occupancy {
        range,
        chart_svg: super::chart::trend(&months, locale),
        forecast_svg: super::chart::trend(&forecast, locale),
        months,
        forecast,
        vacancies,
        arrivals: crate::applications::service::arrivals(db).await?,
        waiting: crate::applications::service::waiting_list(db).await?,
        rooms,
    })
}

/// The stints the units promised to accepted applications would make once leased.
async fn promised_stints(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> Result<Vec<super::rules::Stint>, DbErr> {
    use crate::entities::{application, unit_promise};
    let promises = unit_promise::Entity::find().all(db).await?;
    if promises.is_empty() {
        return Ok(Vec::new());
    }
    let apps: HashMap<i32, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(promises.iter().map(|p| p.application_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let prices: HashMap<i32, i64> = unit_price::Entity::find()
        .filter(unit_price::Column::Tier.eq(Tier::Resident))
        .filter(unit_price::Column::SpaceId.is_in(promises.iter().map(|p| p.space_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.space_id, p.monthly_cents))
        .collect();
    Ok(promises
        .iter()
        .filter_map(|p| {
            let app = apps.get(&p.application_id)?;
            let from = app.wanted_from.max(today);
            let until = app.duration_months.and_then(|m| {
                from.checked_add_months(chrono::Months::new(m.unsigned_abs()))?
                    .pred_opt()
            });
            let fee = prices.get(&p.space_id).copied().unwrap_or(0);
            Some(super::rules::Stint {
                space_id: p.space_id,
                from,
                until,
                fee_cents: fee,
                list_fee_cents: fee,
            })
        })
        .collect())
}

/// The floor plan of `floor` (none: the lowest with units) as it stands on `today`: each
/// placed unit with who holds it, a notice's free day, or the candidate it is promised to.
pub async fn floor_plan(
    db: &DatabaseConnection,
    floor: Option<i32>,
    today: NaiveDate,
) -> Result<super::model::FloorPlan, DbErr> {
    use super::model::{FloorPlan, PlanStatus, PlanUnit, UnitRef};
    use crate::entities::unit_layout;
    let units = space::Entity::find()
        .filter(space::Column::Kind.is_in(LEASABLE))
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?;
    let layouts: HashMap<i32, unit_layout::Model> = unit_layout::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.space_id, l))
        .collect();
    let mut floors: Vec<i32> = layouts.values().map(|l| l.floor).collect();
    floors.sort_unstable();
    floors.dedup();
    let floor = floor
        .filter(|f| floors.contains(f))
        .or_else(|| floors.first().copied())
        .unwrap_or(0);
    // The let holding each unit today, and its lease.
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::StartsOn.lte(today))
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(today)),
        )
        .all(db)
        .await?;
    let leases: HashMap<i32, lease::Model> = lease::Entity::find()
        .filter(lease::Column::Id.is_in(lets.iter().map(|l| l.lease_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let names = organisation_names(db).await?;
    let promises = crate::applications::service::promises(db).await?;
    let mut placed = Vec::new();
    let mut unplaced = Vec::new();
    for u in &units {
        let Some(l) = layouts.get(&u.id) else {
            unplaced.push(UnitRef {
                id: u.id,
                name: u.name.clone(),
            });
            continue;
        };
        if l.floor != floor {
            continue;
        }
        let held = lets
            .iter()
            .find(|x| x.space_id == u.id)
            .and_then(|x| leases.get(&x.lease_id).map(|lease| (x, lease)));
        let (status, holder, lease_id, application_id, free_from) =
            match (held, promises.get(&u.id)) {
                (Some((x, lease)), _) => {
                    let holder = names.get(&lease.organisation_id).cloned();
                    if lease.notice_given_on.is_some() {
                        let free = x.ends_on.and_then(|d| d.succ_opt());
                        (PlanStatus::Notice, holder, Some(lease.id), None, free)
                    } else {
                        (PlanStatus::Let, holder, Some(lease.id), None, None)
                    }
                }
                (None, Some((app, name))) => (
                    PlanStatus::Promised,
                    Some(name.clone()),
                    None,
                    Some(*app),
                    None,
                ),
                (None, None) => (PlanStatus::Free, None, None, None, None),
            };
        placed.push(PlanUnit {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            kind: u.kind,
            area_m2: u.area_m2,
            floor: l.floor,
            x: l.x,
            y: l.y,
            width: l.width,
            height: l.height,
            status,
            holder,
            lease_id,
            application_id,
            free_from,
        });
    }
    Ok(FloorPlan {
        floor,
        floors,
        units: placed,
        all_units: units
            .iter()
            .map(|u| UnitRef {
                id: u.id,
                name: u.name.clone(),
            })
            .collect(),
        unplaced,
    })
}

/// Places a leasable unit on the plan, or moves it.
pub async fn set_layout(
    db: &DatabaseConnection,
    layout: &super::model::Layout,
) -> Result<(), HostingError> {
    use crate::entities::unit_layout;
    let txn = begin_write(db).await?;
    let space = space::Entity::find_by_id(layout.space_id)
        .one(&txn)
        .await?
        .ok_or(HostingError::UnknownUnit(layout.space_id))?;
    if !LEASABLE.contains(&space.kind) {
        return Err(HostingError::NotLeasable(space.name));
    }
    let existing = unit_layout::Entity::find()
        .filter(unit_layout::Column::SpaceId.eq(space.id))
        .one(&txn)
        .await?;
    let mut row = match existing {
        Some(m) => unit_layout::ActiveModel::from(m),
        None => unit_layout::ActiveModel {
            space_id: Set(space.id),
            ..Default::default()
        },
    };
    row.floor = Set(layout.floor);
    row.x = Set(layout.x);
    row.y = Set(layout.y);
    row.width = Set(layout.width);
    row.height = Set(layout.height);
    row.save(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The lease's document: the lease, the tenant organisation and its referent. `operator` is
/// the hub's, from the configuration.
pub async fn lease_document(
    db: &DatabaseConnection,
    id: i32,
    operator: super::model::Party,
    today: NaiveDate,
) -> Result<Option<super::model::LeaseDocument>, DbErr> {
    use crate::entities::user;
    let Some(detail) = lease_detail(db, id, today).await? else {
        return Ok(None);
    };
    let org = organisation::Entity::find_by_id(detail.summary.organisation_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("organisation".into()))?;
    let referent = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(org.id))
        .filter(user::Column::IsReferent.eq(true))
        .one(db)
        .await?
        .map(|u| u.name);
    let current = detail
        .versions
        .iter()
        .rposition(|v| v.effective_from <= today)
        .unwrap_or(0);
    Ok(Some(super::model::LeaseDocument {
        lease: detail,
        operator,
        tenant: super::model::Party {
            name: org.name,
            legal_form: Some(org.legal_form),
            siret: org.siret,
            address: org.address,
            signatory: referent,
        },
        current,
        printed_on: today,
    }))
}
