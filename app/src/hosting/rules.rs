//! Hosting's pure rules: when a notice ends a lease, how much of a month a lease covers, which
//! steps an application may take, and how a candidate would change the hub's diversity.
use super::model::{AgeBand, ApplicationStatus, LeaseStatus, SizeBand};
use crate::organisations::model::{LegalForm, Sector};
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
    pub age: AgeBand,
    /// The m² it leases (for a candidate, the m² it asks for).
    pub area_m2: i64,
}

/// The share of one value of a dimension: of organisations and of leased m², in per-mille so
/// that no float comes near a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
            age: AgeBand::Young,
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
}
