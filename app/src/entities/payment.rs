use crate::billing::model::PaymentMethod;
use sea_orm::entity::prelude::*;

/// Money received from a buyer, spread over its invoices by `payment_allocation`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub profile_id: i32,
    pub method: PaymentMethod,
    pub received_on: Date,
    pub amount_cents: i64,
    pub reference: String,
    pub recorded_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
