use crate::bookings::model::BookingStatus;
use crate::organisations::model::Tier;
use sea_orm::entity::prelude::*;

/// A room booking: one occurrence, alone or in a series. Its price is fixed when it is made.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub space_id: i32,
    pub organisation_id: i32,
    pub booked_by: i32,
    pub title: String,
    pub attendees: i32,
    /// Equipment codes, comma-separated.
    pub equipment: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub status: BookingStatus,
    pub series_id: Option<i32>,
    pub tier: Tier,
    pub included_minutes: i32,
    pub billable_minutes: i32,
    pub amount_cents: i64,
    pub vat_rate_bp: i32,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<i32>,
    pub cancellation_charged: bool,
    pub decided_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
