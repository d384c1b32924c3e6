use crate::spaces::model::SpaceKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spaces")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: SpaceKind,
    pub area_m2: i32,
    pub capacity: i32,
    /// The space this one is part of (a half of the hall is part of the hall).
    pub parent_id: Option<i32>,
    pub description: String,
    /// Rentable by the hour or the day (meeting rooms, the hall, the canteen).
    pub bookable: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::space_equipment::Entity")]
    Equipment,
    #[sea_orm(has_many = "super::space_rate::Entity")]
    Rates,
}

impl Related<super::space_equipment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Equipment.def()
    }
}

impl Related<super::space_rate::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Rates.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
