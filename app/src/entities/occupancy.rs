use sea_orm::entity::prelude::*;

/// One leaf space taken for a span of Unix seconds, by a booking, a block or a confirmed event.
/// Two rows of one leaf never overlap (see the migration that creates this table).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "occupancies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub leaf_space_id: i32,
    pub starts_at: i64,
    pub ends_at: i64,
    pub booking_id: Option<i32>,
    pub block_id: Option<i32>,
    pub event_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
