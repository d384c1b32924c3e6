use sea_orm::entity::prelude::*;

/// A unit promised to an accepted application until its lease is signed. A unit is promised
/// to one application at a time (unique `space_id`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_promises")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub space_id: i32,
    pub application_id: i32,
    pub promised_by: i32,
    pub promised_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
