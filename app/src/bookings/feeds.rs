//! Calendar feeds (iCalendar, with the `icalendar` crate) at secret addresses, and the
//! download of one booking as an .ics file.
use super::model::{BookingStatus, FeedView, LocalSlot};
use super::rules;
use super::service::{
    Actor, BookingError, bookings_of, bookings_on_leaves, children_map, space_context,
};
use crate::auth::service::{get_user, new_secret, token_hash};
use crate::db::begin_write;
use crate::entities::{booking, feed_token, occupancy, space, space_block};
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use std::collections::HashMap;

/// How far back and ahead a feed reaches.
const FEED_PAST_DAYS: i64 = 30;
const FEED_FUTURE_DAYS: i64 = 400;

/// Creates a feed (a user's own bookings, or a space's), ending any previous one of the same
/// kind: renewing a feed is revoking the old address and making a new one.
pub async fn create_feed(
    db: &DatabaseConnection,
    actor: &Actor,
    space_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(feed_token::Model, String), BookingError> {
    if let Some(id) = space_id {
        space_context(db, id).await?;
    }
    // Revoking the old address and issuing the new one stand or fall together.
    let txn = begin_write(db).await?;
    let mut previous = feed_token::Entity::find()
        .filter(feed_token::Column::UserId.eq(actor.user_id))
        .filter(feed_token::Column::RevokedAt.is_null());
    previous = match space_id {
        Some(id) => previous.filter(feed_token::Column::SpaceId.eq(id)),
        None => previous.filter(feed_token::Column::SpaceId.is_null()),
    };
    for old in previous.all(&txn).await? {
        let mut old: feed_token::ActiveModel = old.into();
        old.revoked_at = Set(Some(now));
        old.update(&txn).await?;
    }
    let secret = new_secret();
    let feed = feed_token::ActiveModel {
        user_id: Set(actor.user_id),
        space_id: Set(space_id),
        token_hash: Set(token_hash(&secret)),
        created_at: Set(now),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok((feed, secret))
}

/// Revokes one of the actor's feeds; its address stops working at once.
pub async fn revoke_feed(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let feed = feed_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(BookingError::NotFound)?;
    if feed.user_id != actor.user_id || feed.revoked_at.is_some() {
        return Err(BookingError::NotFound);
    }
    let mut feed: feed_token::ActiveModel = feed.into();
    feed.revoked_at = Set(Some(now));
    feed.update(db).await?;
    Ok(())
}

/// The actor's live feeds (without their secrets, which are only shown when made).
pub async fn feeds_of(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<FeedView>, DbErr> {
    let feeds = feed_token::Entity::find()
        .filter(feed_token::Column::UserId.eq(actor.user_id))
        .filter(feed_token::Column::RevokedAt.is_null())
        .order_by_asc(feed_token::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(feeds.len());
    for f in feeds {
        let space = match f.space_id {
            Some(id) => {
                space::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .map(|s| super::model::SpaceLine {
                        id: s.id,
                        name: s.name,
                        kind: s.kind,
                        capacity: s.capacity,
                        part_of: None,
                    })
            }
            None => None,
        };
        out.push(FeedView {
            id: f.id,
            space,
            path: None,
            created_on: f.created_at.date_naive(),
        });
    }
    Ok(out)
}

/// The path a feed is served at.
pub fn feed_path(secret: &str) -> String {
    format!("/agenda/{secret}.ics")
}

fn event_for(b: &booking::Model, space_name: &str, title: &str) -> Event {
    let slot = LocalSlot::from_utc(b.starts_at, b.ends_at);
    let mut event = Event::new();
    event
        .uid(&format!("booking-{}@coopole", b.id))
        .summary(title)
        .location(space_name)
        .starts(b.starts_at)
        .ends(b.ends_at)
        .timestamp(b.updated_at)
        .description(&format!(
            "{space_name}, {} ({} personnes)",
            slot.date, b.attendees
        ))
        .status(if b.status == BookingStatus::Pending {
            EventStatus::Tentative
        } else {
            EventStatus::Confirmed
        });
    event.done()
}

/// A feed as iCalendar text, or None if the secret is unknown or revoked.
pub async fn feed_ics(
    db: &DatabaseConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let Some(feed) = feed_token::Entity::find()
        .filter(feed_token::Column::TokenHash.eq(token_hash(secret)))
        .filter(feed_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    // The feed sees what its owner sees today: a demoted or detached user's feed shrinks.
    let Ok(owner) = get_user(db, feed.user_id).await else {
        return Ok(None);
    };
    let actor = Actor::from(&owner);
    let (from, until) = (
        now - Duration::days(FEED_PAST_DAYS),
        now + Duration::days(FEED_FUTURE_DAYS),
    );
    let names: HashMap<i32, String> = space::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let name_of = |id: i32| names.get(&id).cloned().unwrap_or_default();

    let mut calendar = Calendar::new();
    match feed.space_id {
        Some(space_id) => {
            calendar.name(&format!("Coopole — {}", name_of(space_id)));
            let leaves = rules::leaf_spaces(space_id, &children_map(db).await?);
            for b in bookings_on_leaves(db, &leaves, from, until)
                .await?
                .iter()
                .filter(|b| b.status.is_active())
            {
                let title = if actor.sees_details(b) {
                    b.title.clone()
                } else {
                    "Réservé".to_owned()
                };
                calendar.push(event_for(b, &name_of(b.space_id), &title));
            }
            let block_ids: Vec<i32> = occupancy::Entity::find()
                .filter(occupancy::Column::LeafSpaceId.is_in(leaves))
                .filter(occupancy::Column::BlockId.is_not_null())
                .filter(occupancy::Column::EndsAt.gt(from.timestamp()))
                .all(db)
                .await?
                .into_iter()
                .filter_map(|o| o.block_id)
                .collect();
            if !block_ids.is_empty() {
                for block in space_block::Entity::find()
                    .filter(space_block::Column::Id.is_in(block_ids))
                    .all(db)
                    .await?
                {
                    calendar.push(
                        Event::new()
                            .uid(&format!("block-{}@coopole", block.id))
                            .summary(&format!("Fermé : {}", block.reason))
                            .location(&name_of(block.space_id))
                            .starts(block.starts_at)
                            .ends(block.ends_at)
                            .done(),
                    );
                }
            }
        }
        None => {
            calendar.name(&format!("Coopole — {}", owner.name));
            if let Some(org) = actor.organisation_id {
                let only_mine = (!actor.is_referent).then_some(actor.user_id);
                for b in bookings_of(db, org, only_mine).await? {
                    if b.status.is_active() && b.ends_at > from && b.starts_at < until {
                        calendar.push(event_for(&b, &name_of(b.space_id), &b.title));
                    }
                }
            }
        }
    }
    Ok(Some(calendar.done().to_string()))
}

/// One booking as an .ics file, for "add to my calendar".
pub fn booking_ics(b: &booking::Model, space_name: &str) -> String {
    let mut calendar = Calendar::new();
    calendar.push(event_for(b, space_name, &b.title));
    calendar.done().to_string()
}
