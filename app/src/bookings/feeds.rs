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
use crate::format;
use crate::i18n::{Locale, td_string};
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use sea_orm::sea_query::Expr;
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

/// Revokes one of the actor's feeds; its address stops working at once. One conditional
/// update: a feed already revoked, or someone else's, is not found.
pub async fn revoke_feed(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), BookingError> {
    let done = feed_token::Entity::update_many()
        .col_expr(feed_token::Column::RevokedAt, Expr::value(now))
        .filter(feed_token::Column::Id.eq(id))
        .filter(feed_token::Column::UserId.eq(actor.user_id))
        .filter(feed_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(BookingError::NotFound);
    }
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
    let spaces: HashMap<i32, space::Model> = space::Entity::find()
        .filter(space::Column::Id.is_in(feeds.iter().filter_map(|f| f.space_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(feeds
        .into_iter()
        .map(|f| FeedView {
            id: f.id,
            space: f
                .space_id
                .and_then(|id| spaces.get(&id))
                .map(|s| super::model::SpaceLine {
                    id: s.id,
                    name: s.name.clone(),
                    kind: s.kind,
                    capacity: s.capacity,
                    part_of: None,
                }),
            path: None,
            created_on: f.created_at.date_naive(),
        })
        .collect())
}

/// The path a feed is served at.
pub fn feed_path(secret: &str) -> String {
    format!("/agenda/{secret}.ics")
}

/// Whether `path` has the shape `feed_path` gives (it comes back from a cookie).
pub fn is_feed_path(path: &str) -> bool {
    path.strip_prefix("/agenda/")
        .and_then(|p| p.strip_suffix(".ics"))
        .is_some_and(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

fn event_for(b: &booking::Model, space_name: &str, title: &str, locale: Locale) -> Event {
    let slot = LocalSlot::from_utc(b.starts_at, b.ends_at);
    let description = td_string!(
        locale,
        bookings.feeds.ics_description,
        space = space_name,
        date = format::long_date(slot.date, locale),
        attendees = b.attendees
    )
    .to_string();
    let mut event = Event::new();
    event
        .uid(&format!("booking-{}@coopole", b.id))
        .summary(title)
        .location(space_name)
        .starts(b.starts_at)
        .ends(b.ends_at)
        .timestamp(b.updated_at)
        .description(&description)
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
    // A calendar app sends no cookie: the feed speaks the language its owner last chose.
    let locale = owner.locale;
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
                    td_string!(locale, bookings.feeds.ics_booked).to_string()
                };
                calendar.push(event_for(b, &name_of(b.space_id), &title, locale));
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
                            .summary(
                                &td_string!(
                                    locale,
                                    bookings.feeds.ics_closed,
                                    reason = block.reason.as_str()
                                )
                                .to_string(),
                            )
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
                        calendar.push(event_for(&b, &name_of(b.space_id), &b.title, locale));
                    }
                }
            }
        }
    }
    Ok(Some(calendar.done().to_string()))
}

/// One booking as an .ics file, for "add to my calendar".
pub fn booking_ics(b: &booking::Model, space_name: &str, locale: Locale) -> String {
    let mut calendar = Calendar::new();
    calendar.push(event_for(b, space_name, &b.title, locale));
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::{feed_path, is_feed_path};

    #[test]
    fn only_a_feed_address_comes_back_from_the_cookie() {
        assert!(is_feed_path(&feed_path("aZ09-_x")));
        for other in [
            "/agenda/.ics",
            "/agenda/a b.ics",
            "/agenda/a/../b.ics",
            "https://evil.example/agenda/a.ics",
            "/agenda/<script>.ics",
            "/compte",
        ] {
            assert!(!is_feed_path(other), "{other}");
        }
    }
}
