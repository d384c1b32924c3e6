use crate::organisations::model::{LegalForm, Sector};
use serde::{Deserialize, Serialize};

/// Figures of the home page, counted from the database on each visit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubFigures {
    pub spaces: u64,
    /// Usable area: the sum of the spaces that are not part of another.
    pub built_area_m2: i64,
    pub offices: u64,
    pub desks: u64,
    pub hosting_area_m2: i64,
    pub storage_units: u64,
    pub storage_area_m2: i64,
    pub event_area_m2: i64,
    pub meeting_rooms: u64,
    pub hall_area_m2: i64,
    pub canteen_area_m2: i64,
    pub shop_area_m2: i64,
    pub organisations_hosted: u64,
    pub members: u64,
    /// Hosted organisations per legal form and per sector, largest first.
    pub by_legal_form: Vec<(LegalForm, u64)>,
    pub by_sector: Vec<(Sector, u64)>,
}
