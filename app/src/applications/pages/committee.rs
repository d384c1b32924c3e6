//! One committee session: its agenda, each candidate's diversity panel (the hosted portfolio
//! today and with the candidate, side by side, and the targets it would break), and the
//! decision form with its votes and reasons.
use super::{status_badge, status_label, wants_text, when};
use crate::applications::api::{PutOnAgenda, RecordDecision, get_committee};
use crate::applications::model::{
    AgendaItem, CommitteeDetail, Dimension, DimensionTable, DimensionValue, DiversityPanel,
};
use crate::components::{Field, FormError, Loaded, PageTitle, SelectField, action_error};
use crate::format;
use crate::hosting::model::{AgeBand, ApplicationStatus, SizeBand};
use crate::hosting::rules::{Share, Target};
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CommitteePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(move || id.clone(), get_committee);
    view! {
        <PageTitle text=|locale| td_string!(locale, applications.committee.title).to_string()/>
        <Loaded resource=data then={move |d: CommitteeDetail| view! { <CommitteeView d/> }}/>
    }
}

#[component]
fn CommitteeView(d: CommitteeDetail) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let title = td_string!(
        locale,
        applications.committee.heading,
        at = when(d.meets_at, locale)
    )
    .to_string();
    let add = ServerAction::<PutOnAgenda>::new();
    let add_error = action_error(add);
    let addable: Vec<(String, String)> = d
        .addable
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                format!(
                    "{} · {}",
                    a.organisation_name,
                    status_label(locale, a.status)
                ),
            )
        })
        .collect();
    let committee = d.id;
    let empty = d.items.is_empty();
    view! {
        <section>
            <p><a href="/gestion/comites">{t!(i18n, applications.committees.title)}</a></p>
            <h1>{title}</h1>
            <p class="lead">{d.place.clone()}</p>
            {empty.then(|| view! { <p>{t!(i18n, applications.committee.empty)}</p> })}
            {d.items.into_iter().map(|item| view! { <ItemView item committee/> }).collect_view()}
            {(!addable.is_empty()).then(|| view! {
                <h2>{t!(i18n, applications.committee.add)}</h2>
                <ActionForm action=add attr:novalidate=true attr:class="stack">
                    <FormError error=add_error fields=&["id", "committee", "note"]/>
                    <input type="hidden" name="committee" value=committee/>
                    <SelectField label=tr!(i18n, applications.committee.application) name="id" options=Signal::stored(addable) error=add_error/>
                    <Field label=tr!(i18n, applications.page.note) name="note" error=add_error/>
                    <button type="submit" class="button">{t!(i18n, applications.page.to_agenda)}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn ItemView(item: AgendaItem, committee: i32) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let a = item.application.clone();
    let anchor = format!("candidature-{}", a.id);
    let esus = if item.esus {
        td_string!(locale, applications.committee.esus_yes)
    } else {
        td_string!(locale, applications.committee.esus_no)
    };
    let facts = format!(
        "{} · {} · {} · {} · {}",
        labels::legal_form(locale, a.legal_form),
        labels::sector(locale, a.sector),
        td_string!(locale, applications.committee.people, n = a.headcount),
        td_string!(
            locale,
            applications.committee.founded,
            year = item.founded_year
        ),
        esus,
    );
    let wants = format!(
        "{} · {}",
        wants_text(a.wants, locale),
        td_string!(
            locale,
            applications.committee.from,
            day = format::date(a.wanted_from, locale)
        )
    );
    let open = item.decision.is_none() && a.status == ApplicationStatus::AtCommittee;
    view! {
        <article class="agenda-item" id=anchor.clone() aria-labelledby=format!("{anchor}-titre")>
            <h2 id=format!("{anchor}-titre")><a href=format!("/candidatures/{}", a.id)>{a.organisation_name.clone()}</a> " " {status_badge(locale, a.status)}</h2>
            <p>{facts}</p>
            <p>{wants}</p>
            <details>
                <summary>{t!(i18n, applications.fields.contribution)}</summary>
                <p class="prose">{item.contribution.clone()}</p>
            </details>
            {panel_view(&item.panel, &a.organisation_name, locale)}
            {item.decision.clone().map(|d| view! {
                <p class="notice">
                    <strong>{status_label(locale, d.outcome)}</strong> " · "
                    {td_string!(locale, applications.committee.votes_text, yes = d.votes_for, no = d.votes_against, abstain = d.votes_abstain).to_string()}
                    <br/>{d.reasons}
                </p>
            })}
            {open.then(|| view! { <DecisionForm committee application=a.id/> })}
        </article>
    }
}

/// The decision on one application. A session's page holds one form per application, so each
/// field's id carries the application's, and errors show above the form.
#[component]
fn DecisionForm(committee: i32, application: i32) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let decide = ServerAction::<RecordDecision>::new();
    let error = action_error(decide);
    let id = move |field: &str| format!("{field}-{application}");
    let outcomes = [
        ApplicationStatus::Accepted,
        ApplicationStatus::WaitListed,
        ApplicationStatus::Refused,
    ];
    let number = move |field: &'static str, label: String| {
        let input_id = id(field);
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <input id=input_id name=field type="number" min="0" required/>
            </div>
        }
    };
    view! {
        <ActionForm action=decide attr:novalidate=true attr:class="stack decision-form">
            <FormError error fields=&[]/>
            <input type="hidden" name="committee" value=committee/>
            <input type="hidden" name="application" value=application/>
            <div class="field">
                <label for=id("decision")>{t!(i18n, applications.committee.decision)}</label>
                <select id=id("decision") name="decision">
                    {outcomes.into_iter().map(|s| view! { <option value=s.code()>{status_label(locale, s)}</option> }).collect_view()}
                </select>
            </div>
            <div class="row">
                {number("votes_for", td_string!(locale, applications.committee.votes_for).to_string())}
                {number("votes_against", td_string!(locale, applications.committee.votes_against).to_string())}
                {number("votes_abstain", td_string!(locale, applications.committee.votes_abstain).to_string())}
            </div>
            <div class="field">
                <label for=id("reasons")>{t!(i18n, applications.committee.reasons)}</label>
                <textarea id=id("reasons") name="reasons" rows="3" required></textarea>
            </div>
            <button type="submit" class="button">{t!(i18n, applications.committee.record)}</button>
        </ActionForm>
    }
}

pub(crate) fn target_text(t: Target, locale: Locale) -> String {
    match t {
        Target::MaxLegalFormPercent { percent } => td_string!(
            locale,
            applications.targets.max_legal_form_text,
            n = percent
        ),
        Target::MaxSectorPercent { percent } => {
            td_string!(locale, applications.targets.max_sector_text, n = percent)
        }
        Target::MinSectors { count } => {
            td_string!(locale, applications.targets.min_sectors_text, n = count)
        }
        Target::MinLegalForms { count } => {
            td_string!(locale, applications.targets.min_legal_forms_text, n = count)
        }
    }
    .to_string()
}

fn value_label(v: DimensionValue, locale: Locale) -> String {
    match v {
        DimensionValue::LegalForm(f) => labels::legal_form(locale, f),
        DimensionValue::Sector(s) => labels::sector(locale, s),
        DimensionValue::Size(s) => match s {
            SizeBand::Micro => td_string!(locale, applications.size.micro),
            SizeBand::Small => td_string!(locale, applications.size.small),
            SizeBand::Medium => td_string!(locale, applications.size.medium),
            SizeBand::Large => td_string!(locale, applications.size.large),
        }
        .to_string(),
        DimensionValue::Age(a) => match a {
            Some(AgeBand::Starting) => td_string!(locale, applications.age.starting),
            Some(AgeBand::Young) => td_string!(locale, applications.age.young),
            Some(AgeBand::Established) => td_string!(locale, applications.age.established),
            Some(AgeBand::Mature) => td_string!(locale, applications.age.mature),
            None => td_string!(locale, applications.age.unknown),
        }
        .to_string(),
    }
}

fn dimension_label(d: Dimension, locale: Locale) -> String {
    match d {
        Dimension::LegalForm => td_string!(locale, applications.panel.legal_form),
        Dimension::Sector => td_string!(locale, applications.panel.sector),
        Dimension::Size => td_string!(locale, applications.panel.size),
        Dimension::Age => td_string!(locale, applications.panel.age),
    }
    .to_string()
}

fn permille(p: u32, locale: Locale) -> String {
    format::share(i64::from(p), 1000, locale)
}

fn cells(s: Share, locale: Locale) -> impl IntoView + use<> {
    view! {
        <td class="number">{s.organisations}</td>
        <td class="number">{permille(s.organisations_permille, locale)}</td>
        <td class="number">{permille(s.area_permille, locale)}</td>
    }
}

fn panel_view(p: &DiversityPanel, candidate: &str, locale: Locale) -> impl IntoView + use<> {
    let intro = td_string!(
        locale,
        applications.panel.intro,
        n = p.hosted,
        area = format::area(p.hosted_m2, locale),
        candidate = candidate.to_owned(),
        candidate_area = format::area(p.candidate_m2, locale)
    )
    .to_string();
    let broken: Vec<String> = p
        .targets
        .iter()
        .filter(|t| t.broken)
        .map(|t| target_text(t.target, locale))
        .collect();
    let flag = (!broken.is_empty()).then(|| {
        let text = td_string!(
            locale,
            applications.panel.breaks,
            targets = broken.join(" ; ")
        )
        .to_string();
        view! { <p class="notice warning" role="note">{text}</p> }
    });
    let targets = (!p.targets.is_empty()).then(|| {
        let rows = p.targets.iter().map(|t| {
            let mark = |ok: bool| if ok { td_string!(locale, applications.panel.met) } else { td_string!(locale, applications.panel.missed) }.to_string();
            view! {
                <tr class:broken=t.broken>
                    <th scope="row">{target_text(t.target, locale)}</th>
                    <td>{mark(t.before)}</td>
                    <td>{mark(t.after)}{t.broken.then(|| view! { " · " <strong>{td_string!(locale, applications.panel.flagged).to_string()}</strong> })}</td>
                </tr>
            }
        }).collect_view();
        view! {
            <div class="table-wrap">
                <table>
                    <caption>{td_string!(locale, applications.committees.targets).to_string()}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(locale, applications.panel.target).to_string()}</th>
                        <th scope="col">{td_string!(locale, applications.panel.today).to_string()}</th>
                        <th scope="col">{td_string!(locale, applications.panel.with).to_string()}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <section class="diversity-panel" aria-label=td_string!(locale, applications.panel.title).to_string()>
            <h3>{td_string!(locale, applications.panel.title).to_string()}</h3>
            <p>{intro}</p>
            {flag}
            {targets}
            <div class="panel-tables">
                {p.tables.iter().map(|t| dimension_view(t, locale)).collect_view()}
            </div>
        </section>
    }
}

fn dimension_view(t: &DimensionTable, locale: Locale) -> impl IntoView + use<> {
    let caption = dimension_label(t.dimension, locale);
    let head = |key: &str| view! { <th scope="col">{key.to_owned()}</th> };
    let orgs = td_string!(locale, applications.panel.organisations).to_string();
    let share = td_string!(locale, applications.panel.share).to_string();
    let area = td_string!(locale, applications.panel.area_share).to_string();
    view! {
        <div class="table-wrap">
            <table class="panel">
                <caption>{caption.clone()}</caption>
                <thead>
                    <tr>
                        <td></td>
                        <th scope="colgroup" colspan="3">{td_string!(locale, applications.panel.today).to_string()}</th>
                        <th scope="colgroup" colspan="3">{td_string!(locale, applications.panel.with).to_string()}</th>
                    </tr>
                    <tr>
                        <th scope="col">{caption}</th>
                        {head(&orgs)}{head(&share)}{head(&area)}
                        {head(&orgs)}{head(&share)}{head(&area)}
                    </tr>
                </thead>
                <tbody>
                    {t.rows.iter().map(|r| view! {
                        <tr class:candidate=r.candidate>
                            <th scope="row">{value_label(r.value, locale)}{r.candidate.then_some(" ★")}</th>
                            {cells(r.before, locale)}
                            {cells(r.after, locale)}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
