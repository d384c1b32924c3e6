//! Booking types shared with the browser, and the parsing of booking forms.
use crate::input::{self, TextError};
use crate::spaces::model::{Equipment, SpaceKind};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// Waiting for a manager's approval; the slot is held meanwhile.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "pending"))]
    Pending,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "confirmed"))]
    Confirmed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "refused"))]
    Refused,
}

impl BookingStatus {
    /// Whether the booking holds its slot.
    pub fn is_active(self) -> bool {
        matches!(self, BookingStatus::Pending | BookingStatus::Confirmed)
    }
}

/// A slot as the user sees it: a date in Paris and two wall-clock minutes of that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalSlot {
    pub date: NaiveDate,
    pub start_minute: u32,
    /// May be 1440: the slot runs to midnight.
    pub end_minute: u32,
}

/// Which occurrences of a series a change or a cancellation applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    This,
    ThisAndFollowing,
    All,
}

impl Scope {
    pub fn from_code(code: &str) -> Option<Scope> {
        match code.trim() {
            "" | "this" => Some(Scope::This),
            "following" => Some(Scope::ThisAndFollowing),
            "all" => Some(Scope::All),
            _ => None,
        }
    }
}

/// Why a booking form was refused before any rule was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormError {
    DateMalformed(&'static str),
    TimeMalformed(&'static str),
    TitleMissing,
    TitleTooLong,
    AttendeesMalformed,
    EquipmentUnknown,
    WeekdayUnknown,
    IntervalMalformed,
    CountMalformed,
    SpaceUnknown,
    ScopeUnknown,
    ReasonMissing,
    /// A text field with a control character, or far too long (see [`crate::input`]).
    Text(&'static str, TextError),
}

impl FormError {
    pub fn field(self) -> &'static str {
        match self {
            FormError::DateMalformed(f) | FormError::TimeMalformed(f) => f,
            FormError::TitleMissing | FormError::TitleTooLong => "title",
            FormError::AttendeesMalformed => "attendees",
            FormError::EquipmentUnknown => "equipment",
            FormError::WeekdayUnknown => "weekdays",
            FormError::IntervalMalformed => "interval_weeks",
            FormError::CountMalformed => "count",
            FormError::SpaceUnknown => "space_id",
            FormError::ScopeUnknown => "scope",
            FormError::ReasonMissing => "reason",
            FormError::Text(f, _) => f,
        }
    }
}

/// "2026-11-26" (what `<input type="date">` sends).
pub fn parse_date(raw: &str, field: &'static str) -> Result<NaiveDate, FormError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2200).contains(&d.year()))
        .ok_or(FormError::DateMalformed(field))
}

/// "14:30" (what `<input type="time">` sends) as minutes after midnight; "24:00" is midnight
/// at the end of the day.
pub fn parse_time(raw: &str, field: &'static str) -> Result<u32, FormError> {
    let (h, m) = raw
        .trim()
        .split_once(':')
        .ok_or(FormError::TimeMalformed(field))?;
    let (h, m) = (h.parse::<u32>(), m.get(..2).unwrap_or(m).parse::<u32>());
    match (h, m) {
        (Ok(24), Ok(0)) => Ok(24 * 60),
        (Ok(h), Ok(m)) if h < 24 && m < 60 => Ok(h * 60 + m),
        _ => Err(FormError::TimeMalformed(field)),
    }
}

/// "14:30" from minutes after midnight.
pub fn format_minute(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

pub fn parse_slot(date: &str, start: &str, end: &str) -> Result<LocalSlot, FormError> {
    Ok(LocalSlot {
        date: parse_date(date, "date")?,
        start_minute: parse_time(start, "start")?,
        end_minute: parse_time(end, "end")?,
    })
}

pub const TITLE_MAX_CHARS: usize = 120;

/// A booking's title: what the organisation calls the meeting.
pub fn parse_title(raw: &str) -> Result<String, FormError> {
    // Generous before folding the spaces, exact after.
    let title = input::line(raw, 4 * TITLE_MAX_CHARS).map_err(|e| match e {
        TextError::ControlCharacter => FormError::Text("title", e),
        TextError::Missing | TextError::TooLong { .. } => FormError::TitleTooLong,
    })?;
    if title.is_empty() {
        return Err(FormError::TitleMissing);
    }
    if title.chars().count() > TITLE_MAX_CHARS {
        return Err(FormError::TitleTooLong);
    }
    Ok(title)
}

pub const REASON_MAX_CHARS: usize = 200;

/// Why a space is blocked (works, a private event): one line, required.
pub fn parse_reason(raw: &str) -> Result<String, FormError> {
    match input::line(raw, REASON_MAX_CHARS) {
        Ok(reason) if !reason.is_empty() => Ok(reason),
        Err(e @ TextError::ControlCharacter) => Err(FormError::Text("reason", e)),
        _ => Err(FormError::ReasonMissing),
    }
}

/// A manager's block of a space as its form reads: local start and end, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockForm {
    pub start: (NaiveDate, u32),
    pub end: (NaiveDate, u32),
    pub reason: String,
}

pub fn parse_block(
    start_date: &str,
    start_time: &str,
    end_date: &str,
    end_time: &str,
    reason: &str,
) -> Result<BlockForm, FormError> {
    Ok(BlockForm {
        start: (
            parse_date(start_date, "start_date")?,
            parse_time(start_time, "start_time")?,
        ),
        end: (
            parse_date(end_date, "end_date")?,
            parse_time(end_time, "end_time")?,
        ),
        reason: parse_reason(reason)?,
    })
}

/// A space's booking rules as the managers' form sends them, numbers still typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpaceRulesForm {
    pub min_minutes: String,
    pub max_minutes: String,
    pub buffer_minutes: String,
    pub min_notice_minutes: String,
    pub tenant_max_advance_days: String,
    pub manager_max_advance_days: String,
    pub cancel_deadline_hours: String,
    pub requires_approval: bool,
    pub uses_included_hours: bool,
    /// One line per weekday, Monday first; missing days are closed.
    pub hours: Vec<String>,
}

/// Why the rules form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesFormError {
    /// Not a whole number from 0 to `max`.
    Number {
        field: &'static str,
        max: u32,
    },
    /// The minimum is zero or above the maximum.
    Durations,
    Hours(HoursError),
}

impl RulesFormError {
    pub fn field(self) -> &'static str {
        match self {
            RulesFormError::Number { field, .. } => field,
            RulesFormError::Durations => "max_minutes",
            RulesFormError::Hours(_) => "hours",
        }
    }
}

#[cfg(feature = "ssr")]
impl SpaceRulesForm {
    pub fn parse(
        &self,
    ) -> Result<(super::rules::BookingRules, super::rules::OpeningHours), RulesFormError> {
        let number = |field: &'static str, raw: &str, max: u32| {
            raw.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or(RulesFormError::Number { field, max })
        };
        let rules = super::rules::BookingRules {
            min_minutes: number("min_minutes", &self.min_minutes, 24 * 60)?,
            max_minutes: number("max_minutes", &self.max_minutes, 24 * 60)?,
            buffer_minutes: number("buffer_minutes", &self.buffer_minutes, 240)?,
            min_notice_minutes: number(
                "min_notice_minutes",
                &self.min_notice_minutes,
                60 * 24 * 30,
            )?,
            tenant_max_advance_days: number(
                "tenant_max_advance_days",
                &self.tenant_max_advance_days,
                730,
            )?,
            manager_max_advance_days: number(
                "manager_max_advance_days",
                &self.manager_max_advance_days,
                1095,
            )?,
            cancel_deadline_hours: number(
                "cancel_deadline_hours",
                &self.cancel_deadline_hours,
                24 * 60,
            )?,
            requires_approval: self.requires_approval,
            uses_included_hours: self.uses_included_hours,
        };
        if rules.min_minutes == 0 || rules.min_minutes > rules.max_minutes {
            return Err(RulesFormError::Durations);
        }
        let mut opening = super::rules::OpeningHours::default();
        for (day, intervals) in opening.days.iter_mut().enumerate() {
            let raw = self.hours.get(day).map(String::as_str).unwrap_or_default();
            *intervals = parse_opening_day(raw, day).map_err(RulesFormError::Hours)?;
        }
        Ok((rules, opening))
    }
}

pub fn parse_attendees(raw: &str) -> Result<u32, FormError> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= 100_000)
        .ok_or(FormError::AttendeesMalformed)
}

/// Equipment codes as checkboxes send them ("projector", "videoconference"…).
pub fn parse_equipment(codes: &[String]) -> Result<Vec<Equipment>, FormError> {
    let mut out = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let item = Equipment::from_code(code).ok_or(FormError::EquipmentUnknown)?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

pub const WEEKDAY_CODES: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

/// Weekday checkboxes as a bit set (bit 0 = Monday).
pub fn parse_weekdays(codes: &[String]) -> Result<u8, FormError> {
    let mut bits = 0u8;
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let (_, day) = WEEKDAY_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .ok_or(FormError::WeekdayUnknown)?;
        bits |= 1 << day.num_days_from_monday();
    }
    Ok(bits)
}

/// How a free-slot segment of a calendar is shown to a given viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Free,
    Closed,
    Blocked,
    /// Another organisation's booking: only "taken".
    Taken,
    /// A booking of the viewer's organisation (or any booking, for a manager).
    Visible,
    /// Free time that has passed, or starts too soon to book: shown, never offered.
    Past,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentView {
    pub start: u32,
    pub end: u32,
    pub kind: SlotKind,
    /// The booking's title, for those allowed to see it.
    pub label: Option<String>,
    pub booking_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceLine {
    pub id: i32,
    pub name: String,
    pub kind: SpaceKind,
    pub capacity: i32,
    pub part_of: Option<String>,
}

/// One space's days in the calendar: a list of segments per day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceDays {
    pub space: SpaceLine,
    pub days: Vec<Vec<SegmentView>>,
}

/// A calendar of several days (one for the day view, seven for the week view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub dates: Vec<NaiveDate>,
    /// The window shown each day, in minutes.
    pub from_minute: u32,
    pub to_minute: u32,
    pub spaces: Vec<SpaceDays>,
    /// Total number of bookable spaces matching the filter (the page shows a slice).
    pub total_spaces: usize,
}

/// A price as the booking form and the search show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub amount_cents: i64,
    pub vat_rate_bp: i32,
    pub included_minutes: i64,
    pub billable_minutes: i64,
}

/// A space free for the whole of a searched slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeSpace {
    pub space: SpaceLine,
    pub area_m2: i32,
    pub equipment: Vec<Equipment>,
    pub quote: Quote,
    pub needs_approval: bool,
}

/// A booking as its viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingView {
    pub id: i32,
    pub space_id: i32,
    pub space_name: String,
    pub title: String,
    pub organisation: String,
    pub booked_by: String,
    pub slot: LocalSlot,
    pub attendees: u32,
    pub equipment: Vec<Equipment>,
    pub status: BookingStatus,
    pub series_id: Option<i32>,
    pub quote: Quote,
    pub cancellation_charged: bool,
    /// Whether cancelling now would still be charged.
    pub late_to_cancel: bool,
    pub can_change: bool,
    /// UTC start and end, RFC 3339, for calendar links.
    pub starts_at: String,
    pub ends_at: String,
}

/// The included hours and amounts of one month for an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSummary {
    pub month: NaiveDate,
    pub booked_minutes: i64,
    pub included_allowance_minutes: i64,
    pub included_used_minutes: i64,
    pub amount_cents: i64,
}

impl MonthSummary {
    pub fn included_remaining_minutes(&self) -> i64 {
        (self.included_allowance_minutes - self.included_used_minutes).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBookings {
    pub organisation: Option<String>,
    pub upcoming: Vec<BookingView>,
    pub past: Vec<BookingView>,
    pub cancelled: Vec<BookingView>,
    /// This month, and the months of the upcoming bookings (three at most).
    pub months: Vec<MonthSummary>,
    /// The referent sees every booking of the organisation.
    pub whole_organisation: bool,
}

/// One occurrence of a series being prepared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccurrencePreview {
    pub date: NaiveDate,
    /// Why it cannot be booked, in the user's language; None if it can.
    pub problem: Option<String>,
}

/// The current and next bookings of a room, for the screen by its door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayBooking {
    pub start: u32,
    pub end: u32,
    pub date: NaiveDate,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorDisplay {
    pub space_name: String,
    pub today: NaiveDate,
    pub minute: u32,
    pub current: Option<DisplayBooking>,
    pub next: Option<DisplayBooking>,
    pub blocked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtilisationRow {
    pub space: SpaceLine,
    pub booked_minutes: i64,
    pub open_minutes: i64,
}

impl UtilisationRow {
    /// Booked share of the open time, in per mille (no floats).
    pub fn per_mille(&self) -> i64 {
        if self.open_minutes == 0 {
            0
        } else {
            self.booked_minutes * 1000 / self.open_minutes
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utilisation {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub rows: Vec<UtilisationRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockView {
    pub id: i32,
    pub space_name: String,
    pub starts_at: String,
    pub slot: LocalSlot,
    pub reason: String,
}

/// The rules of a space as the manager's form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceRulesView {
    pub space: SpaceLine,
    pub min_minutes: u32,
    pub max_minutes: u32,
    pub buffer_minutes: u32,
    pub min_notice_minutes: u32,
    pub tenant_max_advance_days: u32,
    pub manager_max_advance_days: u32,
    pub cancel_deadline_hours: u32,
    pub requires_approval: bool,
    pub uses_included_hours: bool,
    /// Per weekday (Monday first), "08:00-12:00, 14:00-20:00".
    pub opening_hours: Vec<String>,
}

/// A calendar feed the user has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedView {
    pub id: i32,
    pub space: Option<SpaceLine>,
    /// The feed's path with its secret (shown once after creation or renewal).
    pub path: Option<String>,
    pub created_on: NaiveDate,
}

/// Why an opening-hours line was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursError {
    pub weekday: usize,
}

/// One weekday's opening hours as a manager types them: "08:00-12:00, 14:00-20:00", or
/// empty (or "fermé"/"closed") for a closed day. Intervals must be in order and apart.
pub fn parse_opening_day(raw: &str, weekday: usize) -> Result<Vec<(u32, u32)>, HoursError> {
    // A day has at most 96 quarter hours: anything longer than that many intervals is noise.
    let raw = input::text(raw, 96 * 12, false).map_err(|_| HoursError { weekday })?;
    let raw = raw.as_str();
    if raw.is_empty() || raw.eq_ignore_ascii_case("fermé") || raw.eq_ignore_ascii_case("closed") {
        return Ok(Vec::new());
    }
    let mut out: Vec<(u32, u32)> = Vec::new();
    for part in raw.split(',') {
        let (a, b) = part.trim().split_once('-').ok_or(HoursError { weekday })?;
        let (a, b) = (
            parse_time(a, "").map_err(|_| HoursError { weekday })?,
            parse_time(b, "").map_err(|_| HoursError { weekday })?,
        );
        let after_previous = out.last().is_none_or(|(_, end)| *end <= a);
        if a >= b || a % 15 != 0 || b % 15 != 0 || !after_previous {
            return Err(HoursError { weekday });
        }
        out.push((a, b));
    }
    Ok(out)
}

/// The same, written back for the form.
pub fn format_opening_day(intervals: &[(u32, u32)]) -> String {
    intervals
        .iter()
        .map(|(a, b)| format!("{}-{}", format_minute(*a), format_minute(*b)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_reasons_refuse_control_characters_and_keep_their_limits() {
        assert_eq!(
            parse_title("  Point   équipe "),
            Ok("Point équipe".to_owned())
        );
        assert_eq!(parse_title("   "), Err(FormError::TitleMissing));
        assert_eq!(
            parse_title("a\0b"),
            Err(FormError::Text("title", TextError::ControlCharacter))
        );
        assert_eq!(
            parse_title("a\nb"),
            Err(FormError::Text("title", TextError::ControlCharacter))
        );
        assert_eq!(parse_title(&"x".repeat(121)), Err(FormError::TitleTooLong));
        assert_eq!(
            parse_title(&"x".repeat(100_000)),
            Err(FormError::TitleTooLong)
        );
        assert_eq!(parse_reason(" Travaux "), Ok("Travaux".to_owned()));
        assert_eq!(parse_reason(""), Err(FormError::ReasonMissing));
        assert_eq!(
            parse_reason(&"x".repeat(201)),
            Err(FormError::ReasonMissing)
        );
        assert_eq!(
            parse_reason("x\u{1b}"),
            Err(FormError::Text("reason", TextError::ControlCharacter))
        );
    }

    #[test]
    fn a_block_form_reads_its_dates_times_and_reason() {
        let block = parse_block("2026-12-24", "08:00", "2026-12-26", "24:00", " Fermeture ");
        assert_eq!(
            block,
            Ok(BlockForm {
                start: (NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(), 480),
                end: (NaiveDate::from_ymd_opt(2026, 12, 26).unwrap(), 1440),
                reason: "Fermeture".to_owned(),
            })
        );
        assert_eq!(
            parse_block("2026-02-30", "08:00", "2026-03-01", "09:00", "x"),
            Err(FormError::DateMalformed("start_date"))
        );
        assert_eq!(
            parse_block("2026-02-28", "08:00", "2026-03-01", "25:00", "x"),
            Err(FormError::TimeMalformed("end_time"))
        );
        assert_eq!(
            parse_block("2026-02-28", "08:00", "2026-03-01", "09:00", ""),
            Err(FormError::ReasonMissing)
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_space_rules_form_reads_bounded_numbers_and_opening_hours() {
        let form = SpaceRulesForm {
            min_minutes: "30".into(),
            max_minutes: "480".into(),
            buffer_minutes: "15".into(),
            min_notice_minutes: "60".into(),
            tenant_max_advance_days: "90".into(),
            manager_max_advance_days: "365".into(),
            cancel_deadline_hours: "24".into(),
            requires_approval: true,
            uses_included_hours: false,
            hours: vec!["08:00-20:00".into(), "".into()],
        };
        let (rules, opening) = form.parse().unwrap();
        assert_eq!(rules.min_minutes, 30);
        assert_eq!(rules.max_minutes, 480);
        assert!(rules.requires_approval && !rules.uses_included_hours);
        assert_eq!(opening.days[0], vec![(480, 1200)]);
        assert!(opening.days[1..].iter().all(Vec::is_empty));

        let with = |f: fn(&mut SpaceRulesForm)| {
            let mut bad = form.clone();
            f(&mut bad);
            bad.parse().err()
        };
        assert_eq!(
            with(|f| f.buffer_minutes = "241".into()),
            Some(RulesFormError::Number {
                field: "buffer_minutes",
                max: 240
            })
        );
        assert_eq!(
            with(|f| f.min_notice_minutes = "-1".into()),
            Some(RulesFormError::Number {
                field: "min_notice_minutes",
                max: 60 * 24 * 30
            })
        );
        assert_eq!(
            with(|f| f.cancel_deadline_hours = "99999999999999999999".into()),
            Some(RulesFormError::Number {
                field: "cancel_deadline_hours",
                max: 24 * 60
            })
        );
        assert_eq!(
            with(|f| f.min_minutes = "0".into()),
            Some(RulesFormError::Durations)
        );
        assert_eq!(
            with(|f| f.min_minutes = "600".into()),
            Some(RulesFormError::Durations)
        );
        assert_eq!(
            with(|f| f.hours = vec!["".into(), "".into(), "9h-12h\0".into()]),
            Some(RulesFormError::Hours(HoursError { weekday: 2 }))
        );
    }

    #[test]
    fn opening_hours_are_typed_as_ranges() {
        assert_eq!(
            parse_opening_day("08:00-12:00, 14:00-20:00", 0),
            Ok(vec![(480, 720), (840, 1200)])
        );
        assert_eq!(parse_opening_day("  ", 3), Ok(vec![]));
        assert_eq!(parse_opening_day("Fermé", 3), Ok(vec![]));
        assert_eq!(parse_opening_day("07:00-24:00", 6), Ok(vec![(420, 1440)]));
        for bad in [
            "8-12",
            "12:00-08:00",
            "08:00-12:00, 11:00-13:00",
            "08:10-12:00",
            "matin",
        ] {
            assert_eq!(
                parse_opening_day(bad, 2),
                Err(HoursError { weekday: 2 }),
                "{bad}"
            );
        }
        assert_eq!(
            format_opening_day(&[(480, 720), (840, 1200)]),
            "08:00-12:00, 14:00-20:00"
        );
    }

    #[test]
    fn dates_and_times_are_parsed_strictly() {
        assert_eq!(
            parse_date("2026-11-26", "date"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
        );
        for bad in ["", "26/11/2026", "2026-02-30", "jeudi", "1890-01-01"] {
            assert_eq!(
                parse_date(bad, "date"),
                Err(FormError::DateMalformed("date")),
                "{bad}"
            );
        }
        assert_eq!(parse_time("14:30", "start"), Ok(870));
        assert_eq!(parse_time("24:00", "end"), Ok(1440));
        assert_eq!(parse_time("09:05:00", "start"), Ok(545));
        for bad in ["", "25:00", "14h30", "14:60", "24:15", "-1:00"] {
            assert_eq!(
                parse_time(bad, "start"),
                Err(FormError::TimeMalformed("start")),
                "{bad}"
            );
        }
        assert_eq!(format_minute(870), "14:30");
    }

    #[test]
    fn titles_attendees_and_equipment() {
        assert_eq!(
            parse_title("  Comité   de pilotage "),
            Ok("Comité de pilotage".to_owned())
        );
        assert_eq!(parse_title(" "), Err(FormError::TitleMissing));
        assert_eq!(parse_title(&"x".repeat(121)), Err(FormError::TitleTooLong));
        assert_eq!(parse_attendees("8"), Ok(8));
        assert_eq!(parse_attendees("huit"), Err(FormError::AttendeesMalformed));
        assert_eq!(
            parse_attendees("0"),
            Ok(0),
            "zero is refused by the rules, with its own message"
        );
        let codes = vec![
            "projector".to_owned(),
            "projector".to_owned(),
            String::new(),
        ];
        assert_eq!(parse_equipment(&codes), Ok(vec![Equipment::Projector]));
        assert_eq!(
            parse_equipment(&["jacuzzi".to_owned()]),
            Err(FormError::EquipmentUnknown)
        );
        assert_eq!(
            parse_weekdays(&["mon".to_owned(), "thu".to_owned()]),
            Ok(0b1001)
        );
        assert_eq!(
            parse_weekdays(&["lundi".to_owned()]),
            Err(FormError::WeekdayUnknown)
        );
    }

    #[test]
    fn utilisation_is_a_share_of_open_time() {
        let space = SpaceLine {
            id: 1,
            name: "Salle".into(),
            kind: SpaceKind::MeetingRoom,
            capacity: 10,
            part_of: None,
        };
        let row = UtilisationRow {
            space,
            booked_minutes: 90,
            open_minutes: 600,
        };
        assert_eq!(row.per_mille(), 150);
        assert_eq!(
            UtilisationRow {
                open_minutes: 0,
                ..row
            }
            .per_mille(),
            0
        );
    }
}
