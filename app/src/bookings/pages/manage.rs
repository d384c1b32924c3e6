//! The managers' pages: approvals, blocks, utilisation and a space's rules.
use super::{add_days, query, slot_text};
use crate::bookings::api::{
    CreateBlock, DecideBooking, DeleteBlock, UpdateSpaceRules, bookable_space_options,
    get_space_rules, get_utilisation, list_blocks, pending_bookings,
};
use crate::bookings::model::format_minute;
use crate::components::{
    ErrorPanel, Field, FormError, Loaded, Loading, PageTitle, Submit, action_error,
};
use crate::format;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::tr;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ManageBookingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideBooking>::new();
    let block = ServerAction::<CreateBlock>::new();
    let unblock = ServerAction::<DeleteBlock>::new();
    let pending = Resource::new(|| (), |_| pending_bookings());
    let blocks = Resource::new(|| (), |_| list_blocks());
    let spaces = Resource::new(|| (), |_| bookable_space_options());
    let (period, date) = (query("periode"), query("date"));
    let asked = (period.get_untracked(), date.get_untracked());
    let usage = Resource::new(move || asked.clone(), |(p, d)| get_utilisation(p, d));
    let decide_error = action_error(decide);
    let block_error = action_error(block);
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.manage.title).to_string()/>
        <section>
            <h1>{t!(i18n, bookings.manage.title)}</h1>
            <h2>{t!(i18n, bookings.manage.pending)}</h2>
            <FormError error=decide_error fields=&[]/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(items) if items.is_empty() => EitherOf3::A(view! { <p class="muted">{t!(i18n, bookings.manage.no_pending)}</p> }),
                        Ok(items) => EitherOf3::B(view! {
                            <ul class="bookings">
                                {items.into_iter().map(|b| {
                                    let slot = b.slot;
                                    let id = b.id.to_string();
                                    view! {
                                        <li class="booking pending">
                                            <p><strong>{move || slot_text(slot.date, slot.start_minute, slot.end_minute, i18n.get_locale())}</strong></p>
                                            <p>{b.title.clone()} " · " {b.space_name.clone()} " · " {b.organisation.clone()}</p>
                                            <ActionForm action=decide attr:class="inline-actions">
                                                <input type="hidden" name="id" value=id/>
                                                <button type="submit" name="decision" value="approve" class="button primary">{t!(i18n, bookings.manage.approve)}</button>
                                                <button type="submit" name="decision" value="refuse" class="button danger">{t!(i18n, bookings.manage.refuse)}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }),
                        Err(e) => EitherOf3::C(view! { <ErrorPanel error=e/> }),
                    }
                })}
            </Suspense>

            <h2>{t!(i18n, bookings.manage.blocks)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let options = spaces.await.unwrap_or_default();
                    let space_choices: Vec<(String, String)> = options.iter().map(|s| (s.id.to_string(), s.name.clone())).collect();
                    let listed = blocks.await;
                    view! {
                        {match listed {
                            Ok(items) if items.is_empty() => EitherOf3::A(view! { <p class="muted">{t!(i18n, bookings.manage.no_blocks)}</p> }),
                            Ok(items) => EitherOf3::B(view! {
                                <ul class="bookings">
                                    {items.into_iter().map(|b| {
                                        let slot = b.slot;
                                        let id = b.id.to_string();
                                        view! {
                                            <li class="booking">
                                                <p><strong>{b.space_name.clone()}</strong> " · " {move || format::long_date(slot.date, i18n.get_locale())} " " {format_minute(slot.start_minute)}</p>
                                                <p>{b.reason.clone()}</p>
                                                <ActionForm action=unblock attr:class="inline-actions">
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="button">{t!(i18n, bookings.manage.unblock)}</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }),
                            Err(e) => EitherOf3::C(view! { <ErrorPanel error=e/> }),
                        }}
                        <ActionForm action=block attr:novalidate=true attr:class="stack panel">
                            <h3>{t!(i18n, bookings.manage.new_block)}</h3>
                            <FormError error=block_error fields=&["space_id", "start_date", "start_time", "end_date", "end_time", "reason"]/>
                            <crate::components::SelectField
                                label=tr!(i18n, bookings.fields.space)
                                name="space_id"
                                options=Signal::stored(space_choices)
                                error=block_error
                            />
                            <div class="row">
                                <Field label=tr!(i18n, bookings.manage.from_date) name="start_date" input_type="date" required=true error=block_error/>
                                <Field label=tr!(i18n, bookings.fields.start) name="start_time" input_type="time" required=true error=block_error/>
                            </div>
                            <div class="row">
                                <Field label=tr!(i18n, bookings.manage.to_date) name="end_date" input_type="date" required=true error=block_error/>
                                <Field label=tr!(i18n, bookings.fields.end) name="end_time" input_type="time" required=true error=block_error/>
                            </div>
                            <Field label=tr!(i18n, bookings.manage.reason) name="reason" required=true error=block_error/>
                            <Submit label=tr!(i18n, bookings.manage.block) pending=block.pending()/>
                        </ActionForm>
                        <h3>{t!(i18n, bookings.manage.rules)}</h3>
                        <ul class="links">
                            {options.into_iter().map(|s| view! { <li><a href=format!("/gestion/espaces/{}/regles", s.id)>{s.name}</a></li> }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>

            <h2>{t!(i18n, bookings.manage.utilisation)}</h2>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="periode">{t!(i18n, bookings.manage.period)}</label>
                    <select id="periode" name="periode">
                        <option value="semaine" selected=move || period.get() != "mois">{t!(i18n, bookings.manage.week)}</option>
                        <option value="mois" selected=move || period.get() == "mois">{t!(i18n, bookings.manage.month)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="periode-date">{t!(i18n, bookings.fields.date)}</label>
                    <input id="periode-date" type="date" name="date" value=date/>
                </div>
                <div class="filter-actions"><button type="submit" class="button">{t!(i18n, bookings.manage.show)}</button></div>
            </Form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match usage.await {
                        Ok(u) => Either::Left(view! {
                            <div class="table-wrap">
                                <table>
                                    <caption>{move || t_string!(i18n, bookings.manage.usage_caption, from = format::date(u.from, i18n.get_locale()), to = format::date(add_days(u.until, -1), i18n.get_locale())).to_string()}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, bookings.fields.space)}</th>
                                            <th scope="col">{t!(i18n, bookings.manage.booked)}</th>
                                            <th scope="col">{t!(i18n, bookings.manage.open)}</th>
                                            <th scope="col">{t!(i18n, bookings.manage.rate)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {u.rows.iter().map(|r| {
                                            let (booked, open, pm) = (r.booked_minutes, r.open_minutes, r.per_mille());
                                            view! {
                                                <tr>
                                                    <th scope="row">{r.space.name.clone()}</th>
                                                    <td class="amount">{move || format::duration(booked, i18n.get_locale())}</td>
                                                    <td class="amount">{move || format::duration(open, i18n.get_locale())}</td>
                                                    <td class="amount">{move || format::percent_bp(i32::try_from(pm * 10).unwrap_or(0), i18n.get_locale())}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }),
                        Err(e) => Either::Right(view! { <ErrorPanel error=e/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn SpaceRulesPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let rules = Resource::new(move || id.clone(), get_space_rules);
    view! {
        <PageTitle text=|locale| td_string!(locale, bookings.rules_page.title).to_string()/>
        <Loaded resource=rules then=move |r| view! { <RulesForm r/> }/>
    }
}

#[component]
fn RulesForm(r: crate::bookings::model::SpaceRulesView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateSpaceRules>::new();
    let error = action_error(save);
    let saved = query("enregistre");
    let n = |v: u32| Signal::stored(v.to_string());
    view! {
        <section class="narrow">
            <p><a href="/gestion/reservations">{t!(i18n, bookings.rules_page.back)}</a></p>
            <h1>{t!(i18n, bookings.rules_page.title)} " · " {r.space.name.clone()}</h1>
            {move || (!saved.get().is_empty()).then(|| view! { <p class="notice" role="status">{t!(i18n, bookings.rules_page.saved)}</p> })}
            <ActionForm action=save attr:novalidate=true attr:class="stack">
                <FormError error fields=&["min_minutes", "max_minutes", "buffer_minutes", "min_notice_minutes", "tenant_max_advance_days", "manager_max_advance_days", "cancel_deadline_hours"]/>
                <input type="hidden" name="space_id" value=r.space.id/>
                <div class="row">
                    <Field label=tr!(i18n, bookings.rules_page.min_minutes) name="min_minutes" input_type="number" value=n(r.min_minutes) error/>
                    <Field label=tr!(i18n, bookings.rules_page.max_minutes) name="max_minutes" input_type="number" value=n(r.max_minutes) error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, bookings.rules_page.buffer_minutes) name="buffer_minutes" input_type="number" value=n(r.buffer_minutes) error/>
                    <Field label=tr!(i18n, bookings.rules_page.min_notice_minutes) name="min_notice_minutes" input_type="number" value=n(r.min_notice_minutes) error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, bookings.rules_page.tenant_max_advance_days) name="tenant_max_advance_days" input_type="number" value=n(r.tenant_max_advance_days) error/>
                    <Field label=tr!(i18n, bookings.rules_page.manager_max_advance_days) name="manager_max_advance_days" input_type="number" value=n(r.manager_max_advance_days) error/>
                </div>
                <Field label=tr!(i18n, bookings.rules_page.cancel_deadline_hours) name="cancel_deadline_hours" input_type="number" value=n(r.cancel_deadline_hours) error/>
                <div class="field checkbox">
                    <input id="champ-requires_approval" type="checkbox" name="requires_approval" value="on" checked=r.requires_approval/>
                    <label for="champ-requires_approval">{t!(i18n, bookings.rules_page.requires_approval)}</label>
                </div>
                <div class="field checkbox">
                    <input id="champ-uses_included_hours" type="checkbox" name="uses_included_hours" value="on" checked=r.uses_included_hours/>
                    <label for="champ-uses_included_hours">{t!(i18n, bookings.rules_page.uses_included_hours)}</label>
                </div>
                <fieldset class="field">
                    <legend>{t!(i18n, bookings.rules_page.hours)}</legend>
                    <p class="hint">{t!(i18n, bookings.rules_page.hours_hint)}</p>
                    {r.opening_hours
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let id = format!("horaires-{i}");
                            let label_for = id.clone();
                            view! {
                                <div class="field">
                                    <label for=label_for>{move || format::weekday(i, i18n.get_locale())}</label>
                                    <input id=id name="hours[]" value=h.clone()/>
                                </div>
                            }
                        })
                        .collect_view()}
                    {move || error.get().filter(|e| e.field() == Some("hours")).map(|e| view! { <p class="field-error">{e.message().to_owned()}</p> })}
                </fieldset>
                <Submit label=tr!(i18n, bookings.rules_page.save) pending=save.pending()/>
            </ActionForm>
        </section>
    }
}
