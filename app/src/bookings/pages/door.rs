//! The screen by a room's door.
use crate::bookings::api::get_door_display;
use crate::bookings::model::format_minute;
use crate::components::Loaded;
use crate::format;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DoorPage() -> impl IntoView {
    let params = use_params_map();
    let code = params.with_untracked(|p| p.get("code").unwrap_or_default());
    let display = Resource::new(move || code.clone(), get_door_display);
    view! {
        <leptos_meta::Meta http_equiv="refresh" content="60"/>
        <Loaded resource=display then=move |d| view! { <Door d/> }/>
    }
}

#[component]
fn Door(d: crate::bookings::model::DoorDisplay) -> impl IntoView {
    let i18n = use_i18n();
    let busy = d.current.is_some() || d.blocked.is_some();
    let title = |b: &crate::bookings::model::DisplayBooking, locale: Locale| {
        b.title
            .clone()
            .unwrap_or_else(|| td_string!(locale, bookings.door.booked).to_string())
    };
    let current = d.current.clone();
    let next = d.next.clone();
    let blocked = d.blocked.clone();
    let today = d.today;
    view! {
        <leptos_meta::Title text=d.space_name.clone()/>
        <section class="door" class:busy=busy>
            <p class="door-clock">{format_minute(d.minute)}</p>
            <h1>{d.space_name.clone()}</h1>
            <p class="door-state">
                {move || if busy { t_string!(i18n, bookings.door.busy).to_string() } else { t_string!(i18n, bookings.door.free).to_string() }}
            </p>
            {blocked.map(|reason| view! { <p class="door-now">{reason}</p> })}
            {current.map(|b| {
                let b2 = b.clone();
                view! { <p class="door-now">{format!("{}–{}", format_minute(b.start), format_minute(b.end))} " · " {move || title(&b2, i18n.get_locale())}</p> }
            })}
            <h2>{t!(i18n, bookings.door.next)}</h2>
            {match next {
                Some(b) => {
                    let b2 = b.clone();
                    Either::Left(view! {
                        <p class="door-next">
                            {move || if b.date == today { String::new() } else { format!("{} · ", format::long_date(b.date, i18n.get_locale())) }}
                            {format!("{}–{}", format_minute(b.start), format_minute(b.end))} " · " {move || title(&b2, i18n.get_locale())}
                        </p>
                    })
                }
                None => Either::Right(view! { <p class="door-next">{t!(i18n, bookings.door.nothing)}</p> }),
            }}
        </section>
    }
}
