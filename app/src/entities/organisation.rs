use crate::organisations::model::{LegalForm, Sector, Tier};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    pub legal_form: LegalForm,
    pub sector: Sector,
    pub headcount: i32,
    pub tier: Tier,
    pub siret: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    /// Meeting-room minutes included in the lease each month.
    pub included_room_minutes: i32,
    /// Whether door displays may show this organisation's booking titles.
    pub show_titles_on_displays: bool,
    /// The year the organisation was created, for the committee's age bands.
    pub founded_year: Option<i32>,
    /// Holds the ESUS approval (entreprise solidaire d'utilité sociale).
    pub esus: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user::Entity")]
    Users,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
