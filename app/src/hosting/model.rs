//! Hosting: the types that parse a candidate's and a lease's input.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A French company number: a SIREN (9 digits) or a SIRET (14 digits: the SIREN and a
/// 5-digit establishment number), each with its Luhn check digit. Spaces are allowed in input
/// ("123 456 789") and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanyNumberError {
    /// Not 9 or 14 digits.
    Malformed,
    /// 9 or 14 digits whose check digit is wrong: a typing mistake.
    WrongKey,
}

/// La Poste's SIREN: its many establishments outgrew the Luhn key, and INSEE checks their
/// SIRET with a sum of digits divisible by 5 instead.
const LA_POSTE: &str = "356000000";

impl CompanyNumber {
    pub fn parse(raw: &str) -> Result<Self, CompanyNumberError> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if !(digits.len() == 9 || digits.len() == 14) || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(CompanyNumberError::Malformed);
        }
        let valid = if digits.len() == 14 && digits.starts_with(LA_POSTE) {
            digits.bytes().map(|b| u32::from(b - b'0')).sum::<u32>() % 5 == 0
        } else {
            luhn(&digits)
        };
        if valid {
            Ok(CompanyNumber(digits))
        } else {
            Err(CompanyNumberError::WrongKey)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN: the company itself, whatever the establishment.
    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

/// The Luhn check: from the right, every second digit doubled (minus 9 above 9), the sum a
/// multiple of 10.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d = d * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Where a lease stands. A lease is signed when it is recorded; its end date, once known,
/// comes from its terms, a notice or an early end by agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum LeaseStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "active"))]
    Active,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "notice_given"))]
    NoticeGiven,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "ended"))]
    Ended,
}

/// Where an application stands. The candidate sees the same status in their portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "received"))]
    Received,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "visit_booked"))]
    VisitBooked,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "visited"))]
    Visited,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "at_committee"))]
    AtCommittee,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "accepted"))]
    Accepted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "wait_listed"))]
    WaitListed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "refused"))]
    Refused,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "withdrawn"))]
    Withdrawn,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 8] = [
        ApplicationStatus::Received,
        ApplicationStatus::VisitBooked,
        ApplicationStatus::Visited,
        ApplicationStatus::AtCommittee,
        ApplicationStatus::Accepted,
        ApplicationStatus::WaitListed,
        ApplicationStatus::Refused,
        ApplicationStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Received => "received",
            ApplicationStatus::VisitBooked => "visit_booked",
            ApplicationStatus::Visited => "visited",
            ApplicationStatus::AtCommittee => "at_committee",
            ApplicationStatus::Accepted => "accepted",
            ApplicationStatus::WaitListed => "wait_listed",
            ApplicationStatus::Refused => "refused",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// Decided: nothing more happens to it but a lease.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Accepted | ApplicationStatus::Refused | ApplicationStatus::Withdrawn
        )
    }
}

/// Organisations by headcount, as the committee compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeBand {
    /// 1 or 2 people.
    Micro,
    /// 3 to 9.
    Small,
    /// 10 to 49.
    Medium,
    /// 50 and more.
    Large,
}

impl SizeBand {
    pub const ALL: [SizeBand; 4] = [
        SizeBand::Micro,
        SizeBand::Small,
        SizeBand::Medium,
        SizeBand::Large,
    ];

    pub fn of(headcount: i32) -> Self {
        match headcount {
            ..=2 => SizeBand::Micro,
            3..=9 => SizeBand::Small,
            10..=49 => SizeBand::Medium,
            _ => SizeBand::Large,
        }
    }
}

/// Organisations by age, from their year of creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// Created this year or last year.
    Starting,
    /// 2 to 4 years old.
    Young,
    /// 5 to 9 years old.
    Established,
    /// 10 years and more.
    Mature,
}

impl AgeBand {
    pub const ALL: [AgeBand; 4] = [
        AgeBand::Starting,
        AgeBand::Young,
        AgeBand::Established,
        AgeBand::Mature,
    ];

    pub fn of(created_year: i32, this_year: i32) -> Self {
        match this_year - created_year {
            ..=1 => AgeBand::Starting,
            2..=4 => AgeBand::Young,
            5..=9 => AgeBand::Established,
            _ => AgeBand::Mature,
        }
    }
}

/// One unit of a new lease: its fee when it is not the list price, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTerm {
    pub space_id: i32,
    pub fee_cents: Option<i64>,
    pub discount_reason: Option<String>,
}

/// A lease as a manager records it, parsed: every value is in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLease {
    pub organisation_id: i32,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub notice_months: i32,
    /// None: two months of fees.
    pub deposit_cents: Option<i64>,
    pub included_room_minutes: i32,
    pub billing_day: i32,
    pub units: Vec<UnitTerm>,
    /// The accepted application it comes from.
    pub application_id: Option<i32>,
}

/// The lease form as posted: text, as browsers send it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseForm {
    pub organisation_id: String,
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub notice_months: String,
    #[serde(default)]
    pub deposit: String,
    #[serde(default)]
    pub included_hours: String,
    #[serde(default)]
    pub billing_day: String,
    /// The units chosen, by id.
    #[serde(default)]
    pub units: Vec<String>,
    /// The form lists every free unit with a fee box: `fee_units[i]` is the unit of
    /// `fee_amounts[i]`. An empty box is the list price. Two lists, because a plain form
    /// sends each field's name as it is.
    #[serde(default)]
    pub fee_units: Vec<String>,
    #[serde(default)]
    pub fee_amounts: Vec<String>,
    #[serde(default)]
    pub discount_reason: String,
    /// The accepted application the lease comes from, if any.
    #[serde(default)]
    pub application: String,
}

/// What is wrong with a lease form, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseFormError {
    Organisation,
    StartsOn,
    EndsOn,
    EndBeforeStart,
    NoticeMonths,
    Deposit,
    IncludedHours,
    BillingDay,
    NoUnit,
    TooManyUnits,
    UnknownUnit,
    Fee,
    ReasonTooLong,
    EffectiveFrom,
    AmendReason,
    EndReason,
}

impl LeaseFormError {
    pub fn field(self) -> &'static str {
        match self {
            LeaseFormError::Organisation => "organisation_id",
            LeaseFormError::StartsOn => "starts_on",
            LeaseFormError::EndsOn | LeaseFormError::EndBeforeStart => "ends_on",
            LeaseFormError::NoticeMonths => "notice_months",
            LeaseFormError::Deposit => "deposit",
            LeaseFormError::IncludedHours => "included_hours",
            LeaseFormError::BillingDay => "billing_day",
            LeaseFormError::NoUnit | LeaseFormError::TooManyUnits | LeaseFormError::UnknownUnit => {
                "units"
            }
            LeaseFormError::Fee => "fee_amounts",
            LeaseFormError::ReasonTooLong => "discount_reason",
            LeaseFormError::EffectiveFrom => "effective_from",
            LeaseFormError::AmendReason => "reason",
            LeaseFormError::EndReason => "end_reason",
        }
    }
}

/// The most units one lease may hold: the whole hosting area is 124 units.
pub const MAX_UNITS: usize = 130;

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// A small whole number in a range, or the default when empty.
fn number_in(raw: &str, default: i32, range: std::ops::RangeInclusive<i32>) -> Option<i32> {
    let raw = raw.trim();
    let n = if raw.is_empty() {
        default
    } else {
        raw.parse().ok()?
    };
    range.contains(&n).then_some(n)
}

impl LeaseForm {
    pub fn parse(&self) -> Result<NewLease, LeaseFormError> {
        use LeaseFormError as E;
        let organisation_id = self
            .organisation_id
            .trim()
            .parse::<i32>()
            .map_err(|_| E::Organisation)?;
        let starts_on = date(&self.starts_on).ok_or(E::StartsOn)?;
        let ends_on = match self.ends_on.trim() {
            "" => None,
            raw => Some(date(raw).ok_or(E::EndsOn)?),
        };
        if ends_on.is_some_and(|end| end < starts_on) {
            return Err(E::EndBeforeStart);
        }
        let notice_months = number_in(&self.notice_months, 3, 0..=24).ok_or(E::NoticeMonths)?;
        let deposit_cents = match self.deposit.trim() {
            "" => None,
            raw => Some(
                crate::input::Money::parse(raw)
                    .filter(|m| m.cents() <= 100_000_000)
                    .ok_or(E::Deposit)?
                    .cents(),
            ),
        };
        let included_hours = number_in(&self.included_hours, 0, 0..=744).ok_or(E::IncludedHours)?;
        let billing_day = number_in(&self.billing_day, 1, 1..=28).ok_or(E::BillingDay)?;
        let units = unit_terms(
            &self.units,
            &self.fee_units,
            &self.fee_amounts,
            &self.discount_reason,
        )?;
        Ok(NewLease {
            organisation_id,
            starts_on,
            ends_on,
            notice_months,
            deposit_cents,
            included_room_minutes: included_hours * 60,
            billing_day,
            units,
            application_id: match self.application.trim() {
                "" => None,
                raw => Some(raw.parse::<i32>().map_err(|_| E::Organisation)?),
            },
        })
    }
}

/// The units a form chose, each with the fee typed beside it (none: the list price) and the
/// discount's reason. Shared by the lease form and the amendment form.
fn unit_terms(
    chosen: &[String],
    fee_units: &[String],
    fee_amounts: &[String],
    discount_reason: &str,
) -> Result<Vec<UnitTerm>, LeaseFormError> {
    use LeaseFormError as E;
    if chosen.len() > MAX_UNITS {
        return Err(E::TooManyUnits);
    }
    let mut units: Vec<UnitTerm> = Vec::with_capacity(chosen.len());
    for raw in chosen {
        let space_id = raw.trim().parse::<i32>().map_err(|_| E::UnknownUnit)?;
        if units.iter().all(|u| u.space_id != space_id) {
            units.push(UnitTerm {
                space_id,
                fee_cents: None,
                discount_reason: None,
            });
        }
    }
    if units.is_empty() {
        return Err(E::NoUnit);
    }
    let reason = crate::input::text(discount_reason, 500, true).map_err(|_| E::ReasonTooLong)?;
    if fee_units.len() != fee_amounts.len() || fee_units.len() > 2 * MAX_UNITS {
        return Err(E::Fee);
    }
    for (id, fee) in fee_units.iter().zip(fee_amounts) {
        if fee.trim().is_empty() {
            continue;
        }
        let id = id.trim().parse::<i32>().map_err(|_| E::Fee)?;
        let fee = crate::input::Money::parse(fee)
            .filter(|m| m.cents() <= 10_000_000)
            .ok_or(E::Fee)?;
        // A fee for a unit not chosen is ignored: the form lists every free unit.
        if let Some(unit) = units.iter_mut().find(|u| u.space_id == id) {
            unit.fee_cents = Some(fee.cents());
            unit.discount_reason = (!reason.is_empty()).then(|| reason.clone());
        }
    }
    Ok(units)
}

/// An amendment as a manager posts it: from which day, the units the lease holds from then on
/// with their fees, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendForm {
    pub effective_from: String,
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(default)]
    pub fee_units: Vec<String>,
    #[serde(default)]
    pub fee_amounts: Vec<String>,
    #[serde(default)]
    pub discount_reason: String,
    #[serde(default)]
    pub reason: String,
}

/// An amendment, parsed: the lease's terms from `effective_from` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub effective_from: NaiveDate,
    pub units: Vec<UnitTerm>,
    pub reason: String,
}

impl AmendForm {
    pub fn parse(&self) -> Result<Amendment, LeaseFormError> {
        let effective_from = date(&self.effective_from).ok_or(LeaseFormError::EffectiveFrom)?;
        // Every version says why it was made: the history is read years later.
        let reason = required_reason(&self.reason).ok_or(LeaseFormError::AmendReason)?;
        let units = unit_terms(
            &self.units,
            &self.fee_units,
            &self.fee_amounts,
            &self.discount_reason,
        )?;
        Ok(Amendment {
            effective_from,
            units,
            reason,
        })
    }
}

/// A reason the history keeps: some text, 500 characters at most.
fn required_reason(raw: &str) -> Option<String> {
    crate::input::text(raw, 500, false)
        .ok()
        .filter(|r| !r.is_empty())
}

/// A manager's early end of a lease, by agreement with the organisation, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndForm {
    pub ends_on: String,
    #[serde(default)]
    pub end_reason: String,
}

/// An early end, parsed: the lease's new last day and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyEnd {
    pub ends_on: NaiveDate,
    pub reason: String,
}

impl EndForm {
    pub fn parse(&self) -> Result<EarlyEnd, LeaseFormError> {
        let ends_on = date(&self.ends_on).ok_or(LeaseFormError::EndsOn)?;
        let reason = required_reason(&self.end_reason).ok_or(LeaseFormError::EndReason)?;
        Ok(EarlyEnd { ends_on, reason })
    }
}

/// A leasable unit as the lease form offers it, with its list prices per tier and, when it
/// is let, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOffer {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub kind: crate::spaces::model::SpaceKind,
    pub area_m2: i32,
    pub capacity: i32,
    /// Monthly list price excluding VAT for each tier, in `Tier::ALL` order (None: no price).
    pub prices: Vec<Option<i64>>,
    pub vat_rate_bp: i32,
    /// The organisation that holds it today, if any, and the last day of its let.
    pub let_to: Option<String>,
    pub let_until: Option<NaiveDate>,
}

/// What the lease form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseFormOptions {
    pub organisations: Vec<crate::organisations::model::OrganisationOption>,
    pub units: Vec<UnitOffer>,
    /// The accepted application the form starts from, when it does.
    pub prefill: Option<LeasePrefill>,
}

/// A lease form filled in from an accepted application: its organisation, wanted dates and
/// promised units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeasePrefill {
    pub application_id: i32,
    pub organisation_id: i32,
    pub organisation_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub units: Vec<i32>,
}

/// A lease in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseSummary {
    pub id: i32,
    pub organisation: String,
    pub organisation_id: i32,
    pub status: LeaseStatus,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// The units of the version in force today (or the first, before it starts).
    pub units: Vec<String>,
    pub monthly_fee_cents: i64,
}

/// One unit of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseLineView {
    pub space_id: i32,
    pub unit: String,
    pub kind: crate::spaces::model::SpaceKind,
    pub area_m2: i32,
    pub list_fee_cents: i64,
    pub fee_cents: i64,
    pub discount_reason: Option<String>,
    pub vat_rate_bp: i32,
}

/// One version of a lease: the terms from `effective_from` until the next version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseVersionView {
    pub number: i32,
    pub effective_from: NaiveDate,
    /// The last day these terms applied, when a later version replaced them.
    pub effective_until: Option<NaiveDate>,
    pub reason: String,
    pub created_by: String,
    pub lines: Vec<LeaseLineView>,
}

/// A lease with its whole history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseDetail {
    pub summary: LeaseSummary,
    pub notice_months: i32,
    pub deposit_cents: i64,
    pub included_room_minutes: i32,
    pub billing_day: i32,
    pub notice_given_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub versions: Vec<LeaseVersionView>,
    /// The last day the lease would run if the caller gave notice today, when the caller may
    /// give it (the organisation's referent, or a manager) and the lease can take it.
    pub notice_would_end: Option<NaiveDate>,
    /// Whether the caller may amend it or end it early (a manager, on a lease that has not
    /// ended).
    pub may_change: bool,
}

/// One kind of unit in a month's occupancy. "Let" figures are prorated to the days let and
/// kept in thousandths: an office let from the 16th of a 30-day month counts 500.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindFigures {
    pub kind: crate::spaces::model::SpaceKind,
    pub leasable_units: i64,
    pub let_units_milli: i64,
    pub leasable_m2: i64,
    pub let_m2_milli: i64,
    /// Workstations (an office's capacity, a desk's one) leasable and let.
    pub capacity: i64,
    pub people_milli: i64,
    pub revenue_cents: i64,
    pub list_cents: i64,
}

/// A month's occupancy, per kind of unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub year: i32,
    pub month: u32,
    /// Offices, desks and storage, in that order.
    pub kinds: Vec<KindFigures>,
}

impl MonthFigures {
    fn sum(&self, f: impl Fn(&KindFigures) -> i64) -> i64 {
        self.kinds.iter().map(f).sum()
    }
    pub fn revenue_cents(&self) -> i64 {
        self.sum(|k| k.revenue_cents)
    }
    pub fn list_cents(&self) -> i64 {
        self.sum(|k| k.list_cents)
    }
    pub fn let_m2_milli(&self) -> i64 {
        self.sum(|k| k.let_m2_milli)
    }
    pub fn leasable_m2(&self) -> i64 {
        self.sum(|k| k.leasable_m2)
    }
    pub fn people_milli(&self) -> i64 {
        self.sum(|k| k.people_milli)
    }
    /// Revenue of offices and desks per workstation let, in cents.
    pub fn revenue_per_workstation(&self) -> Option<i64> {
        let work = self
            .kinds
            .iter()
            .filter(|k| k.kind != crate::spaces::model::SpaceKind::Storage);
        let (revenue, people) = work.fold((0, 0), |(r, p), k| {
            (r + k.revenue_cents, p + k.people_milli)
        });
        (people > 0).then(|| revenue * 1000 / people)
    }
    /// Revenue per m² let, in cents.
    pub fn revenue_per_m2(&self) -> Option<i64> {
        let m2 = self.let_m2_milli();
        (m2 > 0).then(|| self.revenue_cents() * 1000 / m2)
    }
    /// Fees charged over list prices, in per-mille.
    pub fn list_attainment_permille(&self) -> Option<i64> {
        let list = self.list_cents();
        (list > 0).then(|| self.revenue_cents() * 1000 / list)
    }
}

/// A unit that frees up: its let ends and nothing follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vacancy {
    pub unit: String,
    pub kind: crate::spaces::model::SpaceKind,
    pub organisation: String,
    pub lease_id: i32,
    pub free_from: NaiveDate,
    /// Whether the lease ends on notice (otherwise: a fixed term, or an early end).
    pub on_notice: bool,
}

/// The managers' occupancy dashboard: a range of months, the next twelve from signed leases
/// and notices, the units that free up, and the meeting rooms beside them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupancy {
    pub range: MonthRange,
    pub months: Vec<MonthFigures>,
    pub forecast: Vec<MonthFigures>,
    pub vacancies: Vec<Vacancy>,
    /// Accepted applications whose lease is to come: the forecast counts their promised units.
    pub arrivals: Vec<crate::applications::model::Arrival>,
    pub waiting: Vec<crate::applications::model::ApplicationSummary>,
    /// The bookable spaces' use over the first month, from the booking engine.
    pub rooms: Vec<crate::bookings::model::UtilisationRow>,
    /// The trends, as SVG drawn on the server.
    pub chart_svg: String,
    pub forecast_svg: String,
}

/// The months the dashboard covers: `count` of them, ending with (year, month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRange {
    pub year: i32,
    pub month: u32,
    pub count: u32,
}

/// The ranges the dashboard offers, in months; the benchmark's longest is three years.
pub const RANGES: [u32; 6] = [1, 3, 6, 12, 24, 36];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    Month,
    Count,
}

impl RangeError {
    pub fn field(self) -> &'static str {
        match self {
            RangeError::Month => "mois",
            RangeError::Count => "sur",
        }
    }
}

impl MonthRange {
    /// Parses `2026-12` and a count from `RANGES`; an empty month is `today`'s, an empty count
    /// twelve.
    pub fn parse(month: &str, count: &str, today: NaiveDate) -> Result<MonthRange, RangeError> {
        use chrono::Datelike;
        let (year, month) = match month.trim() {
            "" => (today.year(), today.month()),
            raw => {
                let (y, m) = raw.split_once('-').ok_or(RangeError::Month)?;
                let digits =
                    |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
                if !digits(y, 4) || !digits(m, 2) {
                    return Err(RangeError::Month);
                }
                let y: i32 = y.parse().map_err(|_| RangeError::Month)?;
                let m: u32 = m.parse().map_err(|_| RangeError::Month)?;
                if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) {
                    return Err(RangeError::Month);
                }
                (y, m)
            }
        };
        let count = match count.trim() {
            "" => 12,
            raw => raw
                .parse::<u32>()
                .ok()
                .filter(|c| RANGES.contains(c))
                .ok_or(RangeError::Count)?,
        };
        Ok(MonthRange { year, month, count })
    }

    /// The first month of the range.
    pub fn first(self) -> Option<(i32, u32)> {
        use chrono::Datelike;
        let last = NaiveDate::from_ymd_opt(self.year, self.month, 1)?;
        let first = last.checked_sub_months(chrono::Months::new(self.count.saturating_sub(1)))?;
        Some((first.year(), first.month()))
    }

    /// As the address writes it: `2026-12`.
    pub fn month_param(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_reads_a_month_and_a_range_from_its_address() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let r = MonthRange::parse("", "", today).unwrap();
        assert_eq!((r.year, r.month, r.count), (2026, 12, 12));
        assert_eq!(r.first(), Some((2026, 1)));
        let r = MonthRange::parse("2027-03", "36", today).unwrap();
        assert_eq!(r.first(), Some((2024, 4)));
        assert_eq!(r.month_param(), "2027-03");
        assert_eq!(
            MonthRange::parse("2027-02", "1", today).unwrap().first(),
            Some((2027, 2))
        );
        for bad in [
            "2027-13",
            "2027-0",
            "27-03",
            "mars",
            "2027-03-01",
            "1999-12",
            "+2027-03",
        ] {
            assert_eq!(
                MonthRange::parse(bad, "", today),
                Err(RangeError::Month),
                "{bad}"
            );
        }
        for bad in ["0", "37", "5", "-12", "douze"] {
            assert_eq!(
                MonthRange::parse("", bad, today),
                Err(RangeError::Count),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_early_end_needs_its_last_day_and_its_reason() {
        let good = EndForm {
            ends_on: "2027-05-31".into(),
            end_reason: "Départ de l'association, d'un commun accord".into(),
        };
        assert_eq!(
            good.parse().unwrap().ends_on,
            NaiveDate::from_ymd_opt(2027, 5, 31).unwrap()
        );
        let bad_day = EndForm {
            ends_on: "31/05/2027".into(),
            ..good.clone()
        };
        assert_eq!(bad_day.parse().unwrap_err(), LeaseFormError::EndsOn);
        let no_reason = EndForm {
            end_reason: " \n ".into(),
            ..good.clone()
        };
        assert_eq!(no_reason.parse().unwrap_err(), LeaseFormError::EndReason);
        let long = EndForm {
            end_reason: "x".repeat(501),
            ..good
        };
        assert_eq!(long.parse().unwrap_err(), LeaseFormError::EndReason);
    }

    #[test]
    fn a_siren_and_a_siret_pass_with_their_luhn_key() {
        // Real numbers from the public register (INSEE's own SIREN and a SIRET of it).
        assert_eq!(
            CompanyNumber::parse("120 027 016").unwrap().as_str(),
            "120027016"
        );
        let siret = CompanyNumber::parse("12002701600357").unwrap();
        assert_eq!(siret.siren(), "120027016");
        assert_eq!(
            CompanyNumber::parse("732 829 320 00074").unwrap().siren(),
            "732829320"
        );
    }

    #[test]
    fn a_wrong_key_is_told_apart_from_a_malformed_number() {
        assert_eq!(
            CompanyNumber::parse("120027017"),
            Err(CompanyNumberError::WrongKey)
        );
        assert_eq!(
            CompanyNumber::parse("12002701600358"),
            Err(CompanyNumberError::WrongKey)
        );
        for bad in ["", "12345678", "1234567890", "12002701A", "120-027-016"] {
            assert_eq!(
                CompanyNumber::parse(bad),
                Err(CompanyNumberError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn la_poste_establishments_use_the_sum_of_digits() {
        // 3 + 5 + 6 + 1 = 15: valid, though Luhn would refuse it.
        assert!(!luhn("35600000000010"));
        assert!(CompanyNumber::parse("35600000000010").is_ok());
        assert_eq!(
            CompanyNumber::parse("35600000000011"),
            Err(CompanyNumberError::WrongKey)
        );
        // La Poste's SIREN alone still follows Luhn.
        assert!(CompanyNumber::parse("356000000").is_ok());
    }

    #[test]
    fn bands_have_closed_edges() {
        assert_eq!(SizeBand::of(0), SizeBand::Micro);
        assert_eq!(SizeBand::of(2), SizeBand::Micro);
        assert_eq!(SizeBand::of(3), SizeBand::Small);
        assert_eq!(SizeBand::of(9), SizeBand::Small);
        assert_eq!(SizeBand::of(10), SizeBand::Medium);
        assert_eq!(SizeBand::of(50), SizeBand::Large);
        assert_eq!(AgeBand::of(2026, 2026), AgeBand::Starting);
        assert_eq!(AgeBand::of(2025, 2026), AgeBand::Starting);
        assert_eq!(AgeBand::of(2024, 2026), AgeBand::Young);
        assert_eq!(AgeBand::of(2017, 2026), AgeBand::Established);
        assert_eq!(AgeBand::of(2016, 2026), AgeBand::Mature);
    }

    fn form() -> LeaseForm {
        LeaseForm {
            organisation_id: "4".into(),
            starts_on: "2027-01-01".into(),
            units: vec!["10".into(), "11".into(), "10".into()],
            fee_units: vec!["10".into(), "11".into(), "12".into()],
            fee_amounts: vec!["".into(), "380,00".into(), "1".into()],
            discount_reason: "Jeune structure".into(),
            ..LeaseForm::default()
        }
    }

    #[test]
    fn a_lease_form_parses_with_its_defaults() {
        let lease = form().parse().unwrap();
        assert_eq!(lease.organisation_id, 4);
        assert_eq!((lease.notice_months, lease.billing_day), (3, 1));
        assert_eq!((lease.deposit_cents, lease.ends_on), (None, None));
        // A unit chosen twice counts once; a fee for a unit not chosen is ignored.
        assert_eq!(
            lease.units,
            vec![
                UnitTerm {
                    space_id: 10,
                    fee_cents: None,
                    discount_reason: None
                },
                UnitTerm {
                    space_id: 11,
                    fee_cents: Some(38_000),
                    discount_reason: Some("Jeune structure".into())
                },
            ]
        );
    }

    /// A change that spoils a good form, and the error it should bring.
    type Spoiled = (fn(&mut LeaseForm), LeaseFormError);

    #[test]
    fn a_lease_form_names_the_field_at_fault() {
        let cases: [Spoiled; 11] = [
            (
                |f| f.organisation_id = "x".into(),
                LeaseFormError::Organisation,
            ),
            (
                |f| f.starts_on = "01/01/2027".into(),
                LeaseFormError::StartsOn,
            ),
            (
                |f| f.ends_on = "2026-12-31".into(),
                LeaseFormError::EndBeforeStart,
            ),
            (
                |f| f.notice_months = "25".into(),
                LeaseFormError::NoticeMonths,
            ),
            (|f| f.deposit = "-5".into(), LeaseFormError::Deposit),
            (|f| f.billing_day = "31".into(), LeaseFormError::BillingDay),
            (
                |f| f.included_hours = "10000".into(),
                LeaseFormError::IncludedHours,
            ),
            (|f| f.units.clear(), LeaseFormError::NoUnit),
            (
                |f| f.units = vec!["1".into(); 10_000],
                LeaseFormError::TooManyUnits,
            ),
            (|f| f.fee_amounts[1] = "-380".into(), LeaseFormError::Fee),
            (|f| drop(f.fee_amounts.pop()), LeaseFormError::Fee),
        ];
        for (spoil, expected) in cases {
            let mut f = form();
            spoil(&mut f);
            assert_eq!(f.parse(), Err(expected));
        }
        assert_eq!(LeaseFormError::EndBeforeStart.field(), "ends_on");
    }

    #[test]
    fn an_amendment_needs_its_day_its_units_and_its_reason() {
        let good = AmendForm {
            effective_from: "2027-04-01".into(),
            units: vec!["7".into(), "9".into()],
            fee_units: vec!["7".into(), "9".into()],
            fee_amounts: vec![String::new(), "150,00".into()],
            discount_reason: "Travaux dans le bureau".into(),
            reason: "Un bureau de plus pour l'équipe".into(),
        };
        let parsed = good.parse().unwrap();
        assert_eq!(
            parsed.effective_from,
            NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()
        );
        assert_eq!(parsed.units[0].fee_cents, None);
        assert_eq!(parsed.units[1].fee_cents, Some(15_000));
        assert_eq!(
            parsed.units[1].discount_reason.as_deref(),
            Some("Travaux dans le bureau")
        );
        let spoil = |f: fn(&mut AmendForm)| {
            let mut form = good.clone();
            f(&mut form);
            form.parse().unwrap_err()
        };
        assert_eq!(
            spoil(|f| f.effective_from = "1er avril".into()),
            LeaseFormError::EffectiveFrom
        );
        assert_eq!(
            spoil(|f| f.reason = "  ".into()),
            LeaseFormError::AmendReason
        );
        assert_eq!(spoil(|f| f.units.clear()), LeaseFormError::NoUnit);
        assert_eq!(
            spoil(|f| f.fee_amounts[1] = "-3".into()),
            LeaseFormError::Fee
        );
    }
}

/// Where a unit stands on the floor plan today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Free,
    Let,
    /// Let, with notice given: free from a day.
    Notice,
    /// Free, and promised to an accepted candidate.
    Promised,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 4] = [
        PlanStatus::Free,
        PlanStatus::Let,
        PlanStatus::Notice,
        PlanStatus::Promised,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Free => "free",
            PlanStatus::Let => "let",
            PlanStatus::Notice => "notice",
            PlanStatus::Promised => "promised",
        }
    }
}

/// One unit on the plan: its rectangle (decimetres) and its status today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanUnit {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub kind: crate::spaces::model::SpaceKind,
    pub area_m2: i32,
    pub floor: i32,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    pub status: PlanStatus,
    /// The organisation that holds it, or the candidate it is promised to.
    pub holder: Option<String>,
    pub lease_id: Option<i32>,
    pub application_id: Option<i32>,
    pub free_from: Option<NaiveDate>,
}

/// A unit with no place on the plan yet, for the position form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    pub id: i32,
    pub name: String,
}

/// The floor plan of one floor, the floors there are, and every unit for the position form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloorPlan {
    pub floor: i32,
    pub floors: Vec<i32>,
    pub units: Vec<PlanUnit>,
    pub all_units: Vec<UnitRef>,
    pub unplaced: Vec<UnitRef>,
}

/// A unit's position as the managers' form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayoutForm {
    pub unit: String,
    pub floor: String,
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
}

/// A unit's place on a floor, parsed: within the plan's bounds (see the migration's checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub space_id: i32,
    pub floor: i32,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl LayoutForm {
    /// The layout, or the field that is out of range.
    pub fn parse(&self) -> Result<Layout, &'static str> {
        let n = |raw: &str, range: std::ops::RangeInclusive<i32>, field: &'static str| {
            raw.trim()
                .parse::<i32>()
                .ok()
                .filter(|v| range.contains(v))
                .ok_or(field)
        };
        Ok(Layout {
            space_id: n(&self.unit, 1..=i32::MAX, "unit")?,
            floor: n(&self.floor, -2..=10, "floor")?,
            x: n(&self.x, 0..=2000, "x")?,
            y: n(&self.y, 0..=2000, "y")?,
            width: n(&self.width, 1..=500, "width")?,
            height: n(&self.height, 1..=500, "height")?,
        })
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    #[test]
    fn a_layout_stays_on_the_plan() {
        let f = LayoutForm {
            unit: "12".into(),
            floor: "1".into(),
            x: "0".into(),
            y: "120".into(),
            width: "30".into(),
            height: "50".into(),
        };
        assert_eq!(f.parse().map(|l| (l.floor, l.y, l.width)), Ok((1, 120, 30)));
        assert_eq!(
            LayoutForm {
                x: "-1".into(),
                ..f.clone()
            }
            .parse(),
            Err("x")
        );
        assert_eq!(
            LayoutForm {
                width: "0".into(),
                ..f.clone()
            }
            .parse(),
            Err("width")
        );
        assert_eq!(
            LayoutForm {
                floor: "11".into(),
                ..f.clone()
            }
            .parse(),
            Err("floor")
        );
        assert_eq!(
            LayoutForm {
                unit: "bureau".into(),
                ..f
            }
            .parse(),
            Err("unit")
        );
    }
}

/// A party of a lease as its document names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub legal_form: Option<crate::organisations::model::LegalForm>,
    pub siret: Option<String>,
    pub address: Option<String>,
    /// Who signs for it (an organisation's referent).
    pub signatory: Option<String>,
}

/// What the printable lease and its PDF show: both parties and the lease with its versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseDocument {
    pub lease: LeaseDetail,
    pub operator: Party,
    pub tenant: Party,
    /// The version whose terms the document sets out: the one in force on the day it is
    /// printed, or the first before the lease starts.
    pub current: usize,
    pub printed_on: NaiveDate,
}

impl LeaseDocument {
    pub fn terms(&self) -> Option<&LeaseVersionView> {
        self.lease.versions.get(self.current)
    }
}
