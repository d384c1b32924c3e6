//! The managers' settings of each bookable space: its rules and opening hours.
use super::model::{SpaceLine, SpaceRulesView, format_opening_day};
use super::rules::{BookingRules, OpeningHours};
use super::service::{Actor, BookingError, space_context};
use crate::db::begin_write;
use crate::entities::{space_booking_rule, space_opening_hour};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

pub async fn rules_view(
    db: &DatabaseConnection,
    space_id: i32,
) -> Result<SpaceRulesView, BookingError> {
    let ctx = space_context(db, space_id).await?;
    let r = ctx.rules;
    Ok(SpaceRulesView {
        space: SpaceLine {
            id: ctx.space.id,
            name: ctx.space.name,
            kind: ctx.space.kind,
            capacity: ctx.space.capacity,
            part_of: None,
        },
        min_minutes: r.min_minutes,
        max_minutes: r.max_minutes,
        buffer_minutes: r.buffer_minutes,
        min_notice_minutes: r.min_notice_minutes,
        tenant_max_advance_days: r.tenant_max_advance_days,
        manager_max_advance_days: r.manager_max_advance_days,
        cancel_deadline_hours: r.cancel_deadline_hours,
        requires_approval: r.requires_approval,
        uses_included_hours: r.uses_included_hours,
        opening_hours: ctx
            .hours
            .days
            .iter()
            .map(|d| format_opening_day(d))
            .collect(),
    })
}

/// Replaces a space's rules and opening hours. Bookings already made keep their slots; the
/// new rules apply to what is booked or changed from now on.
pub async fn update_rules(
    db: &DatabaseConnection,
    actor: &Actor,
    space_id: i32,
    rules: BookingRules,
    hours: &OpeningHours,
) -> Result<(), BookingError> {
    if !actor.is_manager() {
        return Err(BookingError::NotAllowed);
    }
    space_context(db, space_id).await?;
    let i = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let txn = begin_write(db).await?;
    space_booking_rule::ActiveModel {
        space_id: Set(space_id),
        min_minutes: Set(i(rules.min_minutes)),
        max_minutes: Set(i(rules.max_minutes)),
        buffer_minutes: Set(i(rules.buffer_minutes)),
        min_notice_minutes: Set(i(rules.min_notice_minutes)),
        tenant_max_advance_days: Set(i(rules.tenant_max_advance_days)),
        manager_max_advance_days: Set(i(rules.manager_max_advance_days)),
        cancel_deadline_hours: Set(i(rules.cancel_deadline_hours)),
        requires_approval: Set(rules.requires_approval),
        uses_included_hours: Set(rules.uses_included_hours),
    }
    .update(&txn)
    .await?;
    space_opening_hour::Entity::delete_many()
        .filter(space_opening_hour::Column::SpaceId.eq(space_id))
        .exec(&txn)
        .await?;
    for (weekday, intervals) in hours.days.iter().enumerate() {
        for (open, close) in intervals {
            space_opening_hour::ActiveModel {
                space_id: Set(space_id),
                weekday: Set(i16::try_from(weekday).unwrap_or(0)),
                opens_minute: Set(i(*open)),
                closes_minute: Set(i(*close)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
