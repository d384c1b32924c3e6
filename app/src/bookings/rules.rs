//! Pure rules of room booking: local time in Europe/Paris, the rules of each space, prices
//! with included hours, recurring series, and the day's free/taken/closed segments.
//! No database here; the service feeds these functions and stores what they decide.
use super::model::BookingStatus;
pub use super::model::LocalSlot;
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Europe::Paris;

/// Bookings start and end on a quarter hour.
pub const STEP_MINUTES: u32 = 15;
/// A day, in minutes: the end of a slot that runs to midnight.
pub const DAY_MINUTES: u32 = 24 * 60;
/// A series longer than this is refused (two years of a weekly meeting fit easily).
pub const MAX_OCCURRENCES: usize = 104;

// ---------------------------------------------------------------------------------------------
// Local time.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    /// The wall-clock time is skipped by the spring clock change (02:00–03:00).
    Nonexistent,
}

/// The UTC instant of a Paris wall-clock minute. In the autumn's repeated hour, the first
/// (summer-time) instant is taken.
pub fn paris_to_utc(date: NaiveDate, minute_of_day: u32) -> Result<DateTime<Utc>, TimeError> {
    let (date, minute) = if minute_of_day >= DAY_MINUTES {
        (
            date.succ_opt().ok_or(TimeError::Nonexistent)?,
            minute_of_day - DAY_MINUTES,
        )
    } else {
        (date, minute_of_day)
    };
    let naive = date
        .and_hms_opt(minute / 60, minute % 60, 0)
        .ok_or(TimeError::Nonexistent)?;
    Paris
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(TimeError::Nonexistent)
}

/// The Paris wall-clock time of a UTC instant.
pub fn to_paris(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&Paris).naive_local()
}

/// Today's date in Paris.
pub fn paris_today(now: DateTime<Utc>) -> NaiveDate {
    to_paris(now).date()
}

/// Minutes from local midnight of `date` to the instant `t` (negative before, over 1440 after).
pub fn local_minute_of(date: NaiveDate, t: DateTime<Utc>) -> i64 {
    let local = to_paris(t);
    (local.date() - date).num_days() * i64::from(DAY_MINUTES)
        + i64::from(local.hour() * 60 + local.minute())
}

/// The minutes that really pass between two instants: what a booking is priced by. On the
/// night the clocks go back, 02:00-03:00 on the wall is two hours; when they go forward, the
/// missing hour is not charged.
pub fn elapsed_minutes(start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    (end - start).num_minutes().max(0)
}

impl LocalSlot {
    /// Wall-clock length, for the rules on a booking's length as the form shows it. Prices
    /// use [`elapsed_minutes`].
    pub fn duration_minutes(&self) -> u32 {
        self.end_minute.saturating_sub(self.start_minute)
    }

    pub fn to_utc(&self) -> Result<(DateTime<Utc>, DateTime<Utc>), TimeError> {
        Ok((
            paris_to_utc(self.date, self.start_minute)?,
            paris_to_utc(self.date, self.end_minute)?,
        ))
    }

    /// The same wall-clock slot on another date (a series keeps its local time across
    /// clock changes).
    pub fn on(&self, date: NaiveDate) -> LocalSlot {
        LocalSlot { date, ..*self }
    }

    /// The slot of a booking stored in UTC, if it starts and ends on one Paris day.
    pub fn from_utc(start: DateTime<Utc>, end: DateTime<Utc>) -> LocalSlot {
        let date = to_paris(start).date();
        let start_minute = u32::try_from(local_minute_of(date, start)).unwrap_or(0);
        let end_minute = u32::try_from(local_minute_of(date, end)).unwrap_or(DAY_MINUTES);
        LocalSlot {
            date,
            start_minute,
            end_minute,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Opening hours and the rules of a space.

/// Opening intervals per weekday (Monday first), in minutes of the local day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpeningHours {
    pub days: [Vec<(u32, u32)>; 7],
}

impl OpeningHours {
    pub fn on(&self, date: NaiveDate) -> &[(u32, u32)] {
        &self.days[date.weekday().num_days_from_monday() as usize]
    }

    /// Whether the slot lies inside one opening interval of its day.
    pub fn admits(&self, slot: &LocalSlot) -> bool {
        self.on(slot.date)
            .iter()
            .any(|(open, close)| *open <= slot.start_minute && slot.end_minute <= *close)
    }

    /// Minutes open between two dates (the end excluded).
    pub fn open_minutes(&self, from: NaiveDate, until: NaiveDate) -> i64 {
        from.iter_days()
            .take_while(|d| *d < until)
            .map(|d| {
                self.on(d)
                    .iter()
                    .map(|(o, c)| i64::from(c - o))
                    .sum::<i64>()
            })
            .sum()
    }
}

/// What a manager sets for each bookable space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    pub min_minutes: u32,
    pub max_minutes: u32,
    /// Kept free after each booking (cleaning, turning the room round).
    pub buffer_minutes: u32,
    pub min_notice_minutes: u32,
    pub tenant_max_advance_days: u32,
    pub manager_max_advance_days: u32,
    /// A booking cancelled less than this before it starts is still charged.
    pub cancel_deadline_hours: u32,
    /// Tenants' bookings wait for a manager's approval (and hold the slot meanwhile).
    pub requires_approval: bool,
    /// Whether the hours included in a lease can pay for this space.
    pub uses_included_hours: bool,
}

/// Who is booking, for the rules that differ by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booker {
    Tenant,
    Manager,
}

/// Why a booking is refused. Each names the rule, and the API says it in the user's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    EndNotAfterStart,
    OffStep,
    Nonexistent,
    InThePast,
    TooShort { min_minutes: u32 },
    TooLong { max_minutes: u32 },
    TooSoon { notice_minutes: u32 },
    TooFarAhead { days: u32 },
    Closed { open: Vec<(u32, u32)> },
    NoAttendees,
    OverCapacity { capacity: u32 },
}

/// Checks a requested slot against the space's rules. Every rule applies to every role,
/// except how far ahead one may book, which each role has its own limit for.
pub fn check_slot(
    rules: &BookingRules,
    hours: &OpeningHours,
    slot: &LocalSlot,
    booker: Booker,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Violation> {
    if slot.end_minute <= slot.start_minute {
        return Err(Violation::EndNotAfterStart);
    }
    if !slot.start_minute.is_multiple_of(STEP_MINUTES)
        || !slot.end_minute.is_multiple_of(STEP_MINUTES)
        || slot.end_minute > DAY_MINUTES
    {
        return Err(Violation::OffStep);
    }
    let (start, end) = slot.to_utc().map_err(|_| Violation::Nonexistent)?;
    if start <= now {
        return Err(Violation::InThePast);
    }
    let minutes = slot.duration_minutes();
    if minutes < rules.min_minutes {
        return Err(Violation::TooShort {
            min_minutes: rules.min_minutes,
        });
    }
    if minutes > rules.max_minutes {
        return Err(Violation::TooLong {
            max_minutes: rules.max_minutes,
        });
    }
    if start < now + Duration::minutes(i64::from(rules.min_notice_minutes)) {
        return Err(Violation::TooSoon {
            notice_minutes: rules.min_notice_minutes,
        });
    }
    let advance_days = match booker {
        Booker::Tenant => rules.tenant_max_advance_days,
        Booker::Manager => rules.manager_max_advance_days,
    };
    let last_day = paris_today(now) + Duration::days(i64::from(advance_days));
    if slot.date > last_day {
        return Err(Violation::TooFarAhead { days: advance_days });
    }
    if !hours.admits(slot) {
        return Err(Violation::Closed {
            open: hours.on(slot.date).to_vec(),
        });
    }
    Ok((start, end))
}

/// Checks the number of people against the space's capacity.
pub fn check_attendees(attendees: u32, capacity: u32) -> Result<(), Violation> {
    if attendees == 0 {
        return Err(Violation::NoAttendees);
    }
    if attendees > capacity {
        return Err(Violation::OverCapacity { capacity });
    }
    Ok(())
}

/// Whether cancelling now still costs the booking.
pub fn cancellation_is_charged(
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
    deadline_hours: u32,
) -> bool {
    now > starts_at - Duration::hours(i64::from(deadline_hours))
}

// ---------------------------------------------------------------------------------------------
// Spaces that contain spaces, and occupancy.

// The containment of a space's parts lives with the availability engine.
pub use crate::availability::rules::leaf_spaces;

// ---------------------------------------------------------------------------------------------
// A booking's life.

/// What someone does to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingAction {
    Approve,
    Refuse,
    /// New times, title or attendance: the status stays, but only an active booking changes.
    Change,
    Cancel,
}

/// The status an action leads to, or None when it does not follow from `from`.
pub fn next_status(from: BookingStatus, action: BookingAction) -> Option<BookingStatus> {
    use BookingStatus as S;
    match (action, from) {
        (BookingAction::Approve, S::Pending) => Some(S::Confirmed),
        (BookingAction::Refuse, S::Pending) => Some(S::Refused),
        (BookingAction::Change, S::Pending | S::Confirmed) => Some(from),
        (BookingAction::Cancel, S::Pending | S::Confirmed) => Some(S::Cancelled),
        _ => None,
    }
}

/// The span a booking keeps from others, in Unix seconds: its time plus the buffer after it.
/// With the buffer only after, two bookings stay at least one buffer apart.
pub fn occupancy(start: DateTime<Utc>, end: DateTime<Utc>, buffer_minutes: u32) -> (i64, i64) {
    (
        start.timestamp(),
        end.timestamp() + i64::from(buffer_minutes) * 60,
    )
}

/// Whether two half-open spans overlap.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

// ---------------------------------------------------------------------------------------------
// Prices.

/// One tier's rates for a space, excluding VAT, in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitRates {
    pub hour: Option<i64>,
    pub half_day: Option<i64>,
    pub day: Option<i64>,
}

/// A half day is up to four hours; a day up to ten.
pub const HALF_DAY_MINUTES: i64 = 4 * 60;
pub const DAY_RATE_MINUTES: i64 = 10 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    pub included_minutes: i64,
    pub billable_minutes: i64,
    pub amount_cents: i64,
}

/// The cheapest way to pay for `minutes` with these rates, or None if no rate applies.
pub fn cheapest(minutes: i64, rates: &UnitRates) -> Option<i64> {
    if minutes <= 0 {
        return Some(0);
    }
    // Per hour, pro rata to the quarter hour, rounded to the cent.
    let hourly = rates.hour.map(|h| (h * minutes + 30) / 60);
    let half_day = rates.half_day.filter(|_| minutes <= HALF_DAY_MINUTES);
    let day = rates.day.filter(|_| minutes <= DAY_RATE_MINUTES);
    // Longer than a day: whole days, then the cheapest way to pay the rest.
    let days = rates
        .day
        .filter(|_| minutes > DAY_RATE_MINUTES)
        .and_then(|d| {
            let whole = minutes / DAY_RATE_MINUTES;
            cheapest(minutes - whole * DAY_RATE_MINUTES, rates).map(|rest| whole * d + rest)
        });
    [hourly, half_day, day, days].into_iter().flatten().min()
}

/// The price of a booking: included minutes first, the rest at the cheapest rate.
pub fn price(minutes: i64, rates: &UnitRates, included_available: i64) -> Option<Price> {
    let included_minutes = minutes.min(included_available.max(0));
    let billable_minutes = minutes - included_minutes;
    let amount_cents = cheapest(billable_minutes, rates)?;
    Some(Price {
        included_minutes,
        billable_minutes,
        amount_cents,
    })
}

// ---------------------------------------------------------------------------------------------
// Recurring series.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEnd {
    Until(NaiveDate),
    Count(u32),
}

/// Every `interval_weeks` weeks, on the chosen weekdays (bit 0 = Monday … bit 6 = Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub interval_weeks: u32,
    pub weekdays: u8,
    pub end: SeriesEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesError {
    NoWeekday,
    BadInterval,
    EndsBeforeStart,
    TooMany { max: usize },
}

pub fn weekday_bit(day: Weekday) -> u8 {
    1 << day.num_days_from_monday()
}

/// The dates of a series, from `first` on. Refuses more than [`MAX_OCCURRENCES`].
pub fn expand(first: NaiveDate, rec: &Recurrence) -> Result<Vec<NaiveDate>, SeriesError> {
    if rec.weekdays & 0x7f == 0 {
        return Err(SeriesError::NoWeekday);
    }
    if !(1..=8).contains(&rec.interval_weeks) {
        return Err(SeriesError::BadInterval);
    }
    match rec.end {
        SeriesEnd::Until(until) if until < first => return Err(SeriesError::EndsBeforeStart),
        SeriesEnd::Count(0) => return Err(SeriesError::EndsBeforeStart),
        SeriesEnd::Count(n) if n as usize > MAX_OCCURRENCES => {
            return Err(SeriesError::TooMany {
                max: MAX_OCCURRENCES,
            });
        }
        _ => {}
    }
    let monday = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut dates = Vec::new();
    for week in 0.. {
        let week_start = monday + Duration::weeks(i64::from(rec.interval_weeks) * week);
        for offset in 0..7u32 {
            let date = week_start + Duration::days(i64::from(offset));
            if date < first || rec.weekdays & (1 << offset) == 0 {
                continue;
            }
            match rec.end {
                SeriesEnd::Until(until) if date > until => return Ok(dates),
                SeriesEnd::Count(n) if dates.len() >= n as usize => return Ok(dates),
                _ => {}
            }
            if dates.len() == MAX_OCCURRENCES {
                return Err(SeriesError::TooMany {
                    max: MAX_OCCURRENCES,
                });
            }
            dates.push(date);
        }
    }
    Ok(dates)
}

// ---------------------------------------------------------------------------------------------
// A day of the calendar.

/// What a stretch of a space's day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    Free,
    /// Outside opening hours.
    Closed,
    /// A manager's block (maintenance, closure).
    Blocked,
    /// Somebody's booking.
    Taken,
}

/// A busy stretch of one local day, in minutes, with what it is and a key for its booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: i64,
    pub end: i64,
    pub kind: SegmentKind,
    pub key: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub start: u32,
    pub end: u32,
    pub kind: SegmentKind,
    pub key: Option<i32>,
}

/// Cuts the window `[from, to)` of a day into free, closed, blocked and taken segments.
/// Busy stretches may overlap (a booking's buffer, the hall and its halves); the earliest
/// starting wins, blocks before bookings.
pub fn day_segments(from: u32, to: u32, open: &[(u32, u32)], busy: &[Busy]) -> Vec<Segment> {
    let mut marks: Vec<(u32, u32, SegmentKind, Option<i32>)> = Vec::new();
    // Closed stretches: the window minus the opening intervals.
    let mut cursor = from;
    let mut intervals: Vec<(u32, u32)> = open.to_vec();
    intervals.sort_unstable();
    for (o, c) in intervals {
        let (o, c) = (o.max(from), c.min(to));
        if o >= c {
            continue;
        }
        if cursor < o {
            marks.push((cursor, o, SegmentKind::Closed, None));
        }
        cursor = cursor.max(c);
    }
    if cursor < to {
        marks.push((cursor, to, SegmentKind::Closed, None));
    }
    let mut busy: Vec<Busy> = busy.to_vec();
    busy.sort_by_key(|b| (b.start, b.kind != SegmentKind::Blocked));
    for b in busy {
        let start = u32::try_from(b.start.clamp(i64::from(from), i64::from(to))).unwrap_or(from);
        let end = u32::try_from(b.end.clamp(i64::from(from), i64::from(to))).unwrap_or(to);
        if start < end {
            marks.push((start, end, b.kind, b.key));
        }
    }

    // Walk the window minute boundaries in order; the first mark covering a stretch wins.
    let mut cuts: Vec<u32> = vec![from, to];
    for (s, e, _, _) in &marks {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (s, e) = (pair[0], pair[1]);
        let (kind, key) = marks
            .iter()
            .find(|(ms, me, _, _)| *ms <= s && e <= *me)
            .map(|(_, _, k, key)| (*k, *key))
            .unwrap_or((SegmentKind::Free, None));
        match out.last_mut() {
            Some(last) if last.kind == kind && last.key == key && last.end == s => last.end = e,
            _ => out.push(Segment {
                start: s,
                end: e,
                kind,
                key,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn rules() -> BookingRules {
        BookingRules {
            min_minutes: 30,
            max_minutes: 600,
            buffer_minutes: 15,
            min_notice_minutes: 60,
            tenant_max_advance_days: 90,
            manager_max_advance_days: 365,
            cancel_deadline_hours: 24,
            requires_approval: false,
            uses_included_hours: true,
        }
    }

    fn weekdays_8_to_20() -> OpeningHours {
        let mut h = OpeningHours::default();
        for day in 0..5 {
            h.days[day] = vec![(8 * 60, 20 * 60)];
        }
        h
    }

    fn slot(date: NaiveDate, start: &str, end: &str) -> LocalSlot {
        let m = |s: &str| {
            let (h, mi) = s.split_once(':').unwrap();
            h.parse::<u32>().unwrap() * 60 + mi.parse::<u32>().unwrap()
        };
        LocalSlot {
            date,
            start_minute: m(start),
            end_minute: m(end),
        }
    }

    const NOW: &str = "2026-11-22T09:00:00Z";

    #[test]
    fn paris_is_utc_plus_one_in_winter_and_two_in_summer() {
        assert_eq!(
            paris_to_utc(d(2026, 11, 26), 14 * 60),
            Ok(utc("2026-11-26T13:00:00Z"))
        );
        assert_eq!(
            paris_to_utc(d(2026, 7, 2), 14 * 60),
            Ok(utc("2026-07-02T12:00:00Z"))
        );
        assert_eq!(
            paris_to_utc(d(2026, 11, 26), DAY_MINUTES),
            Ok(utc("2026-11-26T23:00:00Z"))
        );
    }

    #[test]
    fn the_spring_gap_does_not_exist_and_the_autumn_hour_takes_summer_time() {
        // 29 March 2026: 02:00 jumps to 03:00.
        assert_eq!(
            paris_to_utc(d(2026, 3, 29), 2 * 60 + 30),
            Err(TimeError::Nonexistent)
        );
        assert_eq!(
            paris_to_utc(d(2026, 3, 29), 3 * 60),
            Ok(utc("2026-03-29T01:00:00Z"))
        );
        // 25 October 2026: 03:00 goes back to 02:00; 02:30 happens twice.
        assert_eq!(
            paris_to_utc(d(2026, 10, 25), 2 * 60 + 30),
            Ok(utc("2026-10-25T00:30:00Z"))
        );
    }

    #[test]
    fn slots_round_trip_through_utc() {
        for date in [
            d(2026, 3, 29),
            d(2026, 3, 30),
            d(2026, 10, 25),
            d(2026, 10, 26),
        ] {
            let s = slot(date, "09:00", "17:30");
            let (a, b) = s.to_utc().unwrap();
            assert_eq!(LocalSlot::from_utc(a, b), s);
            assert_eq!(local_minute_of(date, a), 9 * 60);
        }
    }

    #[test]
    fn a_good_slot_passes_every_rule() {
        let s = slot(d(2026, 11, 26), "14:00", "16:00");
        let (start, end) =
            check_slot(&rules(), &weekdays_8_to_20(), &s, Booker::Tenant, utc(NOW)).unwrap();
        assert_eq!(
            (start, end),
            (utc("2026-11-26T13:00:00Z"), utc("2026-11-26T15:00:00Z"))
        );
    }

    #[test]
    fn each_rule_refuses_with_its_reason() {
        let now = utc(NOW);
        let (r, h) = (rules(), weekdays_8_to_20());
        let check = |s: LocalSlot| check_slot(&r, &h, &s, Booker::Tenant, now);
        let thu = d(2026, 11, 26);
        assert_eq!(
            check(slot(thu, "16:00", "14:00")),
            Err(Violation::EndNotAfterStart)
        );
        assert_eq!(check(slot(thu, "14:10", "16:00")), Err(Violation::OffStep));
        assert_eq!(
            check(slot(d(2026, 11, 20), "14:00", "16:00")),
            Err(Violation::InThePast)
        );
        assert_eq!(
            check(slot(thu, "14:00", "14:15")),
            Err(Violation::TooShort { min_minutes: 30 })
        );
        assert_eq!(
            check(slot(thu, "08:00", "19:00")),
            Err(Violation::TooLong { max_minutes: 600 })
        );
        // Today at 10:15 Paris is 09:15 UTC, 15 minutes from now: under the hour's notice.
        assert_eq!(
            check(slot(d(2026, 11, 22), "10:15", "11:00")),
            Err(Violation::TooSoon { notice_minutes: 60 })
        );
        assert_eq!(
            check(slot(d(2027, 3, 4), "14:00", "16:00")),
            Err(Violation::TooFarAhead { days: 90 })
        );
        // Saturday: closed all day.
        assert_eq!(
            check(slot(d(2026, 11, 28), "10:00", "12:00")),
            Err(Violation::Closed { open: vec![] })
        );
        assert_eq!(
            check(slot(thu, "19:00", "21:00")),
            Err(Violation::Closed {
                open: vec![(480, 1200)]
            })
        );
    }

    #[test]
    fn managers_book_further_ahead_but_keep_every_other_rule() {
        let s = slot(d(2027, 3, 4), "14:00", "16:00");
        assert!(check_slot(&rules(), &weekdays_8_to_20(), &s, Booker::Manager, utc(NOW)).is_ok());
        let closed = slot(d(2026, 11, 28), "10:00", "12:00");
        assert!(
            check_slot(
                &rules(),
                &weekdays_8_to_20(),
                &closed,
                Booker::Manager,
                utc(NOW)
            )
            .is_err()
        );
    }

    #[test]
    fn opening_hours_hold_across_clock_changes() {
        // The local day keeps its wall-clock opening hours on both change days.
        let h = OpeningHours {
            days: std::array::from_fn(|_| vec![(7 * 60, 23 * 60)]),
        };
        let mut r = rules();
        r.manager_max_advance_days = 400;
        let now = utc("2026-03-01T00:00:00Z");
        for date in [d(2026, 3, 29), d(2026, 10, 25)] {
            assert!(
                check_slot(&r, &h, &slot(date, "07:00", "09:00"), Booker::Manager, now).is_ok()
            );
            assert!(
                check_slot(&r, &h, &slot(date, "06:45", "09:00"), Booker::Manager, now).is_err()
            );
            let (start, end) = slot(date, "07:00", "23:00").to_utc().unwrap();
            assert_eq!(
                (end - start).num_hours(),
                16,
                "{date}: a local 07:00–23:00 lasts 16 hours"
            );
        }
        assert_eq!(h.open_minutes(d(2026, 3, 23), d(2026, 3, 30)), 7 * 16 * 60);
    }

    #[test]
    fn attendees_must_fit() {
        assert_eq!(check_attendees(0, 10), Err(Violation::NoAttendees));
        assert_eq!(
            check_attendees(11, 10),
            Err(Violation::OverCapacity { capacity: 10 })
        );
        assert!(check_attendees(10, 10).is_ok());
    }

    #[test]
    fn late_cancellations_are_charged() {
        let start = utc("2026-11-26T13:00:00Z");
        assert!(!cancellation_is_charged(
            start,
            utc("2026-11-25T12:59:00Z"),
            24
        ));
        assert!(cancellation_is_charged(
            start,
            utc("2026-11-25T13:01:00Z"),
            24
        ));
    }

    #[test]
    fn only_pending_bookings_are_decided_and_only_active_ones_move() {
        use BookingAction as A;
        use BookingStatus as S;
        assert_eq!(next_status(S::Pending, A::Approve), Some(S::Confirmed));
        assert_eq!(next_status(S::Pending, A::Refuse), Some(S::Refused));
        assert_eq!(next_status(S::Confirmed, A::Approve), None);
        assert_eq!(next_status(S::Cancelled, A::Refuse), None);
        assert_eq!(next_status(S::Confirmed, A::Change), Some(S::Confirmed));
        assert_eq!(next_status(S::Pending, A::Cancel), Some(S::Cancelled));
        for gone in [S::Cancelled, S::Refused] {
            assert_eq!(next_status(gone, A::Change), None);
            assert_eq!(next_status(gone, A::Cancel), None);
        }
    }

    #[test]
    fn buffers_keep_bookings_apart() {
        let a = occupancy(utc("2026-11-26T09:00:00Z"), utc("2026-11-26T10:00:00Z"), 15);
        let right_after = occupancy(utc("2026-11-26T10:00:00Z"), utc("2026-11-26T11:00:00Z"), 15);
        let after_buffer = occupancy(utc("2026-11-26T10:15:00Z"), utc("2026-11-26T11:00:00Z"), 15);
        let before = occupancy(utc("2026-11-26T08:00:00Z"), utc("2026-11-26T08:45:00Z"), 15);
        assert!(overlaps(a, right_after));
        assert!(!overlaps(a, after_buffer));
        assert!(
            !overlaps(a, before),
            "a booking ending one buffer before is fine"
        );
        let too_close_before =
            occupancy(utc("2026-11-26T08:00:00Z"), utc("2026-11-26T08:50:00Z"), 15);
        assert!(overlaps(a, too_close_before));
    }

    #[test]
    fn the_cheapest_rate_applies() {
        let r = UnitRates {
            hour: Some(2_000),
            half_day: Some(5_500),
            day: Some(10_000),
        };
        assert_eq!(cheapest(60, &r), Some(2_000));
        assert_eq!(cheapest(90, &r), Some(3_000));
        assert_eq!(cheapest(15, &r), Some(500));
        assert_eq!(
            cheapest(180, &r),
            Some(5_500),
            "three hours: the half day beats 60.00"
        );
        assert_eq!(
            cheapest(300, &r),
            Some(10_000),
            "five hours: the day beats 100.00 by the hour"
        );
        assert_eq!(
            cheapest(660, &r),
            Some(12_000),
            "eleven hours: a day and one hour"
        );
        assert_eq!(cheapest(0, &r), Some(0));
        let no_hourly = UnitRates { hour: None, ..r };
        assert_eq!(cheapest(45, &no_hourly), Some(5_500));
        assert_eq!(cheapest(60, &UnitRates::default()), None);
    }

    #[test]
    fn a_booking_across_the_autumn_clock_change_is_priced_by_elapsed_time() {
        let r = UnitRates {
            hour: Some(2_000),
            half_day: None,
            day: None,
        };
        // 2026-10-25: at 03:00 summer time the clocks go back to 02:00.
        let slot = LocalSlot {
            date: NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(),
            start_minute: 2 * 60,
            end_minute: 3 * 60,
        };
        let (start, end) = slot.to_utc().unwrap();
        assert_eq!(slot.duration_minutes(), 60, "one hour on the wall clock");
        assert_eq!(elapsed_minutes(start, end), 120, "two hours really pass");
        assert_eq!(
            price(elapsed_minutes(start, end), &r, 0).map(|p| p.amount_cents),
            Some(4_000)
        );
        // A whole day that night is 25 hours; spring's is 23.
        let day = |d| LocalSlot {
            date: NaiveDate::from_ymd_opt(2026, 10, d).unwrap(),
            start_minute: 0,
            end_minute: 24 * 60,
        };
        let (a, b) = day(25).to_utc().unwrap();
        assert_eq!(elapsed_minutes(a, b), 25 * 60);
        let (a, b) = day(24).to_utc().unwrap();
        assert_eq!(elapsed_minutes(a, b), 24 * 60);
        let spring = LocalSlot {
            date: NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(),
            start_minute: 60,
            end_minute: 4 * 60,
        };
        let (a, b) = spring.to_utc().unwrap();
        assert_eq!(elapsed_minutes(a, b), 2 * 60);
        assert_eq!(elapsed_minutes(b, a), 0);
    }

    #[test]
    fn included_minutes_are_used_first() {
        let r = UnitRates {
            hour: Some(2_000),
            half_day: Some(5_500),
            day: Some(10_000),
        };
        assert_eq!(
            price(120, &r, 90),
            Some(Price {
                included_minutes: 90,
                billable_minutes: 30,
                amount_cents: 1_000
            })
        );
        assert_eq!(
            price(120, &r, 600),
            Some(Price {
                included_minutes: 120,
                billable_minutes: 0,
                amount_cents: 0
            })
        );
        assert_eq!(
            price(120, &r, -5),
            Some(Price {
                included_minutes: 0,
                billable_minutes: 120,
                amount_cents: 4_000
            })
        );
    }

    #[test]
    fn tiers_change_the_price() {
        let resident = UnitRates {
            hour: Some(1_400),
            half_day: Some(3_850),
            day: Some(7_000),
        };
        let outside = UnitRates {
            hour: Some(2_000),
            half_day: Some(5_500),
            day: Some(10_000),
        };
        assert!(
            price(120, &resident, 0).unwrap().amount_cents
                < price(120, &outside, 0).unwrap().amount_cents
        );
    }

    #[test]
    fn weekly_series_are_expanded() {
        let rec = Recurrence {
            interval_weeks: 1,
            weekdays: weekday_bit(Weekday::Tue) | weekday_bit(Weekday::Thu),
            end: SeriesEnd::Count(5),
        };
        let dates = expand(d(2026, 11, 26), &rec).unwrap();
        assert_eq!(
            dates,
            vec![
                d(2026, 11, 26),
                d(2026, 12, 1),
                d(2026, 12, 3),
                d(2026, 12, 8),
                d(2026, 12, 10)
            ]
        );
        let fortnightly = Recurrence {
            interval_weeks: 2,
            weekdays: weekday_bit(Weekday::Mon),
            end: SeriesEnd::Until(d(2026, 12, 31)),
        };
        assert_eq!(
            expand(d(2026, 11, 23), &fortnightly).unwrap(),
            vec![d(2026, 11, 23), d(2026, 12, 7), d(2026, 12, 21)]
        );
    }

    #[test]
    fn series_keep_their_local_time_across_the_clock_change() {
        let rec = Recurrence {
            interval_weeks: 1,
            weekdays: weekday_bit(Weekday::Thu),
            end: SeriesEnd::Count(3),
        };
        let first = slot(d(2026, 10, 15), "09:00", "10:00");
        let utc_hours: Vec<u32> = expand(first.date, &rec)
            .unwrap()
            .into_iter()
            .map(|date| first.on(date).to_utc().unwrap().0.hour())
            .collect();
        // 09:00 in Paris: 07:00 UTC in summer time, 08:00 UTC after 25 October.
        assert_eq!(utc_hours, vec![7, 7, 8]);
    }

    #[test]
    fn bad_series_are_refused() {
        let count = |n| Recurrence {
            interval_weeks: 1,
            weekdays: 0b1,
            end: SeriesEnd::Count(n),
        };
        assert_eq!(
            expand(d(2026, 11, 23), &count(10_000)),
            Err(SeriesError::TooMany {
                max: MAX_OCCURRENCES
            })
        );
        let years = Recurrence {
            interval_weeks: 1,
            weekdays: 0x7f,
            end: SeriesEnd::Until(d(2036, 1, 1)),
        };
        assert_eq!(
            expand(d(2026, 11, 23), &years),
            Err(SeriesError::TooMany {
                max: MAX_OCCURRENCES
            })
        );
        assert_eq!(
            expand(
                d(2026, 11, 23),
                &Recurrence {
                    weekdays: 0,
                    ..count(3)
                }
            ),
            Err(SeriesError::NoWeekday)
        );
        assert_eq!(
            expand(
                d(2026, 11, 23),
                &Recurrence {
                    interval_weeks: 0,
                    ..count(3)
                }
            ),
            Err(SeriesError::BadInterval)
        );
        let backwards = Recurrence {
            interval_weeks: 1,
            weekdays: 1,
            end: SeriesEnd::Until(d(2026, 1, 1)),
        };
        assert_eq!(
            expand(d(2026, 11, 23), &backwards),
            Err(SeriesError::EndsBeforeStart)
        );
        assert_eq!(
            expand(d(2026, 11, 23), &count(104)).map(|v| v.len()),
            Ok(104)
        );
    }

    #[test]
    fn a_day_is_cut_into_segments() {
        let open = [(8 * 60, 12 * 60), (14 * 60, 20 * 60)];
        let busy = [
            Busy {
                start: 9 * 60,
                end: 10 * 60,
                kind: SegmentKind::Taken,
                key: Some(1),
            },
            Busy {
                start: 15 * 60,
                end: 16 * 60,
                kind: SegmentKind::Blocked,
                key: None,
            },
            // Overlapping the block: the block wins where they meet.
            Busy {
                start: 15 * 60 + 30,
                end: 17 * 60,
                kind: SegmentKind::Taken,
                key: Some(2),
            },
        ];
        let segs = day_segments(7 * 60, 21 * 60, &open, &busy);
        let summary: Vec<(u32, u32, SegmentKind)> = segs
            .iter()
            .map(|s| (s.start / 60, s.end / 60, s.kind))
            .collect();
        use SegmentKind::*;
        assert_eq!(
            summary,
            vec![
                (7, 8, Closed),
                (8, 9, Free),
                (9, 10, Taken),
                (10, 12, Free),
                (12, 14, Closed),
                (14, 15, Free),
                (15, 16, Blocked),
                (16, 17, Taken),
                (17, 20, Free),
                (20, 21, Closed)
            ]
        );
        assert_eq!(
            segs.iter().find(|s| s.kind == Taken).and_then(|s| s.key),
            Some(1)
        );
        // Busy stretches beyond the window are clipped.
        let late = day_segments(
            7 * 60,
            21 * 60,
            &[(0, DAY_MINUTES)],
            &[Busy {
                start: -60,
                end: 8 * 60,
                kind: Taken,
                key: None,
            }],
        );
        assert_eq!(
            late.first().map(|s| (s.start, s.end, s.kind)),
            Some((7 * 60, 8 * 60, Taken))
        );
    }
}
