//! The names of the hub's enumerations, in the user's language.
use crate::auth::model::Role;
use crate::events::model::{EventKind, EventStatus, Extra, Layout};
use crate::i18n::{Locale, td_string};
use crate::organisations::model::{LegalForm, Sector, Tier};
use crate::spaces::model::{Equipment, RateUnit, SpaceKind};

pub fn role(locale: Locale, role: Role) -> String {
    match role {
        Role::Manager => td_string!(locale, roles.manager),
        Role::Tenant => td_string!(locale, roles.tenant),
        Role::Organiser => td_string!(locale, roles.organiser),
        Role::Candidate => td_string!(locale, roles.candidate),
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

pub fn event_status(locale: Locale, status: EventStatus) -> String {
    match status {
        EventStatus::Request => td_string!(locale, event_statuses.request),
        EventStatus::Quoted => td_string!(locale, event_statuses.quoted),
        EventStatus::Option => td_string!(locale, event_statuses.option),
        EventStatus::Confirmed => td_string!(locale, event_statuses.confirmed),
        EventStatus::Done => td_string!(locale, event_statuses.done),
        EventStatus::Closed => td_string!(locale, event_statuses.closed),
        EventStatus::Declined => td_string!(locale, event_statuses.declined),
        EventStatus::Lapsed => td_string!(locale, event_statuses.lapsed),
        EventStatus::Cancelled => td_string!(locale, event_statuses.cancelled),
    }
    .to_string()
}

pub fn event_kind(locale: Locale, kind: EventKind) -> String {
    match kind {
        EventKind::Conference => td_string!(locale, event_kinds.conference),
        EventKind::GeneralAssembly => td_string!(locale, event_kinds.assembly),
        EventKind::Fair => td_string!(locale, event_kinds.fair),
        EventKind::Seminar => td_string!(locale, event_kinds.seminar),
        EventKind::Festive => td_string!(locale, event_kinds.festive),
        EventKind::Other => td_string!(locale, event_kinds.other),
    }
    .to_string()
}

pub fn layout(locale: Locale, layout: Layout) -> String {
    match layout {
        Layout::Theatre => td_string!(locale, layouts.theatre),
        Layout::Classroom => td_string!(locale, layouts.classroom),
        Layout::Banquet => td_string!(locale, layouts.banquet),
        Layout::Cabaret => td_string!(locale, layouts.cabaret),
        Layout::Standing => td_string!(locale, layouts.standing),
    }
    .to_string()
}

pub fn extra(locale: Locale, extra: Extra) -> String {
    match extra {
        Extra::Sound => td_string!(locale, extras.sound),
        Extra::Projector => td_string!(locale, extras.projector),
        Extra::Stage => td_string!(locale, extras.stage),
        Extra::TablesAndChairs => td_string!(locale, extras.tables_chairs),
    }
    .to_string()
}

/// What an event's history line says happened.
pub fn event_history(locale: Locale, what: &str) -> String {
    match what {
        "requested" => td_string!(locale, event_history.requested),
        "spaces" => td_string!(locale, event_history.spaces),
        "quote_sent" => td_string!(locale, event_history.quote_sent),
        "quote_accepted" => td_string!(locale, event_history.quote_accepted),
        "quote_declined" => td_string!(locale, event_history.quote_declined),
        "option" => td_string!(locale, event_history.option),
        "released" => td_string!(locale, event_history.released),
        "lapsed" => td_string!(locale, event_history.lapsed),
        "promoted" => td_string!(locale, event_history.promoted),
        "confirmed" => td_string!(locale, event_history.confirmed),
        "cancelled" => td_string!(locale, event_history.cancelled),
        "declined" => td_string!(locale, event_history.declined),
        "done" => td_string!(locale, event_history.done),
        "closed" => td_string!(locale, event_history.closed),
        _ => td_string!(locale, event_history.other),
    }
    .to_string()
}

pub fn payment_kind(locale: Locale, kind: &str) -> String {
    match kind {
        "deposit" => td_string!(locale, payment_kinds.deposit),
        "balance" => td_string!(locale, payment_kinds.balance),
        _ => td_string!(locale, payment_kinds.cancellation),
    }
    .to_string()
}
