use sea_orm::entity::prelude::*;

/// A line of a quote: cents excluding VAT, VAT in basis points.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_quote_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub quote_id: i32,
    pub position: i32,
    pub description: String,
    pub quantity: i64,
    pub unit_cents: i64,
    pub vat_bp: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
