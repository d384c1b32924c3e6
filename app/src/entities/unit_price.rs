use crate::organisations::model::Tier;
use sea_orm::entity::prelude::*;

/// The list price of a leasable unit for one tier, per month, excluding VAT, with its VAT rate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_prices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub space_id: i32,
    pub tier: Tier,
    pub monthly_cents: i64,
    pub vat_rate_bp: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
