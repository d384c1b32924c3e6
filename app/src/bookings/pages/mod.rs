//! The booking pages: search and book, the calendar, my bookings, one booking, the door
//! display, and the managers' pages (approvals, blocks, utilisation, rules).

mod book;
mod calendar;
mod door;
mod feeds;
mod manage;
mod my_bookings;
mod search;
mod series;
mod slot_preview;

pub use book::NewBookingPage;
pub use calendar::CalendarPage;
pub use door::DoorPage;
pub use feeds::{Feeds, SpaceBookingLinks};
pub use manage::{ManageBookingsPage, SpaceRulesPage};
pub use my_bookings::{BookingPage, MyBookingsPage};
pub use search::SearchPage;

use super::model::{BookingStatus, Quote, format_minute};
use crate::format;
use crate::i18n::{Locale, td_string};
use crate::spaces::model::Equipment;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Equipment people search for; the rest (wifi, shelving…) is not a reason to pick a room.
const SEARCHABLE: [Equipment; 7] = [
    Equipment::Projector,
    Equipment::Screen,
    Equipment::Videoconference,
    Equipment::Whiteboard,
    Equipment::SoundSystem,
    Equipment::Microphones,
    Equipment::StepFreeAccess,
];

fn query(name: &'static str) -> Signal<String> {
    let q = use_query_map();
    Signal::derive(move || q.with(|q| q.get(name).unwrap_or_default()))
}

fn query_list(name: &'static str) -> Signal<Vec<String>> {
    let q = use_query_map();
    Signal::derive(move || q.with(|q| q.get_all(name).unwrap_or_default()))
}

fn slot_text(date: NaiveDate, start: u32, end: u32, locale: Locale) -> String {
    td_string!(
        locale,
        bookings.slot,
        date = format::long_date(date, locale),
        start = format_minute(start),
        end = format_minute(end)
    )
    .to_string()
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(chrono::Duration::days(days))
        .unwrap_or(date)
}

/// "40,00 € HT, TVA 20 %" or "Inclus dans vos heures".
pub(crate) fn quote_text(q: &Quote, locale: Locale) -> String {
    let mut text = if q.amount_cents == 0 {
        td_string!(locale, bookings.price_included).to_string()
    } else {
        td_string!(
            locale,
            bookings.price,
            amount = format::money(q.amount_cents, locale),
            vat = format::percent_bp(q.vat_rate_bp, locale)
        )
        .to_string()
    };
    if q.included_minutes > 0 && q.amount_cents > 0 {
        text.push_str(" · ");
        text.push_str(
            &td_string!(
                locale,
                bookings.of_which_included,
                time = format::duration(q.included_minutes, locale)
            )
            .to_string(),
        );
    }
    text
}

fn status_label(status: BookingStatus, locale: Locale) -> String {
    match status {
        BookingStatus::Pending => td_string!(locale, bookings.status.pending),
        BookingStatus::Confirmed => td_string!(locale, bookings.status.confirmed),
        BookingStatus::Cancelled => td_string!(locale, bookings.status.cancelled),
        BookingStatus::Refused => td_string!(locale, bookings.status.refused),
    }
    .to_string()
}

fn booking_link(space: i32, date: NaiveDate, start: u32, end: u32, attendees: &str) -> String {
    format!(
        "/reserver/nouvelle?space={space}&date={date}&start={}&end={}&attendees={}",
        format_minute(start),
        format_minute(end),
        percent_encoding::utf8_percent_encode(attendees, percent_encoding::NON_ALPHANUMERIC)
    )
}
