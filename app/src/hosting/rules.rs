//! Hosting's pure rules: when a notice ends a lease, how much of a month a lease covers, which
//! steps an application may take, and how a candidate would change the hub's diversity.
use super::model::{AgeBand, ApplicationStatus, KindFigures, LeaseStatus, MonthFigures, SizeBand};
use crate::organisations::model::{LegalForm, Sector};
use crate::spaces::model::SpaceKind;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The last day a lease runs when notice is given on `given_on`: once the notice period has
/// run, the lease ends on the last day of that month. Notice given on 10 March with 3 months
/// runs until 10 June, so the lease ends on 30 June and the unit is free from 1 July.
pub fn notice_end(given_on: NaiveDate, notice_months: u32) -> Option<NaiveDate> {
    let run = given_on.checked_add_months(Months::new(notice_months))?;
    last_day_of_month(run)
}

pub fn last_day_of_month(day: NaiveDate) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(day.year(), day.month(), 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    Some(last_day_of_month(first)?.day())
}

/// The days of a month that a period covers, both ends included (`until` none: open-ended),
/// over the days of that month. A lease from the 16th of a 30-day month covers 15/30.
pub fn month_share(
    from: NaiveDate,
    until: Option<NaiveDate>,
    year: i32,
    month: u32,
) -> Option<(u32, u32)> {
    let days = days_in_month(year, month)?;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = NaiveDate::from_ymd_opt(year, month, days)?;
    let start = from.max(first);
    let end = until.map_or(last, |u| u.min(last));
    let covered = if end < start {
        0
    } else {
        u32::try_from((end - start).num_days() + 1).ok()?
    };
    Some((covered, days))
}

/// A monthly amount in cents, prorated to the days covered, rounded half up to the cent.
pub fn prorate(monthly_cents: i64, (covered, days): (u32, u32)) -> i64 {
    if days == 0 {
        return 0;
    }
    let (covered, days) = (i64::from(covered), i64::from(days));
    (monthly_cents * covered * 2 + days) / (days * 2)
}

/// The steps an application may take. Managers move it along; the candidate may withdraw
/// until a decision. A wait-listed candidate goes back to a committee when a unit frees up.
pub fn may_move(from: ApplicationStatus, to: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    matches!(
        (from, to),
        (Received, VisitBooked)
            | (Received, Visited)
            | (VisitBooked, Visited)
            | (VisitBooked, Received)
            | (Visited, AtCommittee)
            | (AtCommittee, Accepted)
            | (AtCommittee, WaitListed)
            | (AtCommittee, Refused)
            | (WaitListed, AtCommittee)
            | (
                Received | VisitBooked | Visited | AtCommittee | WaitListed,
                Withdrawn
            )
    )
}

/// One hosted organisation (or a candidate) as the diversity panel counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub legal_form: LegalForm,
    pub sector: Sector,
    pub size: SizeBand,
    /// None: the year of creation is not known.
    pub age: Option<AgeBand>,
    /// The m² it leases (for a candidate, the m² it asks for).
    pub area_m2: i64,
}

/// The share of one value of a dimension: of organisations and of leased m², in per-mille so
/// that no float comes near a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Share {
    pub organisations: u32,
    pub organisations_permille: u32,
    pub area_m2: i64,
    pub area_permille: u32,
}

/// The shares of every value of one dimension present among the tenants.
pub fn shares<K: Ord + Copy>(tenants: &[Tenant], key: impl Fn(&Tenant) -> K) -> BTreeMap<K, Share> {
    let count = tenants.len() as u64;
    let area: i64 = tenants.iter().map(|t| t.area_m2.max(0)).sum();
    let mut out: BTreeMap<K, Share> = BTreeMap::new();
    for t in tenants {
        let s = out.entry(key(t)).or_default();
        s.organisations += 1;
        s.area_m2 += t.area_m2.max(0);
    }
    for s in out.values_mut() {
        s.organisations_permille = permille(u64::from(s.organisations), count);
        s.area_permille = permille(u64::try_from(s.area_m2).unwrap_or(0), area as u64);
    }
    out
}

fn permille(part: u64, whole: u64) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from((part * 2000 + whole) / (whole * 2)).unwrap_or(1000)
}

/// What the managers aim for. Shares count organisations, not m².
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// No legal form above this share of tenants, in per cent.
    MaxLegalFormPercent { percent: u32 },
    /// No sector above this share of tenants, in per cent.
    MaxSectorPercent { percent: u32 },
    /// At least this many sectors present.
    MinSectors { count: u32 },
    /// At least this many legal forms present.
    MinLegalForms { count: u32 },
}

/// Whether the tenants meet a target.
pub fn meets(target: Target, tenants: &[Tenant]) -> bool {
    let over = |shares: Vec<Share>, percent: u32| {
        shares
            .iter()
            .any(|s| s.organisations_permille > percent * 10)
    };
    match target {
        Target::MaxLegalFormPercent { percent } => !over(
            shares(tenants, |t| t.legal_form).into_values().collect(),
            percent,
        ),
        Target::MaxSectorPercent { percent } => !over(
            shares(tenants, |t| t.sector).into_values().collect(),
            percent,
        ),
        Target::MinSectors { count } => shares(tenants, |t| t.sector).len() as u32 >= count,
        Target::MinLegalForms { count } => shares(tenants, |t| t.legal_form).len() as u32 >= count,
    }
}

/// The targets a candidate would leave missed: the portfolio with the candidate misses them,
/// unless they were already missed and the candidate brings the portfolio closer.
pub fn broken_by(targets: &[Target], today: &[Tenant], candidate: &Tenant) -> Vec<Target> {
    let mut after = today.to_vec();
    after.push(candidate.clone());
    targets
        .iter()
        .copied()
        .filter(|&t| !meets(t, &after) && (meets(t, today) || !closer(t, today, &after)))
        .collect()
}

/// Whether `after` is nearer the target than `before`.
fn closer(target: Target, before: &[Tenant], after: &[Tenant]) -> bool {
    fn top<K: Ord + Copy>(tenants: &[Tenant], key: impl Fn(&Tenant) -> K) -> u32 {
        shares(tenants, key)
            .values()
            .map(|s| s.organisations_permille)
            .max()
            .unwrap_or(0)
    }
    match target {
        Target::MaxLegalFormPercent { .. } => {
            top(after, |t| t.legal_form) < top(before, |t| t.legal_form)
        }
        Target::MaxSectorPercent { .. } => top(after, |t| t.sector) < top(before, |t| t.sector),
        Target::MinSectors { .. } => {
            shares(after, |t| t.sector).len() > shares(before, |t| t.sector).len()
        }
        Target::MinLegalForms { .. } => {
            shares(after, |t| t.legal_form).len() > shares(before, |t| t.legal_form).len()
        }
    }
}

/// Why notice cannot be given on a lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeRefused {
    AlreadyGiven,
    Ended,
    /// The notice would run out before the lease starts: that is a cancellation, which the
    /// managers settle with the organisation.
    NotStarted,
}

/// The status a lease has on `today`: one whose last day has passed has ended, whatever the
/// stored status says, so that no job has to close it at midnight.
pub fn status_on(stored: LeaseStatus, ends_on: Option<NaiveDate>, today: NaiveDate) -> LeaseStatus {
    match ends_on {
        Some(end) if end < today => LeaseStatus::Ended,
        _ => stored,
    }
}

/// Notice given on `today`: the lease's new last day. A fixed-term lease that ends before the
/// notice runs out keeps its end.
pub fn notice(
    stored: LeaseStatus,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    notice_months: u32,
    today: NaiveDate,
) -> Result<NaiveDate, NoticeRefused> {
    match status_on(stored, ends_on, today) {
        LeaseStatus::Active => {}
        LeaseStatus::NoticeGiven => return Err(NoticeRefused::AlreadyGiven),
        LeaseStatus::Ended => return Err(NoticeRefused::Ended),
    }
    let end = notice_end(today, notice_months).ok_or(NoticeRefused::Ended)?;
    if end < starts_on {
        return Err(NoticeRefused::NotStarted);
    }
    Ok(ends_on.map_or(end, |fixed| fixed.min(end)))
}

/// Why a lease cannot take an amendment from a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmendRefused {
    Ended,
    /// Terms that have applied are never rewritten: an amendment starts today at the earliest.
    Past,
    /// After the latest version's first day, so that the versions stay in order.
    NotAfterLatest,
    AfterEnd,
}

/// Whether a lease may take new terms from `day`.
pub fn amendment_day(
    stored: LeaseStatus,
    ends_on: Option<NaiveDate>,
    latest_from: NaiveDate,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<(), AmendRefused> {
    if status_on(stored, ends_on, today) == LeaseStatus::Ended {
        return Err(AmendRefused::Ended);
    }
    if day < today {
        return Err(AmendRefused::Past);
    }
    if day <= latest_from {
        return Err(AmendRefused::NotAfterLatest);
    }
    if ends_on.is_some_and(|end| day > end) {
        return Err(AmendRefused::AfterEnd);
    }
    Ok(())
}

/// Why a lease cannot end early on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndRefused {
    Ended,
    /// A lease ends today at the earliest: the days it has run stay let.
    Past,
    /// Before its first day: that is a cancellation, not an end.
    BeforeStart,
    /// Before an amendment takes effect: that version would never apply.
    BeforeLatest,
    /// Not before the last day it already has.
    NotEarlier,
}

/// Whether a lease may end early, by agreement, with `day` as its last day.
pub fn early_end(
    stored: LeaseStatus,
    (starts_on, ends_on): (NaiveDate, Option<NaiveDate>),
    latest_from: NaiveDate,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<(), EndRefused> {
    if status_on(stored, ends_on, today) == LeaseStatus::Ended {
        return Err(EndRefused::Ended);
    }
    if day < today {
        return Err(EndRefused::Past);
    }
    if day < starts_on {
        return Err(EndRefused::BeforeStart);
    }
    if day < latest_from {
        return Err(EndRefused::BeforeLatest);
    }
    if ends_on.is_some_and(|end| day >= end) {
        return Err(EndRefused::NotEarlier);
    }
    Ok(())
}

/// A leasable unit, for the occupancy figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitFact {
    pub id: i32,
    pub kind: SpaceKind,
    pub area_m2: i64,
    pub capacity: i64,
}

/// A stretch of days over which one unit is let at one fee: a lease line, between the day its
/// version takes effect and the eve of the next one, within the lease's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stint {
    pub space_id: i32,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub fee_cents: i64,
    pub list_fee_cents: i64,
}

/// One version of a lease, for `stints`: its first day and its lines (unit, fee, list fee).
pub struct VersionTerms {
    pub effective_from: NaiveDate,
    pub lines: Vec<(i32, i64, i64)>,
}

/// The stints of one lease, from its dates and its versions in order.
pub fn stints(
    (starts_on, ends_on): (NaiveDate, Option<NaiveDate>),
    versions: &[VersionTerms],
) -> Vec<Stint> {
    let mut out = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let from = v.effective_from.max(starts_on);
        let next_eve = versions
            .get(i + 1)
            .and_then(|n| n.effective_from.pred_opt());
        let until = match (next_eve, ends_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if until.is_some_and(|u| u < from) {
            continue;
        }
        out.extend(
            v.lines
                .iter()
                .map(|&(space_id, fee_cents, list_fee_cents)| Stint {
                    space_id,
                    from,
                    until,
                    fee_cents,
                    list_fee_cents,
                }),
        );
    }
    out
}

/// The order the dashboard shows kinds in.
pub const LEASABLE_KINDS: [SpaceKind; 3] = [SpaceKind::Office, SpaceKind::Desk, SpaceKind::Storage];

/// A month's occupancy: every figure prorated to the days let, so that a lease from the 15th
/// of a 30-day month counts half of that month, and fees to the days they applied.
pub fn month_figures(
    units: &[UnitFact],
    stints: &[Stint],
    year: i32,
    month: u32,
) -> Option<MonthFigures> {
    let days = i64::from(days_in_month(year, month)?);
    let by_id: std::collections::HashMap<i32, &UnitFact> =
        units.iter().map(|u| (u.id, u)).collect();
    // Days let, day-m², day-workstations, per kind.
    let mut acc: BTreeMap<usize, (i64, i64, i64, i64, i64)> = BTreeMap::new();
    for s in stints {
        let Some(unit) = by_id.get(&s.space_id) else {
            continue;
        };
        let Some(k) = LEASABLE_KINDS.iter().position(|&k| k == unit.kind) else {
            continue;
        };
        let (covered, of) = month_share(s.from, s.until, year, month)?;
        if covered == 0 {
            continue;
        }
        let c = i64::from(covered);
        let e = acc.entry(k).or_default();
        e.0 += c;
        e.1 += c * unit.area_m2;
        e.2 += c * unit.capacity;
        e.3 += prorate(s.fee_cents, (covered, of));
        e.4 += prorate(s.list_fee_cents, (covered, of));
    }
    let milli = |day_units: i64| (day_units * 2000 + days) / (days * 2);
    let kinds = LEASABLE_KINDS
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let of_kind = units.iter().filter(|u| u.kind == kind);
            let (d, m2, people, revenue, list) = acc.get(&i).copied().unwrap_or_default();
            KindFigures {
                kind,
                leasable_units: of_kind.clone().count() as i64,
                let_units_milli: milli(d),
                leasable_m2: of_kind.clone().map(|u| u.area_m2).sum(),
                let_m2_milli: milli(m2),
                capacity: of_kind.map(|u| u.capacity).sum(),
                people_milli: milli(people),
                revenue_cents: revenue,
                list_cents: list,
            }
        })
        .collect();
    Some(MonthFigures { year, month, kinds })
}

/// A let of a unit, for `vacancies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetSpan {
    pub space_id: i32,
    pub lease_id: i32,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// The lets that end between `today` and `horizon` with no other let of their unit starting
/// the next day: the units that free up, with their first free day, soonest first.
pub fn vacancies(
    lets: &[LetSpan],
    today: NaiveDate,
    horizon: NaiveDate,
) -> Vec<(LetSpan, NaiveDate)> {
    let starts: std::collections::HashSet<(i32, NaiveDate)> =
        lets.iter().map(|l| (l.space_id, l.starts_on)).collect();
    let mut out: Vec<(LetSpan, NaiveDate)> = lets
        .iter()
        .filter_map(|l| {
            let end = l.ends_on?;
            let free = end.succ_opt()?;
            if end < today || free > horizon || starts.contains(&(l.space_id, free)) {
                return None;
            }
            Some((*l, free))
        })
        .collect();
    out.sort_by_key(|(l, free)| (*free, l.space_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn notice_ends_the_lease_on_the_last_day_of_the_month_it_has_run() {
        assert_eq!(notice_end(d("2027-03-10"), 3), Some(d("2027-06-30")));
        assert_eq!(notice_end(d("2027-03-01"), 3), Some(d("2027-06-30")));
        // 31 March + 3 months is 30 June (no 31 June): still the end of June.
        assert_eq!(notice_end(d("2027-03-31"), 3), Some(d("2027-06-30")));
        // Over a year end, and into a leap February.
        assert_eq!(notice_end(d("2027-11-15"), 3), Some(d("2028-02-29")));
        assert_eq!(notice_end(d("2026-11-15"), 3), Some(d("2027-02-28")));
        assert_eq!(notice_end(d("2027-01-20"), 0), Some(d("2027-01-31")));
    }

    #[test]
    fn a_month_share_counts_the_days_covered() {
        // From the 16th of a 30-day month: 15 days of 30, half the month.
        assert_eq!(month_share(d("2027-06-16"), None, 2027, 6), Some((15, 30)));
        assert_eq!(month_share(d("2027-01-15"), None, 2027, 1), Some((17, 31)));
        assert_eq!(month_share(d("2027-01-01"), None, 2027, 3), Some((31, 31)));
        assert_eq!(
            month_share(d("2027-01-01"), Some(d("2027-02-28")), 2027, 3),
            Some((0, 31))
        );
        assert_eq!(month_share(d("2027-04-01"), None, 2027, 3), Some((0, 31)));
        assert_eq!(
            month_share(d("2027-03-10"), Some(d("2027-03-20")), 2027, 3),
            Some((11, 31))
        );
        // Leap years.
        assert_eq!(month_share(d("2028-02-15"), None, 2028, 2), Some((15, 29)));
        assert_eq!(month_share(d("2027-02-15"), None, 2027, 2), Some((14, 28)));
        assert_eq!(month_share(d("2027-02-15"), None, 2027, 13), None);
    }

    #[test]
    fn a_fee_is_prorated_to_the_cent_half_up() {
        assert_eq!(prorate(45_000, (15, 30)), 22_500);
        assert_eq!(prorate(45_000, (31, 31)), 45_000);
        assert_eq!(prorate(45_000, (0, 31)), 0);
        // 100.00 × 1/3 = 33.333… → 33.33; 100.00 × 2/3 = 66.666… → 66.67.
        assert_eq!(prorate(10_000, (1, 3)), 3_333);
        assert_eq!(prorate(10_000, (2, 3)), 6_667);
        // A fee amended mid-month: the two parts add up to the days of the month.
        let june = 30;
        let old = prorate(40_000, (14, june));
        let new = prorate(46_000, (16, june));
        assert_eq!(old + new, 18_667 + 24_533);
    }

    #[test]
    fn applications_move_only_along_the_pipeline() {
        use ApplicationStatus::*;
        let allowed = [
            (Received, VisitBooked),
            (Received, Visited),
            (VisitBooked, Visited),
            (VisitBooked, Received),
            (Visited, AtCommittee),
            (AtCommittee, Accepted),
            (AtCommittee, WaitListed),
            (AtCommittee, Refused),
            (WaitListed, AtCommittee),
            (Received, Withdrawn),
            (VisitBooked, Withdrawn),
            (Visited, Withdrawn),
            (AtCommittee, Withdrawn),
            (WaitListed, Withdrawn),
        ];
        for from in ApplicationStatus::ALL {
            for to in ApplicationStatus::ALL {
                assert_eq!(
                    may_move(from, to),
                    allowed.contains(&(from, to)),
                    "{from:?} → {to:?}"
                );
            }
        }
    }

    fn tenant(legal_form: LegalForm, sector: Sector, area_m2: i64) -> Tenant {
        Tenant {
            legal_form,
            sector,
            size: SizeBand::Small,
            age: Some(AgeBand::Young),
            area_m2,
        }
    }

    #[test]
    fn shares_count_organisations_and_area() {
        let today = [
            tenant(LegalForm::Association, Sector::Culture, 20),
            tenant(LegalForm::Association, Sector::Health, 40),
            tenant(LegalForm::Scop, Sector::Culture, 60),
        ];
        let by_form = shares(&today, |t| t.legal_form);
        let assoc = by_form[&LegalForm::Association];
        assert_eq!(
            (assoc.organisations, assoc.organisations_permille),
            (2, 667)
        );
        assert_eq!((assoc.area_m2, assoc.area_permille), (60, 500));
        let scop = by_form[&LegalForm::Scop];
        assert_eq!(
            (scop.organisations_permille, scop.area_permille),
            (333, 500)
        );
        assert!(shares(&[], |t: &Tenant| t.sector).is_empty());
    }

    #[test]
    fn a_candidate_is_flagged_for_each_target_it_leaves_missed() {
        let today = [
            tenant(LegalForm::Association, Sector::Culture, 20),
            tenant(LegalForm::Association, Sector::Health, 20),
            tenant(LegalForm::Scop, Sector::ReuseWaste, 20),
            tenant(LegalForm::Scic, Sector::Culture, 20),
            tenant(LegalForm::Mutual, Sector::DigitalForAll, 20),
        ];
        let max_form = Target::MaxLegalFormPercent { percent: 40 };
        let max_sector = Target::MaxSectorPercent { percent: 40 };
        let min_sectors = Target::MinSectors { count: 5 };
        let targets = [max_form, max_sector, min_sectors];
        assert!(
            meets(max_form, &today),
            "2 of 5 associations is 40 %, not above"
        );
        // A third association is 3 of 6 = 50 %: above 40 %.
        let assoc = tenant(LegalForm::Association, Sector::CitizenEnergy, 20);
        assert_eq!(broken_by(&targets, &today, &assoc), vec![max_form]);
        // A new form in a new sector breaks nothing and meets the 5 sectors.
        let coop = tenant(LegalForm::Cae, Sector::CitizenEnergy, 20);
        assert!(broken_by(&targets, &today, &coop).is_empty());
        assert!(
            !meets(min_sectors, &today)
                && meets(min_sectors, &[today.to_vec(), vec![coop.clone()]].concat())
        );
        // Culture again: 3 of 6 = 50 %, and still 4 sectors where 5 are wanted.
        let culture = tenant(LegalForm::Cae, Sector::Culture, 20);
        assert_eq!(
            broken_by(&targets, &today, &culture),
            vec![max_sector, min_sectors]
        );
    }

    #[test]
    fn a_target_already_missed_is_not_held_against_a_candidate_who_brings_it_closer() {
        let today = [
            tenant(LegalForm::Association, Sector::Culture, 20),
            tenant(LegalForm::Association, Sector::Health, 20),
        ];
        let max_form = Target::MaxLegalFormPercent { percent: 40 };
        assert!(!meets(max_form, &today));
        // A SCOP lowers the associations' share from 100 % to 67 %: missed, but better.
        let scop = tenant(LegalForm::Scop, Sector::Culture, 20);
        assert!(broken_by(&[max_form], &today, &scop).is_empty());
        // A third association keeps it at 100 %: no closer, so flagged.
        let assoc = tenant(LegalForm::Association, Sector::Culture, 20);
        assert_eq!(broken_by(&[max_form], &today, &assoc), vec![max_form]);
    }

    #[test]
    fn notice_ends_the_lease_at_the_end_of_the_month_the_period_runs_out() {
        use LeaseStatus::*;
        let start = d("2025-01-01");
        assert_eq!(
            notice(Active, start, None, 3, d("2027-03-10")),
            Ok(d("2027-06-30"))
        );
        // Given on the 31st: the period runs to the end of a shorter month, never past it.
        assert_eq!(
            notice(Active, start, None, 1, d("2027-01-31")),
            Ok(d("2027-02-28"))
        );
        assert_eq!(
            notice(Active, start, None, 1, d("2028-01-31")),
            Ok(d("2028-02-29"))
        );
        assert_eq!(
            notice(Active, start, None, 0, d("2027-03-10")),
            Ok(d("2027-03-31"))
        );
        // A fixed term that ends first keeps its end.
        assert_eq!(
            notice(Active, start, Some(d("2027-04-30")), 3, d("2027-03-10")),
            Ok(d("2027-04-30"))
        );
    }

    #[test]
    fn notice_is_given_once_and_only_on_a_running_lease() {
        use LeaseStatus::*;
        let start = d("2025-01-01");
        let today = d("2027-03-10");
        assert_eq!(
            notice(NoticeGiven, start, Some(d("2027-06-30")), 3, today),
            Err(NoticeRefused::AlreadyGiven)
        );
        assert_eq!(
            notice(Active, start, Some(d("2027-03-09")), 3, today),
            Err(NoticeRefused::Ended)
        );
        assert_eq!(
            notice(Ended, start, None, 3, today),
            Err(NoticeRefused::Ended)
        );
        assert_eq!(
            notice(Active, d("2027-09-01"), None, 3, today),
            Err(NoticeRefused::NotStarted)
        );
        // Its last day is still a day of the lease.
        assert_eq!(status_on(Active, Some(today), today), Active);
        assert_eq!(status_on(NoticeGiven, Some(d("2027-03-09")), today), Ended);
    }

    #[test]
    fn an_amendment_starts_after_the_latest_version_and_never_in_the_past() {
        use LeaseStatus::*;
        let today = d("2027-03-10");
        let latest = d("2026-01-01");
        assert_eq!(
            amendment_day(Active, None, latest, d("2027-04-01"), today),
            Ok(())
        );
        assert_eq!(amendment_day(Active, None, latest, today, today), Ok(()));
        assert_eq!(
            amendment_day(Active, None, latest, d("2027-03-09"), today),
            Err(AmendRefused::Past)
        );
        assert_eq!(
            amendment_day(Active, None, d("2027-04-01"), d("2027-04-01"), today),
            Err(AmendRefused::NotAfterLatest)
        );
        assert_eq!(
            amendment_day(
                NoticeGiven,
                Some(d("2027-06-30")),
                latest,
                d("2027-07-01"),
                today
            ),
            Err(AmendRefused::AfterEnd)
        );
        assert_eq!(
            amendment_day(
                NoticeGiven,
                Some(d("2027-06-30")),
                latest,
                d("2027-06-30"),
                today
            ),
            Ok(())
        );
        assert_eq!(
            amendment_day(
                Active,
                Some(d("2027-03-01")),
                latest,
                d("2027-04-01"),
                today
            ),
            Err(AmendRefused::Ended)
        );
    }

    #[test]
    fn a_lease_ends_early_from_today_within_its_terms() {
        let today = d("2027-03-10");
        let open = (d("2026-01-01"), None);
        let ok = |day| early_end(LeaseStatus::Active, open, d("2026-06-01"), d(day), today);
        assert_eq!(ok("2027-03-10"), Ok(()));
        assert_eq!(ok("2027-04-30"), Ok(()));
        assert_eq!(ok("2027-03-09"), Err(EndRefused::Past));
        // After notice, an earlier end by agreement still is.
        let noticed = (d("2026-01-01"), Some(d("2027-06-30")));
        assert_eq!(
            early_end(
                LeaseStatus::NoticeGiven,
                noticed,
                d("2026-01-01"),
                d("2027-04-30"),
                today
            ),
            Ok(())
        );
        assert_eq!(
            early_end(
                LeaseStatus::NoticeGiven,
                noticed,
                d("2026-01-01"),
                d("2027-06-30"),
                today
            ),
            Err(EndRefused::NotEarlier)
        );
        // Not before it starts, nor before a signed amendment applies.
        let future = (d("2027-05-01"), None);
        assert_eq!(
            early_end(
                LeaseStatus::Active,
                future,
                d("2027-05-01"),
                d("2027-04-15"),
                today
            ),
            Err(EndRefused::BeforeStart)
        );
        assert_eq!(
            early_end(
                LeaseStatus::Active,
                open,
                d("2027-04-01"),
                d("2027-03-20"),
                today
            ),
            Err(EndRefused::BeforeLatest)
        );
        // A lease whose last day has passed has ended, whatever its stored status.
        let past = (d("2026-01-01"), Some(d("2027-02-28")));
        assert_eq!(
            early_end(
                LeaseStatus::Active,
                past,
                d("2026-01-01"),
                d("2027-03-20"),
                today
            ),
            Err(EndRefused::Ended)
        );
    }

    fn unit(id: i32, kind: SpaceKind, area_m2: i64, capacity: i64) -> UnitFact {
        UnitFact {
            id,
            kind,
            area_m2,
            capacity,
        }
    }

    fn stint(space_id: i32, from: &str, until: Option<&str>, fee: i64, list: i64) -> Stint {
        Stint {
            space_id,
            from: d(from),
            until: until.map(d),
            fee_cents: fee,
            list_fee_cents: list,
        }
    }

    #[test]
    fn occupancy_is_prorated_to_the_days_let_over_month_boundaries() {
        let units = [
            unit(1, SpaceKind::Office, 20, 4),
            unit(2, SpaceKind::Office, 12, 2),
            unit(3, SpaceKind::Desk, 6, 1),
            unit(4, SpaceKind::Storage, 10, 0),
        ];
        // Office 1 all June; office 2 from the 16th (15 of 30 days); the desk until the 10th.
        let let_ = [
            stint(1, "2027-01-01", None, 60_000, 60_000),
            stint(2, "2027-06-16", None, 30_000, 36_000),
            stint(3, "2027-02-01", Some("2027-06-10"), 15_000, 15_000),
        ];
        let june = month_figures(&units, &let_, 2027, 6).unwrap();
        let [office, desk, storage] = &june.kinds[..] else {
            panic!("three kinds")
        };
        assert_eq!((office.leasable_units, office.let_units_milli), (2, 1_500));
        assert_eq!((office.leasable_m2, office.let_m2_milli), (32, 26_000));
        assert_eq!((office.capacity, office.people_milli), (6, 5_000));
        assert_eq!(office.revenue_cents, 60_000 + 15_000);
        assert_eq!(office.list_cents, 60_000 + 18_000);
        assert_eq!((desk.let_units_milli, desk.revenue_cents), (333, 5_000));
        assert_eq!((storage.leasable_units, storage.let_units_milli), (1, 0));
        assert_eq!(june.revenue_cents(), 80_000);
        assert_eq!(
            june.list_attainment_permille(),
            Some(80_000 * 1000 / 83_000)
        );
        // Revenue per workstation: 80,000 cents over 5.333 people let.
        assert_eq!(june.revenue_per_workstation(), Some(80_000 * 1000 / 5_333));
        // July: the desk has gone, office 2 is let all month.
        let july = month_figures(&units, &let_, 2027, 7).unwrap();
        assert_eq!(july.kinds[0].let_units_milli, 2_000);
        assert_eq!(july.kinds[1].let_units_milli, 0);
        // A month before any lease: nothing let, nothing earned.
        let before = month_figures(&units, &let_, 2026, 12).unwrap();
        assert_eq!(before.revenue_cents(), 0);
        assert_eq!(before.revenue_per_m2(), None);
        assert_eq!(before.list_attainment_permille(), None);
    }

    #[test]
    fn a_leap_february_has_twenty_nine_days_to_share() {
        let units = [unit(1, SpaceKind::Desk, 6, 1)];
        let from_15 = [stint(1, "2028-02-15", None, 29_000, 29_000)];
        let feb = month_figures(&units, &from_15, 2028, 2).unwrap();
        // 15 of 29 days.
        assert_eq!(feb.kinds[1].let_units_milli, 517);
        assert_eq!(feb.kinds[1].revenue_cents, 15_000);
        let feb_2027 = month_figures(
            &units,
            &[stint(1, "2027-02-15", None, 28_000, 28_000)],
            2027,
            2,
        )
        .unwrap();
        assert_eq!(feb_2027.kinds[1].let_units_milli, 500);
        assert_eq!(feb_2027.kinds[1].revenue_cents, 14_000);
    }

    #[test]
    fn a_lease_amended_mid_month_counts_each_fee_for_its_days() {
        // Office 1 from January at 600 €; from 16 June at 450 €, and office 2 added that day.
        let versions = [
            VersionTerms {
                effective_from: d("2027-01-01"),
                lines: vec![(1, 60_000, 60_000)],
            },
            VersionTerms {
                effective_from: d("2027-06-16"),
                lines: vec![(1, 45_000, 60_000), (2, 30_000, 30_000)],
            },
        ];
        let s = stints((d("2027-01-01"), Some(d("2027-12-31"))), &versions);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].until, Some(d("2027-06-15")));
        assert_eq!(s[1].until, Some(d("2027-12-31")));
        let units = [
            unit(1, SpaceKind::Office, 20, 4),
            unit(2, SpaceKind::Office, 12, 2),
        ];
        let june = month_figures(&units, &s, 2027, 6).unwrap();
        // Office 1 all month, office 2 half of it.
        assert_eq!(june.kinds[0].let_units_milli, 1_500);
        assert_eq!(june.kinds[0].revenue_cents, 30_000 + 22_500 + 15_000);
        assert_eq!(june.kinds[0].list_cents, 60_000 + 15_000);
        // A version that never applied (the lease ended first) has no stint.
        let ended = stints((d("2027-01-01"), Some(d("2027-05-31"))), &versions);
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].until, Some(d("2027-05-31")));
        // A lease starting after its first version's day starts on its own first day.
        let late = stints((d("2027-01-10"), None), &versions[..1]);
        assert_eq!((late[0].from, late[0].until), (d("2027-01-10"), None));
    }

    #[test]
    fn the_units_that_free_up_are_those_whose_let_nobody_follows() {
        let l = |space_id, lease_id, from: &str, until: Option<&str>| LetSpan {
            space_id,
            lease_id,
            starts_on: d(from),
            ends_on: until.map(d),
        };
        let lets = [
            l(1, 10, "2026-01-01", Some("2027-06-30")),
            // Unit 2 is let again the day after: no vacancy.
            l(2, 11, "2026-01-01", Some("2027-03-31")),
            l(2, 12, "2027-04-01", None),
            l(3, 13, "2026-01-01", None),
            // Beyond the horizon, and already past.
            l(4, 14, "2026-01-01", Some("2028-06-30")),
            l(5, 15, "2026-01-01", Some("2026-11-30")),
            l(6, 16, "2026-01-01", Some("2027-01-31")),
        ];
        let found = vacancies(&lets, d("2026-12-03"), d("2027-12-03"));
        let named: Vec<(i32, NaiveDate)> = found.iter().map(|(l, f)| (l.space_id, *f)).collect();
        assert_eq!(named, vec![(6, d("2027-02-01")), (1, d("2027-07-01"))]);
    }
}
