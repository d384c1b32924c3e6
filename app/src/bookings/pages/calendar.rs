//! The calendar of a space or of the whole hub, by day or by week.
use super::{add_days, booking_link, query};
use crate::bookings::api::get_calendar;
use crate::bookings::model::{Calendar, SegmentView, SlotKind, format_minute};
use crate::components::{Loaded, PageTitle};
use crate::format;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::tr;
use chrono::NaiveDate;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    let (view_kind, date, kind, page) = (query("vue"), query("date"), query("kind"), query("page"));
    // Read once, like the catalogue's filters (see `CataloguePage`).
    let asked = (
        view_kind.get_untracked(),
        date.get_untracked(),
        kind.get_untracked(),
        page.get_untracked(),
    );
    let calendar = Resource::new(
        move || asked.clone(),
        |(v, d, k, p)| get_calendar(v, d, k, p),
    );
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.calendar.title).to_string()/>
        <section>
            <h1>{t!(i18n, bookings.calendar.title)}</h1>
            <Legend/>
            <Loaded resource=calendar then=move |c| view! { <CalendarView c week=view_kind.get_untracked() == "semaine" kind=kind.get_untracked()/> }/>
        </section>
    }
}

#[component]
fn Legend() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="legend" aria-label=tr!(i18n, bookings.calendar.legend)>
            <li><span class="swatch free"></span>{t!(i18n, bookings.calendar.free)}</li>
            <li><span class="swatch taken"></span>{t!(i18n, bookings.calendar.taken)}</li>
            <li><span class="swatch visible"></span>{t!(i18n, bookings.calendar.yours)}</li>
            <li><span class="swatch blocked"></span>{t!(i18n, bookings.calendar.blocked)}</li>
            <li><span class="swatch closed"></span>{t!(i18n, bookings.calendar.closed)}</li>
            <li><span class="swatch past"></span>{t!(i18n, bookings.calendar.past)}</li>
        </ul>
    }
}

#[component]
fn CalendarView(c: Calendar, week: bool, kind: String) -> impl IntoView {
    let i18n = use_i18n();
    let first = c.dates.first().copied();
    let (from, to) = (c.from_minute, c.to_minute);
    let step = if week { 7 } else { 1 };
    let nav = move |offset: i64| {
        first
            .map(|d| {
                let target = add_days(d, offset * step);
                format!(
                    "?vue={}&date={target}&kind={}",
                    if week { "semaine" } else { "jour" },
                    kind
                )
            })
            .unwrap_or_default()
    };
    let (prev, next) = (nav(-1), nav(1));
    let switch = first
        .map(|d| format!("?vue={}&date={d}", if week { "jour" } else { "semaine" }))
        .unwrap_or_default();
    let heading = {
        let dates = c.dates.clone();
        move || {
            let locale = i18n.get_locale();
            match (dates.first(), dates.last(), week) {
                (Some(a), Some(b), true) => t_string!(
                    i18n,
                    bookings.calendar.week_of,
                    from = format::date(*a, locale),
                    to = format::date(*b, locale)
                )
                .to_string(),
                (Some(a), _, _) => format::long_date(*a, locale),
                _ => String::new(),
            }
        }
    };
    let hours: Vec<u32> = (from / 60..to / 60).collect();
    let shown = c.spaces.len();
    let columns = (to - from) / 15;
    view! {
        <nav class="calendar-nav" aria-label=tr!(i18n, bookings.calendar.navigation)>
            <a href=prev class="button">{t!(i18n, bookings.calendar.previous)}</a>
            <h2 aria-live="polite">{heading}</h2>
            <a href=next class="button">{t!(i18n, bookings.calendar.next)}</a>
            <a href=switch>{move || if week { t_string!(i18n, bookings.calendar.day_view).to_string() } else { t_string!(i18n, bookings.calendar.week_view).to_string() }}</a>
        </nav>
        <div class="calendar-wrap">
            <table class="calendar" class:week=week>
                <caption class="visually-hidden">{t!(i18n, bookings.calendar.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, bookings.fields.space)}</th>
                        {if week {
                            Either::Left(c.dates.iter().map(|d| {
                                let d = *d;
                                let href = format!("?vue=jour&date={d}");
                                view! { <th scope="col"><a href=href title=move || format::long_date(d, i18n.get_locale())>{move || format::short_date(d, i18n.get_locale())}</a></th> }
                            }).collect_view())
                        } else {
                            Either::Right(view! {
                                <th scope="col">
                                    <div class="hours" style=format!("grid-template-columns: repeat({}, 1fr)", hours.len())>
                                        {hours.iter().map(|h| view! { <span>{format!("{h:02}h")}</span> }).collect_view()}
                                    </div>
                                </th>
                            })
                        }}
                    </tr>
                </thead>
                <tbody>
                    {c.spaces
                        .into_iter()
                        .map(|s| {
                            let space_id = s.space.id;
                            let dates = c.dates.clone();
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/espaces/{space_id}")>{s.space.name.clone()}</a>
                                        <span class="muted">" · " {move || crate::spaces::pages::people(i18n.get_locale(), s.space.capacity)}</span>
                                    </th>
                                    {s.days
                                        .into_iter()
                                        .zip(dates)
                                        .map(|(segments, date)| view! { <td><Timeline segments date space_id from columns/></td> })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pages total=c.total_spaces shown/>
    }
}

/// Links to the other pages of a long list of spaces.
#[component]
fn Pages(total: usize, shown: usize) -> impl IntoView {
    let i18n = use_i18n();
    let page = query("page");
    let q = use_query_map();
    let link = move |p: usize| {
        let mut params: Vec<String> = q.with(|q| {
            ["vue", "date", "kind"]
                .iter()
                .filter_map(|k| q.get(k).map(|v| format!("{k}={v}")))
                .collect()
        });
        params.push(format!("page={p}"));
        format!("?{}", params.join("&"))
    };
    let current = move || page.get().parse::<usize>().unwrap_or(1).max(1);
    (total > shown).then(|| {
        view! {
            <p class="pages">
                {move || (current() > 1).then(|| view! { <a href=link(current() - 1)>{t!(i18n, bookings.calendar.previous_spaces)}</a> " " })}
                {move || (current() * 40 < total).then(|| view! { <a href=link(current() + 1)>{t!(i18n, bookings.calendar.next_spaces)}</a> })}
            </p>
        }
    })
}

/// One space's day as a strip of segments, each placed on a grid of quarter hours.
#[component]
fn Timeline(
    segments: Vec<SegmentView>,
    date: NaiveDate,
    space_id: i32,
    from: u32,
    columns: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="timeline" style=format!("grid-template-columns: repeat({columns}, 1fr)")>
            {segments
                .into_iter()
                .map(|seg| {
                    let style = format!("grid-column: {} / {}", (seg.start - from) / 15 + 1, (seg.end - from) / 15 + 1);
                    let (start, end) = (seg.start, seg.end);
                    let describe = {
                        let label = seg.label.clone();
                        move || {
                            let locale = i18n.get_locale();
                            let what = match seg.kind {
                                SlotKind::Free => t_string!(i18n, bookings.calendar.free).to_string(),
                                SlotKind::Closed => t_string!(i18n, bookings.calendar.closed).to_string(),
                                SlotKind::Blocked => t_string!(i18n, bookings.calendar.blocked).to_string(),
                                SlotKind::Taken => t_string!(i18n, bookings.calendar.taken).to_string(),
                                SlotKind::Visible => t_string!(i18n, bookings.calendar.yours).to_string(),
                                SlotKind::Past => t_string!(i18n, bookings.calendar.past).to_string(),
                            };
                            let mut text = format!("{what}, {}–{}", format_minute(start), format_minute(end));
                            if let Some(l) = &label {
                                text.push_str(&format!(" : {l}"));
                            }
                            let _ = locale;
                            text
                        }
                    };
                    match seg.kind {
                        SlotKind::Free => {
                            let href = booking_link(space_id, date, start, end.min(start + 60), "1");
                            EitherOf3::A(view! { <a class="seg free" style=style href=href title=describe.clone() aria-label=describe></a> })
                        }
                        SlotKind::Visible => {
                            let href = seg.booking_id.map(|id| format!("/reservations/{id}")).unwrap_or_default();
                            EitherOf3::B(view! { <a class="seg visible" style=style href=href title=describe.clone() aria-label=describe>{seg.label.clone()}</a> })
                        }
                        kind => {
                            let class = match kind {
                                SlotKind::Closed => "seg closed",
                                SlotKind::Blocked => "seg blocked",
                                SlotKind::Past => "seg past",
                                _ => "seg taken",
                            };
                            EitherOf3::C(view! { <span class=class style=style title=describe.clone() aria-label=describe role="img"></span> })
                        }
                    }
                })
                .collect_view()}
        </div>
    }
}
