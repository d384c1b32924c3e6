use crate::events::model::{EventKind, EventStatus};
use crate::organisations::model::Tier;
use sea_orm::entity::prelude::*;

/// An event, from the organiser's request to its close. Times are the event's own; set-up
/// and teardown widen them into `held_from`..`held_until` (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub kind: EventKind,
    pub organiser_id: i32,
    pub organisation_id: Option<i32>,
    pub tier: Tier,
    pub attendance: i32,
    pub first_date: Date,
    pub last_date: Date,
    pub start_minute: i32,
    pub end_minute: i32,
    pub setup_minutes: i32,
    pub teardown_minutes: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub held_from: i64,
    pub held_until: i64,
    /// Extra codes, comma-separated.
    pub extras: String,
    pub catering: String,
    pub catering_covers: i32,
    pub contact_phone: String,
    pub notes: String,
    pub suggest_spaces: bool,
    pub status: EventStatus,
    pub option_placed_at: Option<DateTimeUtc>,
    pub option_expires_at: Option<DateTimeUtc>,
    pub cancellation_fee_cents: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
