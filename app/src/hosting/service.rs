//! Hosting's database work: leases, their versions and the lets that keep a unit from being
//! let twice. The only hosting code that touches the database.
use super::model::{
    LeaseDetail, LeaseFormOptions, LeaseLineView, LeaseStatus, LeaseSummary, LeaseVersionView,
    NewLease, UnitOffer,
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
    #[error("lease not found")]
    NotFound,
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
            Err(first_clash(db, new).await?.unwrap_or(HostingError::Db(e)))
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
    let mut lines = Vec::with_capacity(new.units.len());
    for unit in &new.units {
        let space = space::Entity::find_by_id(unit.space_id)
            .one(&txn)
            .await?
            .ok_or(HostingError::UnknownUnit(unit.space_id))?;
        if !LEASABLE.contains(&space.kind) {
            return Err(HostingError::NotLeasable(space.name));
        }
        let price = unit_price::Entity::find()
            .filter(unit_price::Column::SpaceId.eq(space.id))
            .filter(unit_price::Column::Tier.eq(org.tier))
            .one(&txn)
            .await?
            .ok_or_else(|| HostingError::NoListPrice(space.name.clone()))?;
        let fee = unit.fee_cents.unwrap_or(price.monthly_cents);
        let reason = unit.discount_reason.clone().filter(|r| !r.is_empty());
        if fee < price.monthly_cents && reason.is_none() {
            return Err(HostingError::DiscountWithoutReason(space.name));
        }
        lines.push((space, price, fee, reason));
    }
    if let Some(clash) = clash_in(&txn, new).await? {
        return Err(clash);
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
    for (space, price, fee, reason) in lines {
        lease_line::ActiveModel {
            version_id: Set(version.id),
            space_id: Set(space.id),
            list_fee_cents: Set(price.monthly_cents),
            fee_cents: Set(fee),
            discount_reason: Set(reason),
            vat_rate_bp: Set(price.vat_rate_bp),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        unit_let::ActiveModel {
            space_id: Set(space.id),
            lease_id: Set(lease.id),
            starts_on: Set(new.starts_on),
            ends_on: Set(new.ends_on),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(lease.id)
}

/// Whether a unit of `new` is already let over its days, named by the lease that holds it.
async fn clash_in(
    conn: &impl ConnectionTrait,
    new: &NewLease,
) -> Result<Option<HostingError>, DbErr> {
    let ids: Vec<i32> = new.units.iter().map(|u| u.space_id).collect();
    let mut overlap = Condition::all()
        .add(unit_let::Column::SpaceId.is_in(ids))
        .add(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(new.starts_on)),
        );
    if let Some(end) = new.ends_on {
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

/// After a lost race the transaction is gone: the clash is read again, outside it.
async fn first_clash(
    db: &DatabaseConnection,
    new: &NewLease,
) -> Result<Option<HostingError>, HostingError> {
    Ok(clash_in(db, new).await?)
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
        // Whether the caller may give notice is for the server function to say.
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
