use crate::hosting::model::ApplicationStatus;
use sea_orm::entity::prelude::*;

/// One move of an application: who, when, from what to what, and why. Append-only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// None: the application was received.
    pub from_status: Option<ApplicationStatus>,
    pub to_status: ApplicationStatus,
    pub by_user: i32,
    pub at: DateTimeUtc,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
