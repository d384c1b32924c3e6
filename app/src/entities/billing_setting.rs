use sea_orm::entity::prelude::*;

/// The hub's billing settings: one row (id 1).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_settings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Days after the due date a reminder goes out, comma-separated ("7,21,45").
    pub reminder_days: String,
    /// The VAT rate of event cancellation fees, in basis points.
    pub cancellation_vat_bp: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
