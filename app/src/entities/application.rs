use crate::hosting::model::ApplicationStatus;
use crate::organisations::model::{LegalForm, Sector};
use sea_orm::entity::prelude::*;

/// A candidate organisation's application for offices, desks or storage. Its steps are in
/// `application_step`; once accepted, it leads to an organisation and a lease.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The account that filed it and follows it in its portal.
    pub candidate_id: i32,
    pub organisation_name: String,
    pub legal_form: LegalForm,
    pub siret: String,
    pub founded_year: i32,
    pub esus: bool,
    pub sector: Sector,
    pub headcount: i32,
    pub address: String,
    /// People to seat in offices.
    pub office_people: i32,
    pub desks: i32,
    pub storage_m2: i32,
    pub wanted_from: Date,
    /// None: open-ended.
    pub duration_months: Option<i32>,
    pub project: String,
    pub contribution: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub status: ApplicationStatus,
    pub visit_slot_id: Option<i32>,
    /// The committee session whose agenda it is on (the latest).
    pub committee_id: Option<i32>,
    /// Its place on the waiting list, while wait-listed.
    pub wait_rank: Option<i32>,
    /// The organisation made from it once accepted.
    pub organisation_id: Option<i32>,
    pub lease_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
