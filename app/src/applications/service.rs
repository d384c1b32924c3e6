//! Applications' database work: filing, visit slots, the pipeline's steps, committee sessions
//! and their decisions, promised units, and the organisation an accepted candidate becomes.
//! The only applications code that touches the database. Every move is a compare-and-set on
//! the application's status inside one write transaction, with its step written beside it.
use super::model::{
    AgendaItem, ApplicationDetail, ApplicationSummary, Arrival, CommitteeDetail, CommitteeSummary,
    CommitteesPage, Decision, DecisionView, NewApplication, NewSlot, StepView, UnitChoice,
    VisitSlotView, Wants, target_from_parts, target_parts,
};
use crate::auth::model::Role;
use crate::bookings::rules::to_paris;
use crate::db::{Cas, Transition, begin_write, is_conflict, transition};
use crate::entities::{
    application, application_step, committee, committee_item, diversity_target, lease,
    organisation, space, unit_let, unit_promise, user, visit_slot,
};
use crate::hosting::model::{AgeBand, ApplicationStatus, SizeBand};
use crate::hosting::rules::{Target, Tenant, may_move};
use crate::organisations::model::Tier;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("application not found")]
    NotFound,
    #[error("not allowed")]
    NotAllowed,
    #[error("cannot move from {0:?}")]
    NotFromStatus(ApplicationStatus),
    #[error("visit slot unknown or past")]
    SlotUnknown,
    #[error("visit slot full")]
    SlotFull,
    #[error("committee session unknown")]
    CommitteeUnknown,
    #[error("committee session already held")]
    CommitteePast,
    #[error("not on the session's agenda")]
    NotOnAgenda,
    #[error("already decided")]
    AlreadyDecided,
    #[error("{0} is not a leasable unit")]
    NotLeasable(String),
    #[error("{unit} is let from {from}")]
    UnitLet { unit: String, from: NaiveDate },
    #[error("{unit} is promised to {organisation}")]
    UnitPromised { unit: String, organisation: String },
    #[error("an organisation is already named {0}")]
    NameTaken(String),
    #[error("the organisation is not created yet")]
    NoOrganisation,
    #[error("changed by someone else at the same moment")]
    Concurrent,
    #[error("too many open applications")]
    TooManyOpen,
    #[error("account: {0}")]
    Account(crate::auth::service::AuthError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

type Result<T> = std::result::Result<T, ApplicationError>;

/// Files an application for `candidate`, with its visit when one is picked.
pub async fn submit(
    db: &DatabaseConnection,
    candidate: i32,
    new: &NewApplication,
    now: DateTime<Utc>,
) -> Result<i32> {
    let txn = begin_write(db).await?;
    let id = insert(&txn, candidate, new, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// Files an application with a new candidate account and its session: one transaction, so
/// that a refused application leaves no account behind. Returns the application and the token.
pub async fn submit_as_new_candidate(
    db: &DatabaseConnection,
    account: crate::auth::service::HashedAccount,
    new: &NewApplication,
    now: DateTime<Utc>,
    session_days: i64,
) -> Result<(i32, String)> {
    use crate::auth::service::{create_session, insert_account};
    let txn = begin_write(db).await?;
    let user_id = insert_account(&txn, account, now)
        .await
        .map_err(ApplicationError::Account)?;
    let token = create_session(&txn, user_id, now, session_days).await?;
    let id = insert(&txn, user_id, new, now).await?;
    txn.commit().await?;
    Ok((id, token))
}

/// How many applications one account may have under way at once: enough for a group of
/// organisations, not enough to fill the visits.
pub const OPEN_PER_CANDIDATE: u64 = 3;

async fn insert(
    txn: &DatabaseTransaction,
    candidate: i32,
    new: &NewApplication,
    now: DateTime<Utc>,
) -> Result<i32> {
    let open = application::Entity::find()
        .filter(application::Column::CandidateId.eq(candidate))
        .filter(application::Column::Status.is_not_in([
            ApplicationStatus::Accepted,
            ApplicationStatus::Refused,
            ApplicationStatus::Withdrawn,
        ]))
        .count(txn)
        .await?;
    if open >= OPEN_PER_CANDIDATE {
        return Err(ApplicationError::TooManyOpen);
    }
    let app = application::ActiveModel {
        candidate_id: Set(candidate),
        organisation_name: Set(new.organisation_name.clone()),
        legal_form: Set(new.legal_form),
        siret: Set(new.siret.as_str().to_owned()),
        founded_year: Set(new.founded_year),
        esus: Set(new.esus),
        sector: Set(new.sector),
        headcount: Set(new.headcount),
        address: Set(new.address.clone()),
        office_people: Set(new.wants.office_people),
        desks: Set(new.wants.desks),
        storage_m2: Set(new.wants.storage_m2),
        wanted_from: Set(new.wanted_from),
        duration_months: Set(new.duration_months),
        project: Set(new.project.clone()),
        contribution: Set(new.contribution.clone()),
        contact_name: Set(new.contact_name.clone()),
        contact_email: Set(new.contact_email.clone()),
        contact_phone: Set(new.contact_phone.clone()),
        status: Set(ApplicationStatus::Received),
        visit_slot_id: Set(None),
        committee_id: Set(None),
        wait_rank: Set(None),
        organisation_id: Set(None),
        lease_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    step(
        txn,
        app.id,
        None,
        ApplicationStatus::Received,
        candidate,
        now,
        "",
    )
    .await?;
    if let Some(slot) = new.visit_slot {
        take_visit(txn, &app, slot, candidate, now).await?;
    }
    Ok(app.id)
}

async fn step(
    txn: &DatabaseTransaction,
    application_id: i32,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    by: i32,
    at: DateTime<Utc>,
    note: &str,
) -> std::result::Result<(), DbErr> {
    application_step::ActiveModel {
        application_id: Set(application_id),
        from_status: Set(from),
        to_status: Set(to),
        by_user: Set(by),
        at: Set(at),
        note: Set(note.to_owned()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Moves the application along `t` if it is still where it was read, with `also` written in
/// the same update and a step recorded.
async fn advance(
    txn: &DatabaseTransaction,
    app: &application::Model,
    to: ApplicationStatus,
    by: i32,
    now: DateTime<Utc>,
    note: &str,
    mut also: Vec<(application::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<()> {
    let t = Transition::decide(app.status, |from| {
        if may_move(from, to) {
            Ok(to)
        } else {
            Err(ApplicationError::NotFromStatus(from))
        }
    })?;
    also.push((application::Column::UpdatedAt, Expr::value(now)));
    // The visit slot read with the status must not have changed either: the slots' counts
    // were moved from it.
    let slot = match app.visit_slot_id {
        Some(id) => application::Column::VisitSlotId.eq(id),
        None => application::Column::VisitSlotId.is_null(),
    };
    let moved = transition::<application::Entity, _>(
        txn,
        (application::Column::Id, app.id),
        application::Column::Status,
        t,
        also,
        Condition::all().add(slot),
    )
    .await?;
    if moved == Cas::Stale {
        return Err(ApplicationError::NotFromStatus(app.status));
    }
    step(txn, app.id, Some(app.status), to, by, now, note).await?;
    Ok(())
}

async fn find_in(conn: &impl ConnectionTrait, id: i32) -> Result<application::Model> {
    application::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApplicationError::NotFound)
}

pub async fn find(db: &DatabaseConnection, id: i32) -> Result<application::Model> {
    find_in(db, id).await
}

/// Takes a place in `slot` for the application (releasing its earlier one) and marks the
/// visit booked. The place is taken by a guarded increment: the last place goes to one.
async fn take_visit(
    txn: &DatabaseTransaction,
    app: &application::Model,
    slot: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    if app.visit_slot_id == Some(slot) {
        return Ok(());
    }
    let exists = visit_slot::Entity::find_by_id(slot)
        .filter(visit_slot::Column::StartsAt.gt(now))
        .one(txn)
        .await?
        .ok_or(ApplicationError::SlotUnknown)?;
    let taken = visit_slot::Entity::update_many()
        .col_expr(
            visit_slot::Column::Booked,
            Expr::col(visit_slot::Column::Booked).add(1),
        )
        .filter(visit_slot::Column::Id.eq(exists.id))
        .filter(Expr::col(visit_slot::Column::Booked).lt(Expr::col(visit_slot::Column::Capacity)))
        .exec(txn)
        .await?;
    if taken.rows_affected == 0 {
        return Err(ApplicationError::SlotFull);
    }
    release_visit(txn, app).await?;
    let slot_value = Expr::value(Some(slot));
    if app.status == ApplicationStatus::VisitBooked {
        // A new slot for a visit already booked: no new step, the slot changes.
        let done = application::Entity::update_many()
            .col_expr(application::Column::VisitSlotId, slot_value)
            .col_expr(application::Column::UpdatedAt, Expr::value(now))
            .filter(application::Column::Id.eq(app.id))
            .filter(application::Column::Status.eq(ApplicationStatus::VisitBooked))
            .filter(match app.visit_slot_id {
                Some(id) => application::Column::VisitSlotId.eq(id),
                None => application::Column::VisitSlotId.is_null(),
            })
            .exec(txn)
            .await?;
        if done.rows_affected == 0 {
            return Err(ApplicationError::NotFromStatus(app.status));
        }
        return Ok(());
    }
    advance(
        txn,
        app,
        ApplicationStatus::VisitBooked,
        by,
        now,
        "",
        vec![(application::Column::VisitSlotId, slot_value)],
    )
    .await
}

/// Gives back the application's place in its visit slot, if it holds one.
async fn release_visit(txn: &DatabaseTransaction, app: &application::Model) -> Result<()> {
    if let Some(old) = app.visit_slot_id {
        visit_slot::Entity::update_many()
            .col_expr(
                visit_slot::Column::Booked,
                Expr::col(visit_slot::Column::Booked).sub(1),
            )
            .filter(visit_slot::Column::Id.eq(old))
            .filter(visit_slot::Column::Booked.gt(0))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The candidate (or a manager) picks or changes the visit slot.
pub async fn book_visit(
    db: &DatabaseConnection,
    id: i32,
    slot: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = begin_write(db).await?;
    let app = find_in(&txn, id).await?;
    if !matches!(
        app.status,
        ApplicationStatus::Received | ApplicationStatus::VisitBooked
    ) {
        return Err(ApplicationError::NotFromStatus(app.status));
    }
    take_visit(&txn, &app, slot, by, now).await?;
    txn.commit().await?;
    Ok(())
}

/// A manager's move: visit done, visit cancelled (back to received), or withdrawn; the
/// candidate may only withdraw. Committee moves go through `put_on_agenda` and `decide`.
pub async fn move_application(
    db: &DatabaseConnection,
    id: i32,
    to: ApplicationStatus,
    by: i32,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    use ApplicationStatus::*;
    let txn = begin_write(db).await?;
    let app = find_in(&txn, id).await?;
    let mut also = Vec::new();
    match to {
        Visited => {}
        Received | Withdrawn => {
            if app.status == VisitBooked {
                release_visit(&txn, &app).await?;
                also.push((application::Column::VisitSlotId, Expr::value(None::<i32>)));
            }
            if app.status == WaitListed {
                also.push((application::Column::WaitRank, Expr::value(None::<i32>)));
            }
        }
        _ => return Err(ApplicationError::NotFromStatus(app.status)),
    }
    advance(&txn, &app, to, by, now, note, also).await?;
    txn.commit().await?;
    Ok(())
}

/// Whether a session met on a day before today's (Paris): its agenda is closed.
fn held_before(meets_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    use crate::bookings::rules::{paris_today, to_paris};
    to_paris(meets_at).date() < paris_today(now)
}

/// Puts a visited or wait-listed application on a session's agenda, at its end.
pub async fn put_on_agenda(
    db: &DatabaseConnection,
    id: i32,
    committee_id: i32,
    by: i32,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = begin_write(db).await?;
    let app = find_in(&txn, id).await?;
    let session = committee::Entity::find_by_id(committee_id)
        .one(&txn)
        .await?
        .ok_or(ApplicationError::CommitteeUnknown)?;
    if held_before(session.meets_at, now) {
        return Err(ApplicationError::CommitteePast);
    }
    let position = committee_item::Entity::find()
        .filter(committee_item::Column::CommitteeId.eq(committee_id))
        .count(&txn)
        .await? as i32
        + 1;
    advance(
        &txn,
        &app,
        ApplicationStatus::AtCommittee,
        by,
        now,
        note,
        vec![
            (
                application::Column::CommitteeId,
                Expr::value(Some(committee_id)),
            ),
            (application::Column::WaitRank, Expr::value(None::<i32>)),
        ],
    )
    .await?;
    let item = committee_item::ActiveModel {
        committee_id: Set(committee_id),
        application_id: Set(id),
        position: Set(position),
        decision: Set(None),
        votes_for: Set(None),
        votes_against: Set(None),
        votes_abstain: Set(None),
        reasons: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match item {
        Ok(_) => {}
        // Wait-listed and back on a session's agenda it was already on: the earlier decision
        // stands in the record; a new session is needed.
        Err(e) if is_conflict(&e) => return Err(ApplicationError::AlreadyDecided),
        Err(e) => return Err(e.into()),
    }
    txn.commit().await?;
    Ok(())
}

/// Records a session's decision on an application on its agenda. The item is written only if
/// it has no decision yet, and the application moves only if it is still at this committee.
pub async fn decide(
    db: &DatabaseConnection,
    committee_id: i32,
    id: i32,
    by: i32,
    d: &Decision,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = begin_write(db).await?;
    committee::Entity::find_by_id(committee_id)
        .one(&txn)
        .await?
        .ok_or(ApplicationError::CommitteeUnknown)?;
    let item = committee_item::Entity::find()
        .filter(committee_item::Column::CommitteeId.eq(committee_id))
        .filter(committee_item::Column::ApplicationId.eq(id))
        .one(&txn)
        .await?
        .ok_or(ApplicationError::NotOnAgenda)?;
    let app = find_in(&txn, id).await?;
    if app.committee_id != Some(committee_id) {
        return Err(ApplicationError::NotOnAgenda);
    }
    let recorded = committee_item::Entity::update_many()
        .col_expr(
            committee_item::Column::Decision,
            Expr::value(Some(d.outcome)),
        )
        .col_expr(
            committee_item::Column::VotesFor,
            Expr::value(Some(d.votes_for)),
        )
        .col_expr(
            committee_item::Column::VotesAgainst,
            Expr::value(Some(d.votes_against)),
        )
        .col_expr(
            committee_item::Column::VotesAbstain,
            Expr::value(Some(d.votes_abstain)),
        )
        .col_expr(
            committee_item::Column::Reasons,
            Expr::value(Some(d.reasons.clone())),
        )
        .col_expr(committee_item::Column::DecidedBy, Expr::value(Some(by)))
        .col_expr(committee_item::Column::DecidedAt, Expr::value(Some(now)))
        .filter(committee_item::Column::Id.eq(item.id))
        .filter(committee_item::Column::Decision.is_null())
        .exec(&txn)
        .await?;
    if recorded.rows_affected == 0 {
        return Err(ApplicationError::AlreadyDecided);
    }
    let mut also = Vec::new();
    if d.outcome == ApplicationStatus::WaitListed {
        let last = application::Entity::find()
            .filter(application::Column::WaitRank.is_not_null())
            .order_by_desc(application::Column::WaitRank)
            .one(&txn)
            .await?
            .and_then(|a| a.wait_rank)
            .unwrap_or(0);
        also.push((application::Column::WaitRank, Expr::value(Some(last + 1))));
    }
    match advance(&txn, &app, d.outcome, by, now, &d.reasons, also).await {
        // Two wait-listings at once took the same rank: the unique index let one through.
        Err(ApplicationError::Db(e)) if is_conflict(&e) => {
            return Err(ApplicationError::Concurrent);
        }
        other => other?,
    }
    txn.commit().await?;
    Ok(())
}

/// Opens a visit slot.
pub async fn open_slot(
    db: &DatabaseConnection,
    by: i32,
    slot: &NewSlot,
    now: DateTime<Utc>,
) -> Result<i32> {
    use chrono::Timelike;
    let starts_at =
        crate::bookings::rules::paris_to_utc(slot.day, slot.start.num_seconds_from_midnight() / 60)
            .map_err(|_| ApplicationError::SlotUnknown)?;
    let model = visit_slot::ActiveModel {
        starts_at: Set(starts_at),
        ends_at: Set(starts_at + chrono::Duration::minutes(slot.minutes)),
        capacity: Set(slot.capacity),
        booked: Set(0),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Visit slots from `now` on; `open_only` leaves out the full ones.
pub async fn slots(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    open_only: bool,
) -> std::result::Result<Vec<VisitSlotView>, DbErr> {
    let mut query = visit_slot::Entity::find()
        .filter(visit_slot::Column::StartsAt.gt(now))
        .order_by_asc(visit_slot::Column::StartsAt);
    if open_only {
        query = query.filter(
            Expr::col(visit_slot::Column::Booked).lt(Expr::col(visit_slot::Column::Capacity)),
        );
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|s| VisitSlotView {
            id: s.id,
            starts_at: to_paris(s.starts_at),
            ends_at: to_paris(s.ends_at),
            capacity: s.capacity,
            booked: s.booked,
        })
        .collect())
}

/// Who booked each slot to come: (slot, organisation names).
pub async fn slot_bookings(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> std::result::Result<Vec<(VisitSlotView, Vec<(i32, String)>)>, DbErr> {
    let slots = slots(db, now, false).await?;
    let booked = application::Entity::find()
        .filter(application::Column::VisitSlotId.is_in(slots.iter().map(|s| s.id)))
        .filter(application::Column::Status.eq(ApplicationStatus::VisitBooked))
        .order_by_asc(application::Column::OrganisationName)
        .all(db)
        .await?;
    Ok(slots
        .into_iter()
        .map(|s| {
            let who = booked
                .iter()
                .filter(|a| a.visit_slot_id == Some(s.id))
                .map(|a| (a.id, a.organisation_name.clone()))
                .collect();
            (s, who)
        })
        .collect())
}

pub async fn create_committee(
    db: &DatabaseConnection,
    by: i32,
    meets_at: DateTime<Utc>,
    place: &str,
    now: DateTime<Utc>,
) -> Result<i32> {
    let model = committee::ActiveModel {
        meets_at: Set(meets_at),
        place: Set(place.to_owned()),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Replaces the diversity targets: one transaction, so a reader sees the old set or the new.
pub async fn set_targets(db: &DatabaseConnection, targets: &[Target]) -> Result<()> {
    let txn = begin_write(db).await?;
    diversity_target::Entity::delete_many().exec(&txn).await?;
    for &t in targets {
        let (kind, value) = target_parts(t);
        let saved = diversity_target::ActiveModel {
            kind: Set(kind.to_owned()),
            value: Set(value as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        match saved {
            Ok(_) => {}
            // Two managers saving at once: one set wins, the other is told.
            Err(e) if is_conflict(&e) => return Err(ApplicationError::Concurrent),
            Err(e) => return Err(e.into()),
        }
    }
    txn.commit().await?;
    Ok(())
}

pub async fn targets(db: &impl ConnectionTrait) -> std::result::Result<Vec<Target>, DbErr> {
    Ok(diversity_target::Entity::find()
        .order_by_asc(diversity_target::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|t| target_from_parts(&t.kind, t.value.unsigned_abs()))
        .collect())
}

/// Promises free units to an accepted application, for its lease to come. A unit let on or
/// after the wanted day, or promised to another candidate, is refused by name.
pub async fn promise_units(
    db: &DatabaseConnection,
    id: i32,
    units: &[i32],
    by: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = begin_write(db).await?;
    let app = find_in(&txn, id).await?;
    // Still accepted and without a lease, written so: on PostgreSQL this also locks the row
    // against the lease being signed at the same moment.
    let held = application::Entity::update_many()
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.eq(ApplicationStatus::Accepted))
        .filter(application::Column::LeaseId.is_null())
        .exec(&txn)
        .await?;
    if held.rows_affected == 0 {
        return Err(ApplicationError::NotFromStatus(app.status));
    }
    unit_promise::Entity::delete_many()
        .filter(unit_promise::Column::ApplicationId.eq(id))
        .exec(&txn)
        .await?;
    for &unit in units {
        let space = space::Entity::find_by_id(unit)
            .one(&txn)
            .await?
            .ok_or(ApplicationError::NotLeasable(unit.to_string()))?;
        if !crate::hosting::service::LEASABLE.contains(&space.kind) {
            return Err(ApplicationError::NotLeasable(space.name));
        }
        if let Some(l) = unit_let::Entity::find()
            .filter(unit_let::Column::SpaceId.eq(unit))
            .filter(
                Condition::any()
                    .add(unit_let::Column::EndsOn.is_null())
                    .add(unit_let::Column::EndsOn.gte(app.wanted_from)),
            )
            .order_by_asc(unit_let::Column::StartsOn)
            .one(&txn)
            .await?
        {
            return Err(ApplicationError::UnitLet {
                unit: space.name,
                from: l.starts_on,
            });
        }
        let promised = unit_promise::ActiveModel {
            space_id: Set(unit),
            application_id: Set(id),
            promised_by: Set(by),
            promised_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        match promised {
            Ok(_) => {}
            Err(e) if is_conflict(&e) => {
                drop(txn);
                return Err(promised_elsewhere(db, unit, space.name).await?);
            }
            Err(e) => return Err(e.into()),
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The refusal for a unit promised to another application, named by its candidate.
async fn promised_elsewhere(
    conn: &impl ConnectionTrait,
    unit: i32,
    name: String,
) -> Result<ApplicationError> {
    let holder = match unit_promise::Entity::find()
        .filter(unit_promise::Column::SpaceId.eq(unit))
        .one(conn)
        .await?
    {
        Some(p) => find_in(conn, p.application_id)
            .await
            .map(|a| a.organisation_name)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(ApplicationError::UnitPromised {
        unit: name,
        organisation: holder,
    })
}

/// Whether one of `units` is promised to an application other than `except`, named: a lease
/// must not take a unit promised to another candidate.
pub async fn promised_to_other(
    conn: &impl ConnectionTrait,
    units: &[i32],
    except: Option<i32>,
) -> std::result::Result<Option<(String, String)>, DbErr> {
    let mut query = unit_promise::Entity::find()
        .filter(unit_promise::Column::SpaceId.is_in(units.iter().copied()));
    if let Some(id) = except {
        query = query.filter(unit_promise::Column::ApplicationId.ne(id));
    }
    let Some(p) = query.one(conn).await? else {
        return Ok(None);
    };
    let unit = space::Entity::find_by_id(p.space_id)
        .one(conn)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let holder = application::Entity::find_by_id(p.application_id)
        .one(conn)
        .await?
        .map(|a| a.organisation_name)
        .unwrap_or_default();
    Ok(Some((unit, holder)))
}

/// Ties a new lease to the accepted application it comes from, in the lease's transaction:
/// only once, only for the organisation made from it; its promises are then spent.
pub async fn attach_lease(
    txn: &DatabaseTransaction,
    id: i32,
    organisation_id: i32,
    lease_id: i32,
    now: DateTime<Utc>,
) -> std::result::Result<bool, DbErr> {
    let done = application::Entity::update_many()
        .col_expr(application::Column::LeaseId, Expr::value(Some(lease_id)))
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.eq(ApplicationStatus::Accepted))
        .filter(application::Column::OrganisationId.eq(organisation_id))
        .filter(application::Column::LeaseId.is_null())
        .exec(txn)
        .await?;
    if done.rows_affected == 0 {
        return Ok(false);
    }
    unit_promise::Entity::delete_many()
        .filter(unit_promise::Column::ApplicationId.eq(id))
        .exec(txn)
        .await?;
    Ok(true)
}

/// The lease form's start from an accepted application with its organisation and no lease.
pub async fn lease_prefill(
    db: &DatabaseConnection,
    id: i32,
) -> std::result::Result<Option<crate::hosting::model::LeasePrefill>, DbErr> {
    let Some(app) = application::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let (ApplicationStatus::Accepted, Some(org), None) =
        (app.status, app.organisation_id, app.lease_id)
    else {
        return Ok(None);
    };
    let ends_on = app.duration_months.and_then(|m| {
        app.wanted_from
            .checked_add_months(chrono::Months::new(m.unsigned_abs()))
            .and_then(|d| d.pred_opt())
    });
    let units = promised_units(db, std::iter::once(id))
        .await?
        .into_iter()
        .map(|(_, s)| s.id)
        .collect();
    Ok(Some(crate::hosting::model::LeasePrefill {
        application_id: id,
        organisation_id: org,
        organisation_name: app.organisation_name,
        starts_on: app.wanted_from,
        ends_on,
        units,
    }))
}

/// Makes the organisation of an accepted application, its candidate its referent member.
pub async fn create_organisation(
    db: &DatabaseConnection,
    id: i32,
    now: DateTime<Utc>,
) -> Result<i32> {
    let txn = begin_write(db).await?;
    let app = find_in(&txn, id).await?;
    if app.status != ApplicationStatus::Accepted {
        return Err(ApplicationError::NotFromStatus(app.status));
    }
    if let Some(org) = app.organisation_id {
        return Ok(org);
    }
    let taken = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(app.organisation_name.clone()))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(ApplicationError::NameTaken(app.organisation_name));
    }
    let org = organisation::ActiveModel {
        name: Set(app.organisation_name.clone()),
        legal_form: Set(app.legal_form),
        sector: Set(app.sector),
        headcount: Set(app.headcount),
        // An ESS organisation the hub chose: the network's prices until its lease makes it a
        // resident.
        tier: Set(Tier::Network),
        siret: Set(Some(app.siret.clone())),
        address: Set(Some(app.address.clone())),
        created_at: Set(now),
        included_room_minutes: Set(0),
        show_titles_on_displays: Set(false),
        founded_year: Set(Some(app.founded_year)),
        esus: Set(app.esus),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let org = match org {
        Ok(o) => o,
        Err(e) if is_conflict(&e) => {
            return Err(ApplicationError::NameTaken(app.organisation_name));
        }
        Err(e) => return Err(e.into()),
    };
    let done = application::Entity::update_many()
        .col_expr(
            application::Column::OrganisationId,
            Expr::value(Some(org.id)),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.eq(ApplicationStatus::Accepted))
        .filter(application::Column::OrganisationId.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(ApplicationError::NotFromStatus(app.status));
    }
    // The applicant becomes its referent, unless they already belong to an organisation (or
    // run the hub): a manager then names its referent on the users page.
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value(Role::Tenant))
        .col_expr(user::Column::OrganisationId, Expr::value(Some(org.id)))
        .col_expr(user::Column::IsReferent, Expr::value(true))
        .filter(user::Column::Id.eq(app.candidate_id))
        .filter(user::Column::OrganisationId.is_null())
        .filter(user::Column::Role.ne(Role::Manager))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(org.id)
}

// ---------------------------------------------------------------------------------------------
// Reads

async fn committee_dates(
    conn: &impl ConnectionTrait,
) -> std::result::Result<HashMap<i32, NaiveDateTime>, DbErr> {
    Ok(committee::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, to_paris(c.meets_at)))
        .collect())
}

async fn slot_dates(
    conn: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> std::result::Result<HashMap<i32, NaiveDateTime>, DbErr> {
    Ok(visit_slot::Entity::find()
        .filter(visit_slot::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, to_paris(s.starts_at)))
        .collect())
}

fn summary(
    a: &application::Model,
    visits: &HashMap<i32, NaiveDateTime>,
    committees: &HashMap<i32, NaiveDateTime>,
) -> ApplicationSummary {
    ApplicationSummary {
        id: a.id,
        organisation_name: a.organisation_name.clone(),
        legal_form: a.legal_form,
        sector: a.sector,
        headcount: a.headcount,
        status: a.status,
        wants: wants(a),
        wanted_from: a.wanted_from,
        visit: a.visit_slot_id.and_then(|s| visits.get(&s).copied()),
        committee: a
            .committee_id
            .and_then(|c| committees.get(&c).map(|at| (c, *at))),
        wait_rank: a.wait_rank,
        lease_id: a.lease_id,
        updated_at: a.updated_at,
    }
}

fn wants(a: &application::Model) -> Wants {
    Wants {
        office_people: a.office_people,
        desks: a.desks,
        storage_m2: a.storage_m2,
    }
}

async fn summaries_of(
    conn: &impl ConnectionTrait,
    apps: &[application::Model],
) -> std::result::Result<Vec<ApplicationSummary>, DbErr> {
    let visits = slot_dates(conn, apps.iter().filter_map(|a| a.visit_slot_id)).await?;
    let committees = committee_dates(conn).await?;
    Ok(apps
        .iter()
        .map(|a| summary(a, &visits, &committees))
        .collect())
}

/// Applications, newest first: a candidate's own, or every one (`candidate` None), narrowed to
/// one status when asked.
pub async fn summaries(
    db: &DatabaseConnection,
    candidate: Option<i32>,
    status: Option<ApplicationStatus>,
) -> std::result::Result<Vec<ApplicationSummary>, DbErr> {
    let mut query = application::Entity::find().order_by_desc(application::Column::CreatedAt);
    if let Some(c) = candidate {
        query = query.filter(application::Column::CandidateId.eq(c));
    }
    if let Some(s) = status {
        query = query.filter(application::Column::Status.eq(s));
    }
    let apps = query.all(db).await?;
    summaries_of(db, &apps).await
}

/// The waiting list, in rank order.
pub async fn waiting_list(
    db: &impl ConnectionTrait,
) -> std::result::Result<Vec<ApplicationSummary>, DbErr> {
    let apps = application::Entity::find()
        .filter(application::Column::Status.eq(ApplicationStatus::WaitListed))
        .order_by_asc(application::Column::WaitRank)
        .all(db)
        .await?;
    summaries_of(db, &apps).await
}

/// Accepted applications whose lease is not signed yet, with the units promised to them.
pub async fn arrivals(db: &impl ConnectionTrait) -> std::result::Result<Vec<Arrival>, DbErr> {
    let apps = application::Entity::find()
        .filter(application::Column::Status.eq(ApplicationStatus::Accepted))
        .filter(application::Column::LeaseId.is_null())
        .order_by_asc(application::Column::WantedFrom)
        .all(db)
        .await?;
    let promised = promised_units(db, apps.iter().map(|a| a.id)).await?;
    Ok(apps
        .into_iter()
        .map(|a| Arrival {
            application_id: a.id,
            organisation_name: a.organisation_name.clone(),
            wants: wants(&a),
            wanted_from: a.wanted_from,
            promised: promised
                .iter()
                .filter(|(app, _)| *app == a.id)
                .map(|(_, u)| u.name.clone())
                .collect(),
        })
        .collect())
}

/// The units promised to the applications `ids`: (application, unit).
pub async fn promised_units(
    conn: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> std::result::Result<Vec<(i32, space::Model)>, DbErr> {
    let promises = unit_promise::Entity::find()
        .filter(unit_promise::Column::ApplicationId.is_in(ids))
        .all(conn)
        .await?;
    let spaces: HashMap<i32, space::Model> = space::Entity::find()
        .filter(space::Column::Id.is_in(promises.iter().map(|p| p.space_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut out: Vec<(i32, space::Model)> = promises
        .iter()
        .filter_map(|p| {
            spaces
                .get(&p.space_id)
                .map(|s| (p.application_id, s.clone()))
        })
        .collect();
    out.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    Ok(out)
}

/// Every promise: unit → (application, candidate organisation's name), for the floor plan.
pub async fn promises(
    db: &impl ConnectionTrait,
) -> std::result::Result<HashMap<i32, (i32, String)>, DbErr> {
    let promises = unit_promise::Entity::find().all(db).await?;
    let apps: HashMap<i32, String> = application::Entity::find()
        .filter(application::Column::Id.is_in(promises.iter().map(|p| p.application_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.organisation_name))
        .collect();
    Ok(promises
        .into_iter()
        .map(|p| {
            let name = apps.get(&p.application_id).cloned().unwrap_or_default();
            (p.space_id, (p.application_id, name))
        })
        .collect())
}

fn choice(s: &space::Model) -> UnitChoice {
    UnitChoice {
        id: s.id,
        name: s.name.clone(),
        kind: s.kind,
        area_m2: s.area_m2,
        capacity: s.capacity,
    }
}

/// One application's page. `manager` adds what only managers see.
pub async fn detail(
    db: &DatabaseConnection,
    app: application::Model,
    manager: bool,
    now: DateTime<Utc>,
) -> std::result::Result<ApplicationDetail, DbErr> {
    let summary = summaries_of(db, std::slice::from_ref(&app))
        .await?
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("application".into()))?;
    let candidate = user::Entity::find_by_id(app.candidate_id)
        .one(db)
        .await?
        .map(|u| format!("{} <{}>", u.name, u.email))
        .unwrap_or_default();
    let steps = application_step::Entity::find()
        .filter(application_step::Column::ApplicationId.eq(app.id))
        .order_by_asc(application_step::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(steps.iter().map(|s| s.by_user)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let steps = steps
        .into_iter()
        .map(|s| StepView {
            from: s.from_status,
            to: s.to_status,
            by: manager.then(|| names.get(&s.by_user).cloned().unwrap_or_default()),
            at: to_paris(s.at),
            note: (manager && !s.note.is_empty()).then_some(s.note),
        })
        .collect();
    let committees = committee_dates(db).await?;
    let decisions = if manager {
        committee_item::Entity::find()
            .filter(committee_item::Column::ApplicationId.eq(app.id))
            .filter(committee_item::Column::Decision.is_not_null())
            .order_by_asc(committee_item::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|i| decision_view(&i, &committees))
            .collect()
    } else {
        Vec::new()
    };
    let promised = promised_units(db, std::iter::once(app.id))
        .await?
        .iter()
        .map(|(_, s)| choice(s))
        .collect();
    let slots = if matches!(
        app.status,
        ApplicationStatus::Received | ApplicationStatus::VisitBooked
    ) {
        slots(db, now, true).await?
    } else {
        Vec::new()
    };
    let (sessions, free_units) = if manager {
        let sessions = committee_summaries(db)
            .await?
            .into_iter()
            .filter(|c| c.meets_at.date() >= crate::bookings::rules::paris_today(now))
            .collect();
        let free = if app.status == ApplicationStatus::Accepted && app.lease_id.is_none() {
            free_units(db, app.wanted_from, app.id).await?
        } else {
            Vec::new()
        };
        (sessions, free)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ApplicationDetail {
        summary,
        siret: app.siret,
        founded_year: app.founded_year,
        esus: app.esus,
        address: app.address,
        duration_months: app.duration_months,
        project: app.project,
        contribution: app.contribution,
        contact_name: app.contact_name,
        contact_email: app.contact_email,
        contact_phone: app.contact_phone,
        candidate,
        steps,
        decisions,
        promised,
        organisation_id: app.organisation_id,
        slots,
        committees: sessions,
        free_units,
        is_manager: manager,
    })
}

fn decision_view(
    i: &committee_item::Model,
    committees: &HashMap<i32, NaiveDateTime>,
) -> Option<DecisionView> {
    Some(DecisionView {
        committee_id: i.committee_id,
        meets_at: *committees.get(&i.committee_id)?,
        outcome: i.decision?,
        votes_for: i.votes_for.unwrap_or(0),
        votes_against: i.votes_against.unwrap_or(0),
        votes_abstain: i.votes_abstain.unwrap_or(0),
        reasons: i.reasons.clone().unwrap_or_default(),
    })
}

/// Leasable units that no let holds on or after `from` and no other application is promised.
async fn free_units(
    db: &DatabaseConnection,
    from: NaiveDate,
    application_id: i32,
) -> std::result::Result<Vec<UnitChoice>, DbErr> {
    let held: Vec<i32> = unit_let::Entity::find()
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(from)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.space_id)
        .collect();
    let promised: Vec<i32> = unit_promise::Entity::find()
        .filter(unit_promise::Column::ApplicationId.ne(application_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.space_id)
        .collect();
    Ok(space::Entity::find()
        .filter(space::Column::Kind.is_in(crate::hosting::service::LEASABLE))
        .order_by_asc(space::Column::Kind)
        .order_by_asc(space::Column::Name)
        .all(db)
        .await?
        .iter()
        .filter(|s| !held.contains(&s.id) && !promised.contains(&s.id))
        .map(choice)
        .collect())
}

pub async fn committee_summaries(
    db: &impl ConnectionTrait,
) -> std::result::Result<Vec<CommitteeSummary>, DbErr> {
    let sessions = committee::Entity::find()
        .order_by_desc(committee::Column::MeetsAt)
        .all(db)
        .await?;
    let items = committee_item::Entity::find().all(db).await?;
    Ok(sessions
        .into_iter()
        .map(|c| {
            let mine: Vec<&committee_item::Model> =
                items.iter().filter(|i| i.committee_id == c.id).collect();
            CommitteeSummary {
                id: c.id,
                meets_at: to_paris(c.meets_at),
                place: c.place,
                items: mine.len() as u32,
                decided: mine.iter().filter(|i| i.decision.is_some()).count() as u32,
            }
        })
        .collect())
}

pub async fn committees_page(
    db: &DatabaseConnection,
) -> std::result::Result<CommitteesPage, DbErr> {
    Ok(CommitteesPage {
        sessions: committee_summaries(db).await?,
        targets: targets(db).await?,
    })
}

/// The hosted portfolio on `today`: each organisation holding a unit that day, with the m² it
/// holds.
pub async fn portfolio(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> std::result::Result<Vec<Tenant>, DbErr> {
    let lets = unit_let::Entity::find()
        .filter(unit_let::Column::StartsOn.lte(today))
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(today)),
        )
        .all(db)
        .await?;
    let leases: HashMap<i32, i32> = lease::Entity::find()
        .filter(lease::Column::Id.is_in(lets.iter().map(|l| l.lease_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.organisation_id))
        .collect();
    let areas: HashMap<i32, i64> = space::Entity::find()
        .filter(space::Column::Id.is_in(lets.iter().map(|l| l.space_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, i64::from(s.area_m2)))
        .collect();
    let mut held: HashMap<i32, i64> = HashMap::new();
    for l in &lets {
        if let Some(org) = leases.get(&l.lease_id) {
            *held.entry(*org).or_default() += areas.get(&l.space_id).copied().unwrap_or(0);
        }
    }
    let mut orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(held.keys().copied()))
        .all(db)
        .await?;
    orgs.sort_by_key(|o| o.id);
    Ok(orgs
        .into_iter()
        .map(|o| Tenant {
            legal_form: o.legal_form,
            sector: o.sector,
            size: SizeBand::of(o.headcount),
            age: o.founded_year.map(|y| AgeBand::of(y, today.year())),
            area_m2: held.get(&o.id).copied().unwrap_or(0),
        })
        .collect())
}

pub async fn committee_detail(
    db: &DatabaseConnection,
    id: i32,
    today: NaiveDate,
) -> Result<CommitteeDetail> {
    let session = committee::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApplicationError::CommitteeUnknown)?;
    let items = committee_item::Entity::find()
        .filter(committee_item::Column::CommitteeId.eq(id))
        .order_by_asc(committee_item::Column::Position)
        .all(db)
        .await?;
    let apps: HashMap<i32, application::Model> = application::Entity::find()
        .filter(application::Column::Id.is_in(items.iter().map(|i| i.application_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let hosted = portfolio(db, today).await?;
    let targets = targets(db).await?;
    let committees = committee_dates(db).await?;
    let mut agenda = Vec::with_capacity(items.len());
    for item in &items {
        let Some(app) = apps.get(&item.application_id) else {
            continue;
        };
        let candidate = Tenant {
            legal_form: app.legal_form,
            sector: app.sector,
            size: SizeBand::of(app.headcount),
            age: Some(AgeBand::of(app.founded_year, today.year())),
            area_m2: wants(app).area_m2(),
        };
        let summary = summaries_of(db, std::slice::from_ref(app))
            .await?
            .pop()
            .ok_or_else(|| DbErr::RecordNotFound("application".into()))?;
        agenda.push(AgendaItem {
            application: summary,
            esus: app.esus,
            founded_year: app.founded_year,
            contribution: app.contribution.clone(),
            panel: super::rules::panel(&hosted, &candidate, &targets),
            decision: decision_view(item, &committees),
        });
    }
    let addable_apps = application::Entity::find()
        .filter(
            application::Column::Status
                .is_in([ApplicationStatus::Visited, ApplicationStatus::WaitListed]),
        )
        .order_by_asc(application::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(CommitteeDetail {
        id: session.id,
        meets_at: to_paris(session.meets_at),
        place: session.place,
        items: agenda,
        addable: summaries_of(db, &addable_apps).await?,
    })
}
