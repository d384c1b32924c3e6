//! Organisations of the social and solidarity economy (ESS) and the price tiers.
use serde::{Deserialize, Serialize};

/// Legal forms of the ESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "association"))]
    Association,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "scop"))]
    Scop,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "scic"))]
    Scic,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cae"))]
    Cae,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "other_coop"))]
    #[serde(rename = "other_coop")]
    OtherCooperative,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "mutual"))]
    Mutual,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "foundation"))]
    Foundation,
    /// A commercial company holding the ESUS approval.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "esus_company"))]
    EsusCompany,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "other"))]
    Other,
}

impl LegalForm {
    pub const ALL: [LegalForm; 9] = [
        LegalForm::Association,
        LegalForm::Scop,
        LegalForm::Scic,
        LegalForm::Cae,
        LegalForm::OtherCooperative,
        LegalForm::Mutual,
        LegalForm::Foundation,
        LegalForm::EsusCompany,
        LegalForm::Other,
    ];

    /// The code forms post and the database stores.
    pub fn code(self) -> &'static str {
        match self {
            LegalForm::Association => "association",
            LegalForm::Scop => "scop",
            LegalForm::Scic => "scic",
            LegalForm::Cae => "cae",
            LegalForm::OtherCooperative => "other_coop",
            LegalForm::Mutual => "mutual",
            LegalForm::Foundation => "foundation",
            LegalForm::EsusCompany => "esus_company",
            LegalForm::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code.trim())
    }
}

/// The hub's thematic sectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "reuse_waste"))]
    ReuseWaste,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "short_food_circuits"))]
    ShortFoodCircuits,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "eco_construction"))]
    EcoConstruction,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "personal_services"))]
    PersonalServices,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "digital_for_all"))]
    DigitalForAll,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "culture"))]
    Culture,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "international_solidarity"))]
    InternationalSolidarity,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sustainable_tourism"))]
    SustainableTourism,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "inclusive_mobility"))]
    InclusiveMobility,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "citizen_energy"))]
    CitizenEnergy,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "health"))]
    Health,
}

impl Sector {
    pub const ALL: [Sector; 11] = [
        Sector::ReuseWaste,
        Sector::ShortFoodCircuits,
        Sector::EcoConstruction,
        Sector::PersonalServices,
        Sector::DigitalForAll,
        Sector::Culture,
        Sector::InternationalSolidarity,
        Sector::SustainableTourism,
        Sector::InclusiveMobility,
        Sector::CitizenEnergy,
        Sector::Health,
    ];

    /// The code forms post and the database stores.
    pub fn code(self) -> &'static str {
        match self {
            Sector::ReuseWaste => "reuse_waste",
            Sector::ShortFoodCircuits => "short_food_circuits",
            Sector::EcoConstruction => "eco_construction",
            Sector::PersonalServices => "personal_services",
            Sector::DigitalForAll => "digital_for_all",
            Sector::Culture => "culture",
            Sector::InternationalSolidarity => "international_solidarity",
            Sector::SustainableTourism => "sustainable_tourism",
            Sector::InclusiveMobility => "inclusive_mobility",
            Sector::CitizenEnergy => "citizen_energy",
            Sector::Health => "health",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code.trim())
    }
}

/// The three price tiers: a tenant of the hub, a member of the ESS network, anyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "resident"))]
    Resident,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "network"))]
    Network,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "outside"))]
    Outside,
}

impl Tier {
    /// In the order price tables show them: the cheapest first.
    pub const ALL: [Tier; 3] = [Tier::Resident, Tier::Network, Tier::Outside];
}

/// An organisation as a choice in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationOption {
    pub id: i32,
    pub name: String,
    pub tier: Tier,
}

/// An organisation's settings as the managers' list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationSettings {
    pub id: i32,
    pub name: String,
    pub legal_form: LegalForm,
    pub sector: Sector,
    pub tier: Tier,
    pub headcount: i32,
    /// Meeting-room minutes included in the lease each month.
    pub included_room_minutes: i32,
    pub show_titles_on_displays: bool,
}

/// The meeting-room hours a lease may include each month, as a form gives them.
pub const MAX_INCLUDED_HOURS: i32 = 200;

/// Parses "12" (hours a month) into minutes; `None` for anything outside 0 to 200 hours.
pub fn parse_included_hours(raw: &str) -> Option<i32> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|h| (0..=MAX_INCLUDED_HOURS).contains(h))
        .map(|h| h * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_hours_are_whole_hours_within_bounds() {
        assert_eq!(parse_included_hours(" 12 "), Some(720));
        assert_eq!(parse_included_hours("0"), Some(0));
        assert_eq!(parse_included_hours("200"), Some(12_000));
        assert_eq!(parse_included_hours("201"), None);
        assert_eq!(parse_included_hours("-1"), None);
        assert_eq!(parse_included_hours("1,5"), None);
        assert_eq!(parse_included_hours("douze"), None);
    }
}
