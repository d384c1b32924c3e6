//! The names of the hub's enumerations, in the user's language.
use crate::auth::model::Role;
use crate::i18n::{Locale, td_string};
use crate::organisations::model::{LegalForm, Sector, Tier};
use crate::spaces::model::{Equipment, RateUnit, SpaceKind};

pub fn role(locale: Locale, role: Role) -> String {
    match role {
        Role::Manager => td_string!(locale, roles.manager),
        Role::Tenant => td_string!(locale, roles.tenant),
        Role::Organiser => td_string!(locale, roles.organiser),
    }
    .to_string()
}

pub fn space_kind(locale: Locale, kind: SpaceKind) -> String {
    match kind {
        SpaceKind::Office => td_string!(locale, kinds.office),
        SpaceKind::Desk => td_string!(locale, kinds.desk),
        SpaceKind::Storage => td_string!(locale, kinds.storage),
        SpaceKind::Hall => td_string!(locale, kinds.hall),
        SpaceKind::Canteen => td_string!(locale, kinds.canteen),
        SpaceKind::MeetingRoom => td_string!(locale, kinds.meeting_room),
        SpaceKind::Shop => td_string!(locale, kinds.shop),
    }
    .to_string()
}

pub fn equipment(locale: Locale, item: Equipment) -> String {
    match item {
        Equipment::Projector => td_string!(locale, equipment.projector),
        Equipment::Screen => td_string!(locale, equipment.screen),
        Equipment::SoundSystem => td_string!(locale, equipment.sound_system),
        Equipment::Microphones => td_string!(locale, equipment.microphones),
        Equipment::Videoconference => td_string!(locale, equipment.videoconference),
        Equipment::Whiteboard => td_string!(locale, equipment.whiteboard),
        Equipment::Wifi => td_string!(locale, equipment.wifi),
        Equipment::Stage => td_string!(locale, equipment.stage),
        Equipment::Kitchen => td_string!(locale, equipment.kitchen),
        Equipment::StepFreeAccess => td_string!(locale, equipment.step_free_access),
        Equipment::Furnished => td_string!(locale, equipment.furnished),
        Equipment::Shelving => td_string!(locale, equipment.shelving),
        Equipment::Lockable => td_string!(locale, equipment.lockable),
    }
    .to_string()
}

pub fn tier(locale: Locale, tier: Tier) -> String {
    match tier {
        Tier::Resident => td_string!(locale, tiers.resident),
        Tier::Network => td_string!(locale, tiers.network),
        Tier::Outside => td_string!(locale, tiers.outside),
    }
    .to_string()
}

pub fn rate_unit(locale: Locale, unit: RateUnit) -> String {
    match unit {
        RateUnit::Hour => td_string!(locale, rate_units.hour),
        RateUnit::HalfDay => td_string!(locale, rate_units.half_day),
        RateUnit::Day => td_string!(locale, rate_units.day),
        RateUnit::Evening => td_string!(locale, rate_units.evening),
        RateUnit::Weekend => td_string!(locale, rate_units.weekend),
    }
    .to_string()
}

pub fn legal_form(locale: Locale, form: LegalForm) -> String {
    match form {
        LegalForm::Association => td_string!(locale, legal_forms.association),
        LegalForm::Scop => td_string!(locale, legal_forms.scop),
        LegalForm::Scic => td_string!(locale, legal_forms.scic),
        LegalForm::Cae => td_string!(locale, legal_forms.cae),
        LegalForm::OtherCooperative => td_string!(locale, legal_forms.other_coop),
        LegalForm::Mutual => td_string!(locale, legal_forms.mutual),
        LegalForm::Foundation => td_string!(locale, legal_forms.foundation),
        LegalForm::EsusCompany => td_string!(locale, legal_forms.esus_company),
        LegalForm::Other => td_string!(locale, legal_forms.other),
    }
    .to_string()
}

pub fn sector(locale: Locale, sector: Sector) -> String {
    match sector {
        Sector::ReuseWaste => td_string!(locale, sectors.reuse_waste),
        Sector::ShortFoodCircuits => td_string!(locale, sectors.short_food_circuits),
        Sector::EcoConstruction => td_string!(locale, sectors.eco_construction),
        Sector::PersonalServices => td_string!(locale, sectors.personal_services),
        Sector::DigitalForAll => td_string!(locale, sectors.digital_for_all),
        Sector::Culture => td_string!(locale, sectors.culture),
        Sector::InternationalSolidarity => td_string!(locale, sectors.international_solidarity),
        Sector::SustainableTourism => td_string!(locale, sectors.sustainable_tourism),
        Sector::InclusiveMobility => td_string!(locale, sectors.inclusive_mobility),
        Sector::CitizenEnergy => td_string!(locale, sectors.citizen_energy),
        Sector::Health => td_string!(locale, sectors.health),
    }
    .to_string()
}
