//! Event-rental types shared with the browser: statuses, kinds, layouts, extras.
use serde::{Deserialize, Serialize};

/// Where an event stands in the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Asked for by an organiser; nothing sent yet.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "request"))]
    Request,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "quoted"))]
    Quoted,
    /// Held until an expiry date, ranked among the other options on the same slots.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "option"))]
    Option,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "confirmed"))]
    Confirmed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "done"))]
    Done,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "closed"))]
    Closed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "declined"))]
    Declined,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "lapsed"))]
    Lapsed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

impl EventStatus {
    /// The pipeline's columns, in order.
    pub const ALL: [EventStatus; 9] = [
        EventStatus::Request,
        EventStatus::Quoted,
        EventStatus::Option,
        EventStatus::Confirmed,
        EventStatus::Done,
        EventStatus::Closed,
        EventStatus::Declined,
        EventStatus::Lapsed,
        EventStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Request => "request",
            EventStatus::Quoted => "quoted",
            EventStatus::Option => "option",
            EventStatus::Confirmed => "confirmed",
            EventStatus::Done => "done",
            EventStatus::Closed => "closed",
            EventStatus::Declined => "declined",
            EventStatus::Lapsed => "lapsed",
            EventStatus::Cancelled => "cancelled",
        }
    }

    /// Still in play: not declined, lapsed, cancelled or closed.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            EventStatus::Declined
                | EventStatus::Lapsed
                | EventStatus::Cancelled
                | EventStatus::Closed
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "conference"))]
    Conference,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "assembly"))]
    GeneralAssembly,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "fair"))]
    Fair,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "seminar"))]
    Seminar,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "festive"))]
    Festive,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "other"))]
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Conference,
        EventKind::GeneralAssembly,
        EventKind::Fair,
        EventKind::Seminar,
        EventKind::Festive,
        EventKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Conference => "conference",
            EventKind::GeneralAssembly => "assembly",
            EventKind::Fair => "fair",
            EventKind::Seminar => "seminar",
            EventKind::Festive => "festive",
            EventKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

/// How a space is set out; each gives the space a different capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "theatre"))]
    Theatre,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "classroom"))]
    Classroom,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "banquet"))]
    Banquet,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cabaret"))]
    Cabaret,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "standing"))]
    Standing,
}

impl Layout {
    pub const ALL: [Layout; 5] = [
        Layout::Theatre,
        Layout::Classroom,
        Layout::Banquet,
        Layout::Cabaret,
        Layout::Standing,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Layout::Theatre => "theatre",
            Layout::Classroom => "classroom",
            Layout::Banquet => "banquet",
            Layout::Cabaret => "cabaret",
            Layout::Standing => "standing",
        }
    }

    pub fn from_code(code: &str) -> Option<Layout> {
        Self::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    /// Floor area per person, in tenths of a square metre (usual planning densities).
    fn tenths_of_m2_per_person(self) -> u32 {
        match self {
            Layout::Theatre => 10,
            Layout::Classroom => 20,
            Layout::Banquet => 15,
            Layout::Cabaret => 20,
            Layout::Standing => 8,
        }
    }

    /// How many people a space holds set out this way: its area at this layout's density,
    /// never more than the space's own (safety) capacity.
    pub fn capacity(self, area_m2: u32, space_capacity: u32) -> u32 {
        (area_m2 * 10 / self.tenths_of_m2_per_person()).min(space_capacity)
    }
}

/// What an organiser may ask for besides the rooms. Priced per day of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Extra {
    Sound,
    Projector,
    Stage,
    TablesAndChairs,
}

impl Extra {
    pub const ALL: [Extra; 4] = [
        Extra::Sound,
        Extra::Projector,
        Extra::Stage,
        Extra::TablesAndChairs,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Extra::Sound => "sound",
            Extra::Projector => "projector",
            Extra::Stage => "stage",
            Extra::TablesAndChairs => "tables_chairs",
        }
    }

    pub fn from_code(code: &str) -> Option<Extra> {
        Self::ALL.into_iter().find(|e| e.code() == code.trim())
    }

    /// "sound,stage" → the extras, unknown codes left out.
    pub fn parse_list(codes: &str) -> Vec<Extra> {
        codes.split(',').filter_map(Extra::from_code).collect()
    }

    pub fn list_codes(extras: &[Extra]) -> String {
        extras
            .iter()
            .map(|e| e.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Some(k));
        }
        for l in Layout::ALL {
            assert_eq!(Layout::from_code(l.code()), Some(l));
        }
        for e in Extra::ALL {
            assert_eq!(Extra::from_code(e.code()), Some(e));
        }
        assert_eq!(
            Extra::parse_list("sound,nope,stage"),
            vec![Extra::Sound, Extra::Stage]
        );
    }

    #[test]
    fn layouts_follow_the_area_within_the_safety_capacity() {
        // The whole hall: 900 m², 800 people at most.
        assert_eq!(Layout::Theatre.capacity(900, 800), 800);
        assert_eq!(Layout::Classroom.capacity(900, 800), 450);
        assert_eq!(Layout::Banquet.capacity(900, 800), 600);
        assert_eq!(Layout::Standing.capacity(900, 800), 800);
        // A 20 m² room for 10.
        assert_eq!(Layout::Theatre.capacity(20, 10), 10);
        assert_eq!(Layout::Classroom.capacity(20, 10), 10);
        assert_eq!(Layout::Cabaret.capacity(20, 12), 10);
    }
}

/// Why an event form was refused, naming its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventFormError {
    NameMissing,
    NameTooLong,
    KindUnknown,
    DateMalformed(&'static str),
    TimeMalformed(&'static str),
    /// The last day comes before the first, or the event runs longer than two weeks.
    DatesOutOfOrder,
    TooLong,
    /// The end comes before the start, or the event is shorter than an hour.
    TimesOutOfOrder,
    AttendanceMalformed,
    HoursMalformed(&'static str),
    SpaceUnknown,
    LayoutUnknown,
    NoSpaces,
    ExtraUnknown,
    CoversMalformed,
    TextTooLong(&'static str),
    /// Not at least a day ahead.
    TooSoon,
    /// A control character in a text field (see [`crate::input`]).
    Text(&'static str, crate::input::TextError),
}

impl EventFormError {
    pub fn field(&self) -> &'static str {
        match self {
            EventFormError::NameMissing | EventFormError::NameTooLong => "name",
            EventFormError::KindUnknown => "kind",
            EventFormError::DateMalformed(f)
            | EventFormError::TimeMalformed(f)
            | EventFormError::HoursMalformed(f)
            | EventFormError::TextTooLong(f)
            | EventFormError::Text(f, _) => f,
            EventFormError::DatesOutOfOrder | EventFormError::TooLong | EventFormError::TooSoon => {
                "last_date"
            }
            EventFormError::TimesOutOfOrder => "end",
            EventFormError::AttendanceMalformed => "attendance",
            EventFormError::SpaceUnknown | EventFormError::NoSpaces => "spaces",
            EventFormError::LayoutUnknown => "layouts",
            EventFormError::ExtraUnknown => "extras",
            EventFormError::CoversMalformed => "catering_covers",
        }
    }
}

/// The longest event the form takes, in days.
pub const MAX_EVENT_DAYS: i64 = 14;
/// Set-up or teardown: up to two days.
pub const MAX_SETUP_HOURS: u32 = 48;

/// An event request once its form is read (times are still local: the service places them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRequest {
    pub name: String,
    pub kind: EventKind,
    pub first_date: chrono::NaiveDate,
    pub last_date: chrono::NaiveDate,
    pub start_minute: u32,
    pub end_minute: u32,
    pub attendance: u32,
    /// Empty with `suggest`: the managers propose spaces.
    pub spaces: Vec<(i32, Layout)>,
    pub suggest: bool,
    pub extras: Vec<Extra>,
    pub catering: String,
    pub catering_covers: u32,
    pub setup_minutes: u32,
    pub teardown_minutes: u32,
    pub contact_phone: String,
    pub notes: String,
}

/// The request form, as the browser sends it. `spaces` and `layouts` pair up: "12:theatre".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRequestForm {
    pub name: String,
    pub kind: String,
    pub first_date: String,
    pub last_date: String,
    pub start: String,
    pub end: String,
    pub attendance: String,
    /// "space_id:layout" pairs, comma-separated, or "suggest".
    pub spaces: String,
    pub extras: String,
    pub catering: String,
    pub catering_covers: String,
    pub setup_hours: String,
    pub teardown_hours: String,
    pub contact_phone: String,
    pub notes: String,
}

fn bounded_text(
    raw: &str,
    max: usize,
    field: &'static str,
    multiline: bool,
) -> Result<String, EventFormError> {
    use crate::input::TextError;
    crate::input::text(raw, max, multiline).map_err(|e| match e {
        TextError::ControlCharacter => EventFormError::Text(field, e),
        TextError::Missing | TextError::TooLong { .. } => EventFormError::TextTooLong(field),
    })
}

fn whole_number(raw: &str, max: u32) -> Option<u32> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(0);
    }
    t.parse::<u32>().ok().filter(|n| *n <= max)
}

/// "12:theatre,14:banquet" → (space id, layout) pairs.
pub fn parse_space_choices(raw: &str) -> Result<Vec<(i32, Layout)>, EventFormError> {
    let mut out: Vec<(i32, Layout)> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (id, layout) = part.split_once(':').ok_or(EventFormError::SpaceUnknown)?;
        let id = id
            .trim()
            .parse::<i32>()
            .map_err(|_| EventFormError::SpaceUnknown)?;
        let layout = Layout::from_code(layout).ok_or(EventFormError::LayoutUnknown)?;
        if !out.iter().any(|(s, _)| *s == id) {
            out.push((id, layout));
        }
    }
    Ok(out)
}

impl EventRequestForm {
    /// Reads the form. `today` is the hub's date: an event must be at least a day ahead.
    pub fn parse(&self, today: chrono::NaiveDate) -> Result<EventRequest, EventFormError> {
        use crate::bookings::model::{FormError, parse_date, parse_time};
        let name = crate::input::line(&self.name, 200).map_err(|e| match e {
            crate::input::TextError::ControlCharacter => EventFormError::Text("name", e),
            _ => EventFormError::NameTooLong,
        })?;
        if name.is_empty() {
            return Err(EventFormError::NameMissing);
        }
        let kind = EventKind::from_code(&self.kind).ok_or(EventFormError::KindUnknown)?;
        let date = |raw: &str, field| {
            parse_date(raw, field).map_err(|_| EventFormError::DateMalformed(field))
        };
        let first_date = date(&self.first_date, "first_date")?;
        let last_date = if self.last_date.trim().is_empty() {
            first_date
        } else {
            date(&self.last_date, "last_date")?
        };
        if last_date < first_date {
            return Err(EventFormError::DatesOutOfOrder);
        }
        if (last_date - first_date).num_days() >= MAX_EVENT_DAYS {
            return Err(EventFormError::TooLong);
        }
        if first_date <= today {
            return Err(EventFormError::TooSoon);
        }
        let time = |raw: &str, field| {
            parse_time(raw, field).map_err(|e| match e {
                FormError::TimeMalformed(f) => EventFormError::TimeMalformed(f),
                _ => EventFormError::TimeMalformed(field),
            })
        };
        let start_minute = time(&self.start, "start")?;
        let end_minute = time(&self.end, "end")?;
        if end_minute < start_minute + 60 {
            return Err(EventFormError::TimesOutOfOrder);
        }
        let attendance = self
            .attendance
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=5000).contains(n))
            .ok_or(EventFormError::AttendanceMalformed)?;
        let suggest = self.spaces.trim() == "suggest";
        let spaces = if suggest {
            Vec::new()
        } else {
            parse_space_choices(&self.spaces)?
        };
        if spaces.is_empty() && !suggest {
            return Err(EventFormError::NoSpaces);
        }
        let mut extras = Vec::new();
        for code in self
            .extras
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let extra = Extra::from_code(code).ok_or(EventFormError::ExtraUnknown)?;
            if !extras.contains(&extra) {
                extras.push(extra);
            }
        }
        let hours = |raw: &str, field| {
            whole_number(raw, MAX_SETUP_HOURS)
                .map(|h| h * 60)
                .ok_or(EventFormError::HoursMalformed(field))
        };
        Ok(EventRequest {
            name,
            kind,
            first_date,
            last_date,
            start_minute,
            end_minute,
            attendance,
            spaces,
            suggest,
            extras,
            catering: bounded_text(&self.catering, 1000, "catering", true)?,
            catering_covers: whole_number(&self.catering_covers, 5000)
                .ok_or(EventFormError::CoversMalformed)?,
            setup_minutes: hours(&self.setup_hours, "setup_hours")?,
            teardown_minutes: hours(&self.teardown_hours, "teardown_hours")?,
            contact_phone: bounded_text(&self.contact_phone, 40, "contact_phone", false)?,
            notes: bounded_text(&self.notes, 2000, "notes", true)?,
        })
    }
}

/// Why a quote form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteFormError {
    Description,
    Quantity,
    Amount,
    Vat,
    Discount,
    /// Missing while there is a discount, or too long.
    Reason,
    ValidUntil,
    /// A control character in a text field (see [`crate::input`]).
    Text(&'static str, crate::input::TextError),
}

impl QuoteFormError {
    pub fn field(self) -> &'static str {
        match self {
            QuoteFormError::Description => "description",
            QuoteFormError::Quantity => "quantity",
            QuoteFormError::Amount => "unit_price",
            QuoteFormError::Vat => "vat",
            QuoteFormError::Discount => "discount",
            QuoteFormError::Reason => "reason",
            QuoteFormError::ValidUntil => "valid_until",
            QuoteFormError::Text(f, _) => f,
        }
    }
}

/// One line of a quote as the managers' form reads: euros excluding VAT, VAT in percent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLineInput {
    pub description: String,
    /// From 1 to 1,000.
    pub quantity: i64,
    pub unit: crate::input::Money,
    pub vat: crate::input::Percent,
}

impl QuoteLineInput {
    pub fn parse(
        description: &str,
        quantity: &str,
        unit_price: &str,
        vat: &str,
    ) -> Result<QuoteLineInput, QuoteFormError> {
        use crate::input::{Money, Percent, TextError};
        let description = crate::input::line(description, 300).map_err(|e| match e {
            TextError::ControlCharacter => QuoteFormError::Text("description", e),
            _ => QuoteFormError::Description,
        })?;
        if description.is_empty() {
            return Err(QuoteFormError::Description);
        }
        let quantity = quantity
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|q| (1..=1000).contains(q))
            .ok_or(QuoteFormError::Quantity)?;
        Ok(QuoteLineInput {
            description,
            quantity,
            unit: Money::parse(unit_price).ok_or(QuoteFormError::Amount)?,
            vat: Percent::parse(vat, 10_000).ok_or(QuoteFormError::Vat)?,
        })
    }
}

/// The draft quote's discount (with its reason) and how long it stays valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteTermsInput {
    pub discount: crate::input::Percent,
    pub reason: String,
    pub valid_until: chrono::NaiveDate,
}

impl QuoteTermsInput {
    /// `today` is the hub's date: a quote valid until yesterday is refused.
    pub fn parse(
        discount: &str,
        reason: &str,
        valid_until: &str,
        today: chrono::NaiveDate,
    ) -> Result<QuoteTermsInput, QuoteFormError> {
        use crate::input::{Percent, TextError};
        let discount = if discount.trim().is_empty() {
            Percent::ZERO
        } else {
            Percent::parse(discount, 10_000).ok_or(QuoteFormError::Discount)?
        };
        let reason = crate::input::line(reason, 200).map_err(|e| match e {
            TextError::ControlCharacter => QuoteFormError::Text("reason", e),
            _ => QuoteFormError::Reason,
        })?;
        if discount.bp() > 0 && reason.is_empty() {
            return Err(QuoteFormError::Reason);
        }
        let valid_until = crate::bookings::model::parse_date(valid_until, "valid_until")
            .ok()
            .filter(|d| *d >= today)
            .ok_or(QuoteFormError::ValidUntil)?;
        Ok(QuoteTermsInput {
            discount,
            reason,
            valid_until,
        })
    }
}

#[cfg(test)]
mod quote_form_tests {
    use super::*;
    use crate::input::TextError;
    use chrono::NaiveDate;

    #[test]
    fn a_quote_line_reads_its_amounts_once_through_the_money_type() {
        let line = QuoteLineInput::parse(" Location  salle ", "2", "1 200,50", "5,5").unwrap();
        assert_eq!(line.description, "Location salle");
        assert_eq!(line.quantity, 2);
        assert_eq!(line.unit.cents(), 120_050);
        assert_eq!(line.vat.bp(), 550);
        let err = |d: &str, q: &str, u: &str, v: &str| QuoteLineInput::parse(d, q, u, v).err();
        assert_eq!(err("x", "1", "0.-5", "20"), Some(QuoteFormError::Amount));
        assert_eq!(err("x", "1", "-5", "20"), Some(QuoteFormError::Amount));
        assert_eq!(err("x", "1", "1,234", "20"), Some(QuoteFormError::Amount));
        assert_eq!(err("x", "0", "5", "20"), Some(QuoteFormError::Quantity));
        assert_eq!(err("x", "1001", "5", "20"), Some(QuoteFormError::Quantity));
        assert_eq!(err("x", "1", "5", "100,5"), Some(QuoteFormError::Vat));
        assert_eq!(err(" ", "1", "5", "20"), Some(QuoteFormError::Description));
        assert_eq!(
            err(&"x".repeat(301), "1", "5", "20"),
            Some(QuoteFormError::Description)
        );
        assert_eq!(
            err("a\0b", "1", "5", "20"),
            Some(QuoteFormError::Text(
                "description",
                TextError::ControlCharacter
            ))
        );
    }

    #[test]
    fn quote_terms_need_a_reason_for_a_discount_and_a_date_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let terms = QuoteTermsInput::parse("10", " Adhérent ", "2026-12-31", today).unwrap();
        assert_eq!(terms.discount.bp(), 1000);
        assert_eq!(terms.reason, "Adhérent");
        assert_eq!(
            terms.valid_until,
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        let none = QuoteTermsInput::parse("", "", "2026-12-01", today).unwrap();
        assert_eq!(none.discount.bp(), 0);
        let err = |d: &str, r: &str, v: &str| QuoteTermsInput::parse(d, r, v, today).err();
        assert_eq!(err("10", "", "2026-12-31"), Some(QuoteFormError::Reason));
        assert_eq!(
            err("101", "x", "2026-12-31"),
            Some(QuoteFormError::Discount)
        );
        assert_eq!(
            err("0.-5", "x", "2026-12-31"),
            Some(QuoteFormError::Discount)
        );
        assert_eq!(err("", "", "2026-11-30"), Some(QuoteFormError::ValidUntil));
        assert_eq!(err("", "", "2026-02-30"), Some(QuoteFormError::ValidUntil));
        assert_eq!(
            err("", "x\u{7f}", "2026-12-31"),
            Some(QuoteFormError::Text("reason", TextError::ControlCharacter))
        );
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;
    use chrono::NaiveDate;

    fn form() -> EventRequestForm {
        EventRequestForm {
            name: "Rencontres de l'ESS".into(),
            kind: "conference".into(),
            first_date: "2026-12-17".into(),
            last_date: "".into(),
            start: "09:00".into(),
            end: "18:00".into(),
            attendance: "300".into(),
            spaces: "1:theatre".into(),
            extras: "sound,projector".into(),
            setup_hours: "15".into(),
            teardown_hours: "3".into(),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn a_good_request_is_read() {
        let r = form().parse(today()).unwrap();
        assert_eq!(r.last_date, r.first_date);
        assert_eq!((r.start_minute, r.end_minute), (540, 1080));
        assert_eq!(r.spaces, vec![(1, Layout::Theatre)]);
        assert_eq!(r.extras, vec![Extra::Sound, Extra::Projector]);
        assert_eq!((r.setup_minutes, r.teardown_minutes), (900, 180));
        let suggest = EventRequestForm {
            spaces: "suggest".into(),
            ..form()
        };
        assert!(suggest.parse(today()).unwrap().suggest);
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(EventRequestForm, &str)> = vec![
            (
                EventRequestForm {
                    name: " ".into(),
                    ..form()
                },
                "name",
            ),
            (
                EventRequestForm {
                    kind: "rave".into(),
                    ..form()
                },
                "kind",
            ),
            (
                EventRequestForm {
                    first_date: "17/12".into(),
                    ..form()
                },
                "first_date",
            ),
            (
                EventRequestForm {
                    last_date: "2026-12-16".into(),
                    ..form()
                },
                "last_date",
            ),
            (
                EventRequestForm {
                    last_date: "2027-01-30".into(),
                    ..form()
                },
                "last_date",
            ),
            (
                EventRequestForm {
                    first_date: "2026-11-22".into(),
                    ..form()
                },
                "last_date",
            ),
            (
                EventRequestForm {
                    end: "09:30".into(),
                    ..form()
                },
                "end",
            ),
            (
                EventRequestForm {
                    start: "9h".into(),
                    ..form()
                },
                "start",
            ),
            (
                EventRequestForm {
                    attendance: "0".into(),
                    ..form()
                },
                "attendance",
            ),
            (
                EventRequestForm {
                    spaces: "".into(),
                    ..form()
                },
                "spaces",
            ),
            (
                EventRequestForm {
                    spaces: "x:theatre".into(),
                    ..form()
                },
                "spaces",
            ),
            (
                EventRequestForm {
                    spaces: "1:disco".into(),
                    ..form()
                },
                "layouts",
            ),
            (
                EventRequestForm {
                    extras: "laser".into(),
                    ..form()
                },
                "extras",
            ),
            (
                EventRequestForm {
                    setup_hours: "49".into(),
                    ..form()
                },
                "setup_hours",
            ),
            (
                EventRequestForm {
                    catering_covers: "-3".into(),
                    ..form()
                },
                "catering_covers",
            ),
        ];
        for (f, field) in cases {
            let e = f.parse(today()).unwrap_err();
            assert_eq!(e.field(), field, "{e:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the pages show.

/// An event space on the request form, with its capacity in each layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSpaceOption {
    pub id: i32,
    pub name: String,
    pub area_m2: i32,
    pub part_of: Option<String>,
    pub capacities: Vec<(Layout, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSpaceView {
    pub space_id: i32,
    pub name: String,
    pub layout: Layout,
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLineView {
    pub id: i32,
    pub description: String,
    pub quantity: i64,
    pub unit_cents: i64,
    pub vat_bp: i32,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub vat_bp: i32,
    pub base_cents: i64,
    pub vat_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    pub version: i32,
    pub lines: Vec<QuoteLineView>,
    pub discount_bp: i32,
    pub discount_reason: String,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub excl_vat_cents: i64,
    pub vat: Vec<VatLine>,
    pub incl_vat_cents: i64,
    pub valid_until: chrono::NaiveDate,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub declined_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub kind: String,
    pub amount_cents: i64,
    pub due_on: chrono::NaiveDate,
    pub voided: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    /// Paris time.
    pub at: chrono::NaiveDateTime,
    pub what: String,
    pub by: Option<String>,
}

/// One line of the pipeline or of an organiser's portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSummary {
    pub id: i32,
    pub name: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub first_date: chrono::NaiveDate,
    pub last_date: chrono::NaiveDate,
    pub start_minute: u32,
    pub end_minute: u32,
    pub attendance: u32,
    pub organiser: String,
    pub spaces: Vec<String>,
    /// The latest sent quote's total including VAT.
    pub quoted_cents: Option<i64>,
    /// Payments due and not voided.
    pub due_cents: i64,
    pub option_rank: Option<u32>,
    /// Paris time.
    pub option_expires_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationView {
    pub notice_days: i64,
    pub percent: u32,
    pub fee_cents: i64,
}

/// Everything about one event, for its organiser or the managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetail {
    pub summary: EventSummary,
    pub organiser_email: String,
    pub organisation: Option<String>,
    pub tier: crate::organisations::model::Tier,
    pub setup_minutes: u32,
    pub teardown_minutes: u32,
    /// From the set-up to the end of the teardown, Paris time.
    pub held_from: chrono::NaiveDateTime,
    pub held_until: chrono::NaiveDateTime,
    pub extras: Vec<Extra>,
    pub catering: String,
    pub catering_covers: u32,
    pub contact_phone: String,
    pub notes: String,
    pub suggest_spaces: bool,
    pub spaces: Vec<EventSpaceView>,
    /// What the organiser was last sent.
    pub quote: Option<QuoteView>,
    /// The managers' draft, when one is open (managers only).
    pub draft: Option<QuoteView>,
    pub payments: Vec<PaymentView>,
    pub history: Vec<HistoryView>,
    pub is_manager: bool,
    pub is_organiser: bool,
    /// The organiser may accept or decline the quote now.
    pub can_answer: bool,
    /// What cancelling now would cost, when it may be cancelled.
    pub cancellation: Option<CancellationView>,
}

/// The managers' calendar: every event and option across the event spaces, one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCalendar {
    pub dates: Vec<chrono::NaiveDate>,
    pub rows: Vec<EventCalendarRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCalendarRow {
    pub space: String,
    /// Per date, the events on it.
    pub days: Vec<Vec<EventCalendarItem>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCalendarItem {
    pub event_id: i32,
    pub name: String,
    pub status: EventStatus,
    /// Local times on this date: set-up start, event start, event end, teardown end
    /// (minutes; the set-up or teardown may lie on another day).
    pub setup_from: Option<u32>,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub teardown_until: Option<u32>,
}
