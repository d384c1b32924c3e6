use sea_orm::entity::prelude::*;

/// One unit of one lease version: its list price for the tenant's tier and the fee charged,
/// monthly, excluding VAT.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lease_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub version_id: i32,
    pub space_id: i32,
    pub list_fee_cents: i64,
    pub fee_cents: i64,
    /// Required when the fee is below the list price.
    pub discount_reason: Option<String>,
    pub vat_rate_bp: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
