use sea_orm::entity::prelude::*;

/// One opening interval of a space on a weekday (0 = Monday), in minutes of the local day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "space_opening_hours")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub space_id: i32,
    pub weekday: i16,
    pub opens_minute: i32,
    pub closes_minute: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
