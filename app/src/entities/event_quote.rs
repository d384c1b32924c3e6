use sea_orm::entity::prelude::*;

/// One version of an event's quote: a draft until sent, then accepted or declined.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_quotes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub version: i32,
    pub valid_until: Date,
    pub discount_bp: i32,
    pub discount_reason: String,
    pub excl_vat_cents: i64,
    pub incl_vat_cents: i64,
    pub sent_at: Option<DateTimeUtc>,
    pub accepted_at: Option<DateTimeUtc>,
    pub declined_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
