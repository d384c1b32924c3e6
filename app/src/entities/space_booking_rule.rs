use sea_orm::entity::prelude::*;

/// The booking rules a manager set for a space.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "space_booking_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub space_id: i32,
    pub min_minutes: i32,
    pub max_minutes: i32,
    pub buffer_minutes: i32,
    pub min_notice_minutes: i32,
    pub tenant_max_advance_days: i32,
    pub manager_max_advance_days: i32,
    pub cancel_deadline_hours: i32,
    pub requires_approval: bool,
    pub uses_included_hours: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
