use sea_orm::entity::prelude::*;

/// An amount an organiser owes for an event (deposit, balance, cancellation fee), including
/// VAT, for the invoicing to bill.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub kind: String,
    pub amount_cents: i64,
    pub due_on: Date,
    pub created_at: DateTimeUtc,
    pub voided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
