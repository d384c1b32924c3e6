use sea_orm::entity::prelude::*;

/// A numbering series' counter for a year: the next number to give. Locked by the
/// transaction that issues, so numbers run without gaps.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_series")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub series: String,
    pub year: i32,
    pub next_seq: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
