use sea_orm::entity::prelude::*;

/// What happened to an event, when, and by whom (none: the hub itself, e.g. a lapse).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    pub at: DateTimeUtc,
    pub user_id: Option<i32>,
    pub what: String,
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
