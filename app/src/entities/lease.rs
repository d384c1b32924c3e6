use crate::hosting::model::LeaseStatus;
use crate::organisations::model::Tier;
use sea_orm::entity::prelude::*;

/// A lease (convention d'occupation): an organisation's hold on units, with lease-wide terms.
/// Its units and fees are in its versions (`lease_version`, `lease_line`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub starts_on: Date,
    /// The last day, ends included: agreed at signing, or set by a notice or an early end.
    pub ends_on: Option<Date>,
    pub notice_months: i32,
    pub deposit_cents: i64,
    pub included_room_minutes: i32,
    /// The day of the month its invoice is issued (1 to 28).
    pub billing_day: i32,
    pub status: LeaseStatus,
    pub notice_given_on: Option<Date>,
    pub notice_given_by: Option<i32>,
    /// Why a manager ended it early, by agreement.
    pub end_reason: Option<String>,
    /// The organisation's tier before the lease made it a resident, restored at the end.
    pub tier_before: Tier,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
