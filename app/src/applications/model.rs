//! Applications for hosting, visit slots and the selection committee: the types that parse
//! their input, and the views their pages read.
use crate::hosting::model::{
    AgeBand, ApplicationStatus, CompanyNumber, CompanyNumberError, SizeBand,
};
use crate::hosting::rules::{Share, Target};
use crate::input::{TextError, limits};
use crate::organisations::model::{LegalForm, Sector};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest project or contribution text, in characters: about a page.
pub const ESSAY_MAX: usize = 3_000;
/// What one application may ask for: the hub has 60 offices for about 150 people, 44 desks and
/// about 20 storage units of a few m².
pub const OFFICE_PEOPLE_MAX: i32 = 60;
pub const DESKS_MAX: i32 = 44;
pub const STORAGE_M2_MAX: i32 = 100;
/// A wish further ahead than this is not an application yet.
pub const WANTED_WITHIN_DAYS: i64 = 730;
pub const DURATION_MAX_MONTHS: i32 = 120;

/// The application form as posted: text, as browsers send it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub organisation_name: String,
    pub legal_form: String,
    pub siret: String,
    pub founded_year: String,
    pub esus: bool,
    pub sector: String,
    pub headcount: String,
    pub address: String,
    pub office_people: String,
    pub desks: String,
    pub storage_m2: String,
    pub wanted_from: String,
    pub duration_months: String,
    pub project: String,
    pub contribution: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub visit_slot: String,
}

/// An application whose every value is in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub organisation_name: String,
    pub legal_form: LegalForm,
    pub siret: CompanyNumber,
    pub founded_year: i32,
    pub esus: bool,
    pub sector: Sector,
    pub headcount: i32,
    pub address: String,
    pub wants: Wants,
    pub wanted_from: NaiveDate,
    pub duration_months: Option<i32>,
    pub project: String,
    pub contribution: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub visit_slot: Option<i32>,
}

/// What a candidate asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Wants {
    /// People to seat in offices.
    pub office_people: i32,
    pub desks: i32,
    pub storage_m2: i32,
}

impl Wants {
    /// The m² it would lease, for the diversity panel: 6 m² a person in an office (the hub's
    /// offices seat 2 to 4 on 12 to 24 m²), 5 m² a desk with its share of the open space, and
    /// the storage asked.
    pub fn area_m2(self) -> i64 {
        i64::from(self.office_people) * 6 + i64::from(self.desks) * 5 + i64::from(self.storage_m2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationFormError {
    LegalForm,
    Siret(CompanyNumberError),
    FoundedYear,
    Sector,
    Headcount,
    OfficePeople,
    Desks,
    StorageM2,
    NothingWanted,
    WantedFrom,
    WantedTooFar,
    Duration,
    ContactEmail,
    VisitSlot,
    Text(&'static str, TextError),
}

impl ApplicationFormError {
    pub fn field(self) -> &'static str {
        use ApplicationFormError as E;
        match self {
            E::LegalForm => "legal_form",
            E::Siret(_) => "siret",
            E::FoundedYear => "founded_year",
            E::Sector => "sector",
            E::Headcount => "headcount",
            E::OfficePeople | E::NothingWanted => "office_people",
            E::Desks => "desks",
            E::StorageM2 => "storage_m2",
            E::WantedFrom | E::WantedTooFar => "wanted_from",
            E::Duration => "duration_months",
            E::ContactEmail => "contact_email",
            E::VisitSlot => "visit_slot",
            E::Text(field, _) => field,
        }
    }
}

/// A whole number from a form field within `range`; empty counts as `empty`.
fn count(raw: &str, range: std::ops::RangeInclusive<i32>, empty: Option<i32>) -> Option<i32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return empty;
    }
    raw.parse::<i32>().ok().filter(|n| range.contains(n))
}

impl ApplicationForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewApplication, ApplicationFormError> {
        use ApplicationFormError as E;
        let text = |field: &'static str, raw: &str, max: usize, multiline: bool| {
            crate::input::required(raw, max, multiline).map_err(|e| E::Text(field, e))
        };
        let organisation_name = text("organisation_name", &self.organisation_name, 120, false)?;
        let legal_form = LegalForm::from_code(&self.legal_form).ok_or(E::LegalForm)?;
        let siret = CompanyNumber::parse(&self.siret).map_err(E::Siret)?;
        let founded_year =
            count(&self.founded_year, 1800..=today.year(), None).ok_or(E::FoundedYear)?;
        let sector = Sector::from_code(&self.sector).ok_or(E::Sector)?;
        let headcount = count(&self.headcount, 1..=10_000, None).ok_or(E::Headcount)?;
        let address = text("address", &self.address, 300, true)?;
        let wants = Wants {
            office_people: count(&self.office_people, 0..=OFFICE_PEOPLE_MAX, Some(0))
                .ok_or(E::OfficePeople)?,
            desks: count(&self.desks, 0..=DESKS_MAX, Some(0)).ok_or(E::Desks)?,
            storage_m2: count(&self.storage_m2, 0..=STORAGE_M2_MAX, Some(0)).ok_or(E::StorageM2)?,
        };
        if wants == Wants::default() {
            return Err(E::NothingWanted);
        }
        let wanted_from = NaiveDate::parse_from_str(self.wanted_from.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d >= today)
            .ok_or(E::WantedFrom)?;
        if (wanted_from - today).num_days() > WANTED_WITHIN_DAYS {
            return Err(E::WantedTooFar);
        }
        let duration_months = match self.duration_months.trim() {
            "" | "0" => None,
            raw => Some(count(raw, 1..=DURATION_MAX_MONTHS, None).ok_or(E::Duration)?),
        };
        let project = text("project", &self.project, ESSAY_MAX, true)?;
        let contribution = text("contribution", &self.contribution, ESSAY_MAX, true)?;
        let contact_name = text("contact_name", &self.contact_name, 120, false)?;
        let contact_email = crate::auth::model::Email::parse(&self.contact_email)
            .map_err(|_| E::ContactEmail)?
            .as_str()
            .to_owned();
        let contact_phone =
            crate::input::line(&self.contact_phone, 40).map_err(|e| E::Text("contact_phone", e))?;
        let visit_slot = match self.visit_slot.trim() {
            "" => None,
            raw => Some(raw.parse::<i32>().map_err(|_| E::VisitSlot)?),
        };
        Ok(NewApplication {
            organisation_name,
            legal_form,
            siret,
            founded_year,
            esus: self.esus,
            sector,
            headcount,
            address,
            wants,
            wanted_from,
            duration_months,
            project,
            contribution,
            contact_name,
            contact_email,
            contact_phone,
            visit_slot,
        })
    }
}

/// A visit slot managers open: a day, a start time, a length and how many candidates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotForm {
    pub day: String,
    pub start: String,
    pub minutes: String,
    pub capacity: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotFormError {
    Day,
    Start,
    Minutes,
    Capacity,
}

impl SlotFormError {
    pub fn field(self) -> &'static str {
        match self {
            SlotFormError::Day => "day",
            SlotFormError::Start => "start",
            SlotFormError::Minutes => "minutes",
            SlotFormError::Capacity => "capacity",
        }
    }
}

/// A visit slot, parsed: its day and time in Paris, its length and capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSlot {
    pub day: NaiveDate,
    pub start: chrono::NaiveTime,
    pub minutes: i64,
    pub capacity: i32,
}

impl SlotForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewSlot, SlotFormError> {
        let day = NaiveDate::parse_from_str(self.day.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d >= today && (*d - today).num_days() <= 365)
            .ok_or(SlotFormError::Day)?;
        let start = chrono::NaiveTime::parse_from_str(self.start.trim(), "%H:%M")
            .map_err(|_| SlotFormError::Start)?;
        let minutes = count(&self.minutes, 15..=240, Some(60)).ok_or(SlotFormError::Minutes)?;
        let capacity = count(&self.capacity, 1..=50, Some(4)).ok_or(SlotFormError::Capacity)?;
        Ok(NewSlot {
            day,
            start,
            minutes: i64::from(minutes),
            capacity,
        })
    }
}

/// A committee's decision as the session records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: ApplicationStatus,
    pub votes_for: i32,
    pub votes_against: i32,
    pub votes_abstain: i32,
    pub reasons: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionError {
    Outcome,
    Votes,
    NoVotes,
    /// Accepted with no majority for, or refused with a majority for.
    AgainstVotes,
    Text(TextError),
}

impl DecisionError {
    pub fn field(self) -> &'static str {
        match self {
            DecisionError::Outcome | DecisionError::AgainstVotes => "decision",
            DecisionError::Votes | DecisionError::NoVotes => "votes_for",
            DecisionError::Text(_) => "reasons",
        }
    }
}

/// A committee has at most this many voting members.
pub const VOTERS_MAX: i32 = 50;

impl Decision {
    pub fn parse(
        outcome: &str,
        votes: [&str; 3],
        reasons: &str,
    ) -> Result<Decision, DecisionError> {
        let outcome = ApplicationStatus::from_code(outcome)
            .filter(|s| {
                matches!(
                    s,
                    ApplicationStatus::Accepted
                        | ApplicationStatus::WaitListed
                        | ApplicationStatus::Refused
                )
            })
            .ok_or(DecisionError::Outcome)?;
        let mut n = [0; 3];
        for (slot, raw) in n.iter_mut().zip(votes) {
            *slot = count(raw, 0..=VOTERS_MAX, Some(0)).ok_or(DecisionError::Votes)?;
        }
        let [votes_for, votes_against, votes_abstain] = n;
        if votes_for + votes_against + votes_abstain == 0 {
            return Err(DecisionError::NoVotes);
        }
        if votes_for + votes_against + votes_abstain > VOTERS_MAX {
            return Err(DecisionError::Votes);
        }
        let reasons = crate::input::required(reasons, 2_000, true).map_err(DecisionError::Text)?;
        let decision = Decision {
            outcome,
            votes_for,
            votes_against,
            votes_abstain,
            reasons,
        };
        if !super::rules::votes_carry(&decision) {
            return Err(DecisionError::AgainstVotes);
        }
        Ok(decision)
    }
}

/// One box of the targets form: its field, what was typed, the target it makes, its maximum.
type TargetField<'a> = (&'static str, &'a str, fn(u32) -> Target, i32);

/// The diversity targets as the managers' form posts them: empty for no target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetsForm {
    pub max_legal_form_percent: String,
    pub max_sector_percent: String,
    pub min_sectors: String,
    pub min_legal_forms: String,
}

impl TargetsForm {
    /// The targets set, or the field that is out of range.
    pub fn parse(&self) -> Result<Vec<Target>, &'static str> {
        let mut out = Vec::new();
        let fields: [TargetField<'_>; 4] = [
            (
                "max_legal_form_percent",
                &self.max_legal_form_percent,
                |percent| Target::MaxLegalFormPercent { percent },
                100,
            ),
            (
                "max_sector_percent",
                &self.max_sector_percent,
                |percent| Target::MaxSectorPercent { percent },
                100,
            ),
            (
                "min_sectors",
                &self.min_sectors,
                |count| Target::MinSectors { count },
                Sector::ALL.len() as i32,
            ),
            (
                "min_legal_forms",
                &self.min_legal_forms,
                |count| Target::MinLegalForms { count },
                LegalForm::ALL.len() as i32,
            ),
        ];
        for (field, raw, make, max) in fields {
            if raw.trim().is_empty() {
                continue;
            }
            let n = count(raw, 1..=max, None).ok_or(field)?;
            out.push(make(n.unsigned_abs()));
        }
        Ok(out)
    }
}

/// A target's code in the database and the form, and its value.
pub fn target_parts(t: Target) -> (&'static str, u32) {
    match t {
        Target::MaxLegalFormPercent { percent } => ("max_legal_form_percent", percent),
        Target::MaxSectorPercent { percent } => ("max_sector_percent", percent),
        Target::MinSectors { count } => ("min_sectors", count),
        Target::MinLegalForms { count } => ("min_legal_forms", count),
    }
}

pub fn target_from_parts(kind: &str, value: u32) -> Option<Target> {
    match kind {
        "max_legal_form_percent" => Some(Target::MaxLegalFormPercent { percent: value }),
        "max_sector_percent" => Some(Target::MaxSectorPercent { percent: value }),
        "min_sectors" => Some(Target::MinSectors { count: value }),
        "min_legal_forms" => Some(Target::MinLegalForms { count: value }),
        _ => None,
    }
}

/// The line limit of a step's note.
pub const NOTE_MAX: usize = 1_000;
const _: () = assert!(NOTE_MAX <= limits::NOTE);

// ---------------------------------------------------------------------------------------------
// Views

/// An application as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: i32,
    pub organisation_name: String,
    pub legal_form: LegalForm,
    pub sector: Sector,
    pub headcount: i32,
    pub status: ApplicationStatus,
    pub wants: Wants,
    pub wanted_from: NaiveDate,
    /// Times in views are Paris wall-clock times: the browser bundle carries no time zone.
    pub visit: Option<NaiveDateTime>,
    pub committee: Option<(i32, NaiveDateTime)>,
    pub wait_rank: Option<i32>,
    pub lease_id: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

/// One step of an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    /// Who moved it; the candidate's own portal leaves managers' names and notes out.
    pub by: Option<String>,
    pub at: NaiveDateTime,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSlotView {
    pub id: i32,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub capacity: i32,
    pub booked: i32,
}

/// A recorded decision of a committee session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub committee_id: i32,
    pub meets_at: NaiveDateTime,
    pub outcome: ApplicationStatus,
    pub votes_for: i32,
    pub votes_against: i32,
    pub votes_abstain: i32,
    pub reasons: String,
}

/// A committee session as a choice or a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeSummary {
    pub id: i32,
    pub meets_at: NaiveDateTime,
    pub place: String,
    pub items: u32,
    pub decided: u32,
}

/// A unit as a choice: its id, name, kind and area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChoice {
    pub id: i32,
    pub name: String,
    pub kind: crate::spaces::model::SpaceKind,
    pub area_m2: i32,
    pub capacity: i32,
}

/// One application with everything its page shows. Candidates get it without the managers'
/// parts (`steps` without names and notes, no decisions' reasons, no choices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    pub siret: String,
    pub founded_year: i32,
    pub esus: bool,
    pub address: String,
    pub duration_months: Option<i32>,
    pub project: String,
    pub contribution: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub candidate: String,
    pub steps: Vec<StepView>,
    pub decisions: Vec<DecisionView>,
    pub promised: Vec<UnitChoice>,
    pub organisation_id: Option<i32>,
    /// Visit slots the candidate may pick (open, not full, to come).
    pub slots: Vec<VisitSlotView>,
    /// Managers only: the sessions to come whose agenda it may join.
    pub committees: Vec<CommitteeSummary>,
    /// Managers only, once accepted: units free from the wanted day, to promise.
    pub free_units: Vec<UnitChoice>,
    pub is_manager: bool,
}

/// One dimension the committee compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dimension {
    LegalForm,
    Sector,
    Size,
    Age,
}

/// One value of a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DimensionValue {
    LegalForm(LegalForm),
    Sector(Sector),
    Size(SizeBand),
    /// None: the year of creation is not known.
    Age(Option<AgeBand>),
}

/// One row of the panel: a value's share today and with the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRow {
    pub value: DimensionValue,
    /// The candidate's own value.
    pub candidate: bool,
    pub before: Share,
    pub after: Share,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionTable {
    pub dimension: Dimension,
    pub rows: Vec<ShareRow>,
}

/// A target and whether the portfolio meets it today and with the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetCheck {
    pub target: Target,
    pub before: bool,
    pub after: bool,
    /// The candidate would leave it missed (see `hosting::rules::broken_by`).
    pub broken: bool,
}

/// The committee's diversity panel for one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiversityPanel {
    pub hosted: u32,
    pub hosted_m2: i64,
    pub candidate_m2: i64,
    pub tables: Vec<DimensionTable>,
    pub targets: Vec<TargetCheck>,
}

/// One application on a session's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub application: ApplicationSummary,
    pub esus: bool,
    pub founded_year: i32,
    pub contribution: String,
    pub panel: DiversityPanel,
    pub decision: Option<DecisionView>,
}

/// A committee session's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeDetail {
    pub id: i32,
    pub meets_at: NaiveDateTime,
    pub place: String,
    pub items: Vec<AgendaItem>,
    /// Visited or wait-listed applications that are on no open agenda.
    pub addable: Vec<ApplicationSummary>,
}

/// The committee sessions page: sessions, and the targets in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteesPage {
    pub sessions: Vec<CommitteeSummary>,
    pub targets: Vec<Target>,
}

/// An accepted application whose lease is not signed yet, for the forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub application_id: i32,
    pub organisation_name: String,
    pub wants: Wants,
    pub wanted_from: NaiveDate,
    pub promised: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ApplicationForm {
        ApplicationForm {
            organisation_name: "Atelier Vélo Solidaire".into(),
            legal_form: "association".into(),
            siret: "732 829 320 00074".into(),
            founded_year: "2019".into(),
            esus: true,
            sector: "inclusive_mobility".into(),
            headcount: "4".into(),
            address: "3 rue de la Paix, Nantes".into(),
            office_people: "3".into(),
            desks: "".into(),
            storage_m2: "6".into(),
            wanted_from: "2027-03-01".into(),
            duration_months: "".into(),
            project: "Réparer".into(),
            contribution: "Ateliers".into(),
            contact_name: "Lou".into(),
            contact_email: "lou@velo.example".into(),
            contact_phone: "".into(),
            visit_slot: "".into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn a_complete_application_parses() {
        let a = form().parse(today()).unwrap();
        assert_eq!(a.siret.siren(), "732829320");
        assert_eq!(
            a.wants,
            Wants {
                office_people: 3,
                desks: 0,
                storage_m2: 6
            }
        );
        assert_eq!(a.duration_months, None);
        assert_eq!(a.wants.area_m2(), 24);
    }

    #[test]
    fn bad_values_name_their_field() {
        let refuse = |f: fn(&mut ApplicationForm)| {
            let mut form = form();
            f(&mut form);
            form.parse(today()).unwrap_err()
        };
        assert_eq!(
            refuse(|f| f.siret = "732 829 320 00075".into()),
            ApplicationFormError::Siret(CompanyNumberError::WrongKey)
        );
        assert_eq!(
            refuse(|f| f.desks = "10000".into()),
            ApplicationFormError::Desks
        );
        assert_eq!(
            refuse(|f| f.office_people = "-1".into()),
            ApplicationFormError::OfficePeople
        );
        assert_eq!(
            refuse(|f| {
                f.office_people = "0".into();
                f.storage_m2 = "".into();
            }),
            ApplicationFormError::NothingWanted
        );
        assert_eq!(
            refuse(|f| f.wanted_from = "2026-12-02".into()),
            ApplicationFormError::WantedFrom
        );
        assert_eq!(
            refuse(|f| f.wanted_from = "2029-01-01".into()),
            ApplicationFormError::WantedTooFar
        );
        assert_eq!(
            refuse(|f| f.founded_year = "2027".into()),
            ApplicationFormError::FoundedYear
        );
        assert_eq!(
            refuse(|f| f.legal_form = "sarl".into()),
            ApplicationFormError::LegalForm
        );
        assert_eq!(
            refuse(|f| f.duration_months = "121".into()),
            ApplicationFormError::Duration
        );
        assert_eq!(
            refuse(|f| f.contact_email = "lou@".into()),
            ApplicationFormError::ContactEmail
        );
        assert_eq!(
            refuse(|f| f.project = "x".repeat(ESSAY_MAX + 1)),
            ApplicationFormError::Text(
                "project",
                TextError::TooLong {
                    max_chars: ESSAY_MAX
                }
            )
        );
    }

    #[test]
    fn a_decision_needs_votes_that_carry_it_and_reasons() {
        let ok = Decision::parse("accepted", ["5", "1", "0"], "Projet coopératif").unwrap();
        assert_eq!(ok.outcome, ApplicationStatus::Accepted);
        assert_eq!(
            Decision::parse("accepted", ["1", "5", "0"], "r"),
            Err(DecisionError::AgainstVotes)
        );
        assert_eq!(
            Decision::parse("refused", ["5", "1", "0"], "r"),
            Err(DecisionError::AgainstVotes)
        );
        assert_eq!(
            Decision::parse("visited", ["5", "0", "0"], "r"),
            Err(DecisionError::Outcome)
        );
        assert_eq!(
            Decision::parse("accepted", ["0", "0", "0"], "r"),
            Err(DecisionError::NoVotes)
        );
        assert_eq!(
            Decision::parse("accepted", ["-1", "0", "0"], "r"),
            Err(DecisionError::Votes)
        );
        assert_eq!(
            Decision::parse("accepted", ["3", "0", "0"], " "),
            Err(DecisionError::Text(TextError::Missing))
        );
        assert!(Decision::parse("wait_listed", ["1", "4", "2"], "Pas de bureau libre").is_ok());
    }

    #[test]
    fn targets_are_optional_and_bounded() {
        let t = TargetsForm {
            max_legal_form_percent: "40".into(),
            min_sectors: "8".into(),
            ..Default::default()
        };
        assert_eq!(
            t.parse(),
            Ok(vec![
                Target::MaxLegalFormPercent { percent: 40 },
                Target::MinSectors { count: 8 }
            ])
        );
        let over = TargetsForm {
            min_sectors: "99".into(),
            ..Default::default()
        };
        assert_eq!(over.parse(), Err("min_sectors"));
        for t in [
            Target::MaxSectorPercent { percent: 30 },
            Target::MinLegalForms { count: 4 },
        ] {
            let (kind, value) = target_parts(t);
            assert_eq!(target_from_parts(kind, value), Some(t));
        }
    }

    #[test]
    fn slots_are_to_come_and_bounded() {
        let f = SlotForm {
            day: "2026-12-10".into(),
            start: "14:00".into(),
            minutes: "".into(),
            capacity: "".into(),
        };
        let s = f.parse(today()).unwrap();
        assert_eq!((s.minutes, s.capacity), (60, 4));
        let past = SlotForm {
            day: "2026-12-01".into(),
            ..f.clone()
        };
        assert_eq!(past.parse(today()), Err(SlotFormError::Day));
        let big = SlotForm {
            capacity: "500".into(),
            ..f
        };
        assert_eq!(big.parse(today()), Err(SlotFormError::Capacity));
    }
}
