use crate::billing::model::RunStatus;
use sea_orm::entity::prelude::*;

/// A month's billing run: drafts to review, then issued invoice by invoice. One per month.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The first day of the month billed.
    pub period_start: Date,
    pub status: RunStatus,
    pub issue_date: Option<Date>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub issue_started_by: Option<i32>,
    pub issue_started_at: Option<DateTimeUtc>,
    pub issued_at: Option<DateTimeUtc>,
    /// The server instance issuing it, and until when its claim holds without news.
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
