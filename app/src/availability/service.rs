//! Reading and writing occupancy rows: the only availability code that touches the database.
use super::model::{Clash, EventPhase};
use crate::bookings::model::LocalSlot;
use crate::db::lost_race;
use crate::entities::{booking, event, occupancy, space, space_block};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

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

/// The parts of these spaces, down to their leaves: `children_map` for these spaces only, one
/// query per level of nesting (the hall and its halves: two).
pub async fn children_map_of(
    db: &impl ConnectionTrait,
    spaces: &[i32],
) -> Result<HashMap<i32, Vec<i32>>, DbErr> {
    let mut map: HashMap<i32, Vec<i32>> = HashMap::new();
    let mut seen: std::collections::HashSet<i32> = spaces.iter().copied().collect();
    let mut frontier: Vec<i32> = spaces.to_vec();
    while !frontier.is_empty() {
        let parts = space::Entity::find()
            .filter(space::Column::ParentId.is_in(frontier))
            .all(db)
            .await?;
        frontier = Vec::new();
        for p in parts {
            if let Some(parent) = p.parent_id {
                map.entry(parent).or_default().push(p.id);
            }
            // A part met twice (a cycle in bad data) is not walked again.
            if seen.insert(p.id) {
                frontier.push(p.id);
            }
        }
    }
    Ok(map)
}

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

/// What holds a space: each occupancy row points at one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occupant {
    Booking(i32),
    Block(i32),
    Event(i32),
}

#[derive(Debug, thiserror::Error)]
pub enum OccupyError {
    /// The database refused an overlap the check did not see (its guard on either backend).
    #[error("the slot is taken")]
    Taken,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Writes the occupancy rows of a hold on `leaves` over `span`. An overlap the check did not
/// see (PostgreSQL, two transactions at once; SQLite, a writer that did not check) is refused
/// here by the database's guard.
pub async fn occupy(
    txn: &DatabaseTransaction,
    leaves: &[i32],
    span: (i64, i64),
    who: Occupant,
) -> Result<(), OccupyError> {
    let (booking_id, block_id, event_id) = match who {
        Occupant::Booking(id) => (Some(id), None, None),
        Occupant::Block(id) => (None, Some(id), None),
        Occupant::Event(id) => (None, None, Some(id)),
    };
    let rows = leaves.iter().map(|leaf| occupancy::ActiveModel {
        leaf_space_id: Set(*leaf),
        starts_at: Set(span.0),
        ends_at: Set(span.1),
        booking_id: Set(booking_id),
        block_id: Set(block_id),
        event_id: Set(event_id),
        ..Default::default()
    });
    match occupancy::Entity::insert_many(rows).exec(txn).await {
        Ok(_) => Ok(()),
        Err(e) if lost_race(&e) => Err(OccupyError::Taken),
        Err(e) => Err(e.into()),
    }
}

/// Frees whatever `who` holds.
pub async fn release(db: &impl ConnectionTrait, who: Occupant) -> Result<(), DbErr> {
    let filter = match who {
        Occupant::Booking(id) => occupancy::Column::BookingId.eq(id),
        Occupant::Block(id) => occupancy::Column::BlockId.eq(id),
        Occupant::Event(id) => occupancy::Column::EventId.eq(id),
    };
    occupancy::Entity::delete_many()
        .filter(filter)
        .exec(db)
        .await?;
    Ok(())
}

/// After a failed write, names what took the slot (read after the rollback, since a failed
/// PostgreSQL transaction can no longer be read from).
pub async fn explain_conflict(
    db: &DatabaseConnection,
    leaves: &[i32],
    span: (i64, i64),
    asked: (DateTime<Utc>, DateTime<Utc>),
    own_buffer: u32,
) -> Clash {
    match first_clash(db, leaves, span, &[]).await {
        Ok(Some(occ)) => describe(db, &occ, asked, own_buffer)
            .await
            .unwrap_or(Clash::Concurrent),
        _ => Clash::Concurrent,
    }
}
