use sea_orm::entity::prelude::*;

/// An amount owed by an organisation, recorded for the invoicing to bill.
/// A voided charge (a booking cancelled in time) stays, marked, for the record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "charges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    /// What it comes from: "room_booking", …
    pub source: String,
    pub source_id: i32,
    pub description: String,
    pub amount_cents: i64,
    pub vat_rate_bp: i32,
    pub service_date: Date,
    pub created_at: DateTimeUtc,
    pub voided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
