//! One application: what the candidate asked, where it stands, its steps. The candidate books
//! or changes a visit and may withdraw; managers move it along, put it on a committee's
//! agenda, promise units once it is accepted and go on to the lease.
use super::apply::SlotChoice;
use super::{status_badge, status_label, wants_text, when};
use crate::applications::api::{
    BookVisit, MakeOrganisation, MoveApplication, PromiseUnits, PutOnAgenda, WithdrawApplication,
    get_application,
};
use crate::applications::model::{ApplicationDetail, DecisionView, StepView};
use crate::components::{Field, FormError, Loaded, PageTitle, SelectField, action_error};
use crate::format;
use crate::hosting::model::ApplicationStatus;
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let (sent, visit) =
        use_query_map().with_untracked(|q| (q.get("envoyee").is_some(), q.get("visite").is_some()));
    let app = Resource::new(move || id.clone(), get_application);
    view! {
        <PageTitle text=|locale| td_string!(locale, applications.page.title).to_string()/>
        <Loaded resource=app then={move |d: ApplicationDetail| view! { <ApplicationView d sent visit/> }}/>
    }
}

#[component]
fn ApplicationView(d: ApplicationDetail, sent: bool, visit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let s = d.summary.clone();
    let id = s.id;
    let duration = match d.duration_months {
        Some(n) => td_string!(locale, hosting.lease.months, n = n).to_string(),
        None => td_string!(locale, hosting.lease.open_ended).to_string(),
    };
    let yes_no = |b: bool| {
        if b {
            td_string!(locale, applications.page.yes)
        } else {
            td_string!(locale, applications.page.no)
        }
        .to_string()
    };
    let mut facts = vec![
        (
            td_string!(locale, applications.fields.legal_form).to_string(),
            labels::legal_form(locale, s.legal_form),
        ),
        (
            td_string!(locale, applications.fields.sector).to_string(),
            labels::sector(locale, s.sector),
        ),
        (
            td_string!(locale, applications.fields.siret).to_string(),
            d.siret.clone(),
        ),
        (
            td_string!(locale, applications.fields.founded_year).to_string(),
            d.founded_year.to_string(),
        ),
        (
            td_string!(locale, applications.fields.esus).to_string(),
            yes_no(d.esus),
        ),
        (
            td_string!(locale, applications.fields.headcount).to_string(),
            d.summary.headcount.to_string(),
        ),
        (
            td_string!(locale, applications.fields.address).to_string(),
            d.address.clone(),
        ),
        (
            td_string!(locale, applications.list.wants).to_string(),
            wants_text(s.wants, locale),
        ),
        (
            td_string!(locale, applications.fields.wanted_from).to_string(),
            format::date(s.wanted_from, locale),
        ),
        (
            td_string!(locale, applications.fields.duration_months).to_string(),
            duration,
        ),
        (
            td_string!(locale, applications.apply.contact).to_string(),
            {
                let phone = if d.contact_phone.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", d.contact_phone)
                };
                format!("{} <{}>{phone}", d.contact_name, d.contact_email)
            },
        ),
    ];
    if d.is_manager {
        facts.push((
            td_string!(locale, applications.page.candidate).to_string(),
            d.candidate.clone(),
        ));
    }
    if let Some(v) = s.visit {
        facts.push((
            td_string!(locale, applications.page.visit).to_string(),
            when(v, locale),
        ));
    }
    if let Some((cid, at)) = s.committee {
        facts.push((
            td_string!(locale, applications.page.committee).to_string(),
            format!("{} (n° {cid})", when(at, locale)),
        ));
    }
    if let Some(rank) = s.wait_rank {
        facts.push((
            td_string!(locale, applications.list.rank).to_string(),
            rank.to_string(),
        ));
    }
    let may_visit = matches!(
        s.status,
        ApplicationStatus::Received | ApplicationStatus::VisitBooked
    );
    let may_withdraw = !s.status.is_closed();
    let manager = d.is_manager;
    let promised = d.promised.clone();
    view! {
        <section>
            <p><a href=if manager { "/gestion/candidatures" } else { "/candidatures" }>{t!(i18n, applications.page.back)}</a></p>
            <h1>{s.organisation_name.clone()} " " {status_badge(locale, s.status)}</h1>
            {sent.then(|| view! { <p class="notice" role="status">{t!(i18n, applications.page.sent)}</p> })}
            {visit.then(|| view! { <p class="notice" role="status">{t!(i18n, applications.page.visit_saved)}</p> })}
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <h2>{t!(i18n, applications.fields.project)}</h2>
            <p class="prose">{d.project.clone()}</p>
            <h2>{t!(i18n, applications.fields.contribution)}</h2>
            <p class="prose">{d.contribution.clone()}</p>
            {(!promised.is_empty()).then(|| view! {
                <h2>{t!(i18n, applications.page.promised)}</h2>
                <ul>{promised.iter().map(|u| view! { <li>{u.name.clone()} " · " {labels::space_kind(locale, u.kind)} " · " {format::area(i64::from(u.area_m2), locale)}</li> }).collect_view()}</ul>
            })}
            {(may_visit && !d.slots.is_empty()).then(|| view! { <VisitForm id slots=d.slots.clone() current=s.status == ApplicationStatus::VisitBooked/> })}
            {(may_visit && d.slots.is_empty()).then(|| view! { <p class="hint">{t!(i18n, applications.apply.no_slots)}</p> })}
            {manager.then(|| view! { <ManagerActions d=d.clone()/> })}
            {(!d.decisions.is_empty()).then(|| decisions(d.decisions.clone(), locale))}
            <h2>{t!(i18n, applications.page.history)}</h2>
            <ol class="steps">{d.steps.iter().cloned().map(|st| step_view(st, locale)).collect_view()}</ol>
            {may_withdraw.then(|| view! { <WithdrawForm id/> })}
            {s.lease_id.map(|l| view! { <p><a class="button" href=format!("/baux/{l}")>{t!(i18n, applications.page.lease)}</a></p> })}
        </section>
    }
}

fn step_view(st: StepView, locale: Locale) -> impl IntoView {
    let what = match st.from {
        None => status_label(locale, st.to),
        Some(from) => format!(
            "{} → {}",
            status_label(locale, from),
            status_label(locale, st.to)
        ),
    };
    view! {
        <li>
            <strong>{what}</strong> " · " {when(st.at, locale)}
            {st.by.filter(|b| !b.is_empty()).map(|b| view! { " · " {b} })}
            {st.note.map(|n| view! { <br/><span class="prose">{n}</span> })}
        </li>
    }
}

fn decisions(list: Vec<DecisionView>, locale: Locale) -> impl IntoView {
    view! {
        <h2>{td_string!(locale, applications.page.decisions).to_string()}</h2>
        <ul>
            {list.into_iter().map(|d| view! {
                <li>
                    <a href=format!("/gestion/comites/{}", d.committee_id)>{when(d.meets_at, locale)}</a>
                    " · " <strong>{status_label(locale, d.outcome)}</strong> " · "
                    {td_string!(locale, applications.committee.votes_text, yes = d.votes_for, no = d.votes_against, abstain = d.votes_abstain).to_string()}
                    <br/><span class="prose">{d.reasons}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn VisitForm(
    id: i32,
    slots: Vec<crate::applications::model::VisitSlotView>,
    current: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let book = ServerAction::<BookVisit>::new();
    let error = action_error(book);
    view! {
        <section aria-labelledby="visite">
            <h2 id="visite">{t!(i18n, applications.page.book_visit)}</h2>
            {current.then(|| view! { <p class="hint">{t!(i18n, applications.page.change_visit)}</p> })}
            <ActionForm action=book attr:novalidate=true attr:class="stack">
                <FormError error fields=&["visit_slot"]/>
                <input type="hidden" name="id" value=id/>
                <SlotChoice slots error offer_later=false/>
                <button type="submit" class="button">{t!(i18n, applications.page.book_submit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn WithdrawForm(id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let withdraw = ServerAction::<WithdrawApplication>::new();
    let error = action_error(withdraw);
    view! {
        <details class="end-early">
            <summary>{t!(i18n, applications.page.withdraw)}</summary>
            <ActionForm action=withdraw attr:class="stack">
                <FormError error fields=&[]/>
                <input type="hidden" name="id" value=id/>
                <p class="hint">{t!(i18n, applications.page.withdraw_hint)}</p>
                <button type="submit" class="button danger">{t!(i18n, applications.page.withdraw_submit)}</button>
            </ActionForm>
        </details>
    }
}

/// What managers do next, by status.
#[component]
fn ManagerActions(d: ApplicationDetail) -> impl IntoView {
    use ApplicationStatus as S;
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = d.summary.id;
    let status = d.summary.status;
    let moves = ServerAction::<MoveApplication>::new();
    let move_error = action_error(moves);
    let agenda = ServerAction::<PutOnAgenda>::new();
    let agenda_error = action_error(agenda);
    let promise = ServerAction::<PromiseUnits>::new();
    let promise_error = action_error(promise);
    let make = ServerAction::<MakeOrganisation>::new();
    let make_error = action_error(make);
    let sessions: Vec<(String, String)> = d
        .committees
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                format!("{} · {}", when(c.meets_at, locale), c.place),
            )
        })
        .collect();
    let no_sessions = sessions.is_empty();
    let promised: Vec<i32> = d.promised.iter().map(|u| u.id).collect();
    let mut units = d.promised.clone();
    units.extend(d.free_units.iter().cloned());
    let accepted_open = status == S::Accepted && d.summary.lease_id.is_none();
    view! {
        <section aria-labelledby="suite" class="stack">
            <h2 id="suite">{t!(i18n, applications.page.next)}</h2>
            {matches!(status, S::Received | S::VisitBooked).then(|| view! {
                <ActionForm action=moves attr:novalidate=true attr:class="stack">
                    <FormError error=move_error fields=&["note"]/>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="to" value="visited"/>
                    <Field label=tr!(i18n, applications.page.note) name="note" error=move_error/>
                    <button type="submit" class="button">{t!(i18n, applications.page.mark_visited)}</button>
                </ActionForm>
            })}
            {(status == S::VisitBooked).then(|| view! {
                <ActionForm action=moves attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="to" value="received"/>
                    <button type="submit" class="button secondary">{t!(i18n, applications.page.cancel_visit)}</button>
                </ActionForm>
            })}
            {matches!(status, S::Visited | S::WaitListed).then(|| if no_sessions {
                leptos::either::Either::Left(view! { <p><a href="/gestion/comites">{t!(i18n, applications.page.no_sessions)}</a></p> })
            } else {
                leptos::either::Either::Right(view! {
                    <ActionForm action=agenda attr:novalidate=true attr:class="stack">
                        <FormError error=agenda_error fields=&["committee", "note"]/>
                        <input type="hidden" name="id" value=id/>
                        <SelectField label=tr!(i18n, applications.page.committee) name="committee" options=Signal::stored(sessions.clone()) error=agenda_error/>
                        <Field label=tr!(i18n, applications.page.note) name="note" error=agenda_error/>
                        <button type="submit" class="button">{t!(i18n, applications.page.to_agenda)}</button>
                    </ActionForm>
                })
            })}
            {(status == S::AtCommittee).then(|| d.summary.committee.map(|(c, _)| view! {
                <p><a class="button" href=format!("/gestion/comites/{c}#candidature-{id}")>{t!(i18n, applications.page.open_committee)}</a></p>
            }))}
            {accepted_open.then(|| view! {
                <ActionForm action=promise attr:novalidate=true attr:class="stack">
                    <FormError error=promise_error fields=&["units"]/>
                    <input type="hidden" name="id" value=id/>
                    <fieldset class="field checkboxes">
                        <legend>{t!(i18n, applications.page.promise)}</legend>
                        <p class="hint">{t!(i18n, applications.page.promise_hint)}</p>
                        {units.iter().map(|u| {
                            let check = format!("promesse-{}", u.id);
                            view! {
                                <label for=check.clone()>
                                    <input id=check.clone() type="checkbox" name="units[]" value=u.id checked=promised.contains(&u.id)/>
                                    {format!("{} · {} · {} · {}", u.name, labels::space_kind(locale, u.kind), format::area(i64::from(u.area_m2), locale), td_string!(locale, applications.page.seats, n = u.capacity))}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="button secondary">{t!(i18n, applications.page.promise_submit)}</button>
                </ActionForm>
                {match d.organisation_id {
                    None => leptos::either::Either::Left(view! {
                        <ActionForm action=make attr:class="stack">
                            <FormError error=make_error fields=&[]/>
                            <input type="hidden" name="id" value=id/>
                            <p class="hint">{t!(i18n, applications.page.make_hint)}</p>
                            <button type="submit" class="button">{t!(i18n, applications.page.make_submit)}</button>
                        </ActionForm>
                    }),
                    Some(_) => leptos::either::Either::Right(view! {
                        <p><a class="button" href=format!("/gestion/baux/nouveau?candidature={id}")>{t!(i18n, applications.page.lease_link)}</a></p>
                    }),
                }}
            })}
        </section>
    }
}
