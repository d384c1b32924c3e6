use sea_orm::entity::prelude::*;

/// One version of a lease's units and fees, effective from a day. Append-only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lease_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub lease_id: i32,
    /// 1 for the signed lease, then one more per amendment.
    pub number: i32,
    pub effective_from: Date,
    pub reason: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
