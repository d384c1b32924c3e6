use sea_orm::entity::prelude::*;

/// What a recurring series was made from; its occurrences are bookings.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_series")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub space_id: i32,
    pub organisation_id: i32,
    pub created_by: i32,
    pub title: String,
    pub attendees: i32,
    pub start_minute: i32,
    pub duration_minutes: i32,
    pub interval_weeks: i32,
    /// Bit 0 = Monday … bit 6 = Sunday.
    pub weekdays: i32,
    pub first_date: Date,
    pub until_date: Option<Date>,
    pub occurrence_count: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
