//! One billing run: its drafts per buyer with totals and anomalies, the forms to exclude a
//! buyer or add a line by hand, and the button that issues it; while it is issued, its
//! progress (the page refreshes itself, with or without WebAssembly).
use super::{invoice_status, run_status};
use crate::billing::api::{AddManualLine, ExcludeBuyer, IncludeBuyer, IssueRun, get_run};
use crate::billing::model::{Anomaly, RunStatus, RunView};
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::format;
use crate::i18n::{t, td_string, use_i18n};
use crate::tr;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RunPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let run = Resource::new(move || id.clone(), get_run);
    view! {
        <PageTitle text=|locale| td_string!(locale, billing.run.title).to_string()/>
        <Loaded resource=run then={move |r: RunView| view! { <Run r/> }}/>
    }
}

#[component]
fn Run(r: RunView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let issue = ServerAction::<IssueRun>::new();
    let exclude = ServerAction::<ExcludeBuyer>::new();
    let include = ServerAction::<IncludeBuyer>::new();
    let manual = ServerAction::<AddManualLine>::new();
    let (issue_error, exclude_error, manual_error) = (
        action_error(issue),
        action_error(exclude),
        action_error(manual),
    );
    let heading = td_string!(
        locale,
        billing.run.heading,
        month = format::month_year(r.period_start.year(), r.period_start.month(), locale)
    )
    .to_string();
    let draft = r.status == RunStatus::Draft;
    let total = r.invoices.len();
    let progress = td_string!(
        locale,
        billing.runs.issued_of,
        issued = r.issued,
        total = total
    )
    .to_string();
    let buyers: Vec<(String, String)> = r
        .invoices
        .iter()
        .map(|i| (i.profile_id.to_string(), i.buyer_name.clone()))
        .collect();
    let run_id = r.id;
    view! {
        {(r.status == RunStatus::Issuing).then(|| view! { <meta http-equiv="refresh" content="2"/> })}
        <section>
            <p><a href="/gestion/facturation">{t!(i18n, billing.run.back)}</a></p>
            <h1>{heading}</h1>
            <p class="lead">
                {run_status(locale, r.status)} " · " {progress.clone()} " · "
                {td_string!(locale, billing.run.totals, excl = format::money(r.excl_cents, locale), vat = format::money(r.vat_cents, locale), incl = format::money(r.incl_cents, locale)).to_string()}
            </p>
            {(r.status == RunStatus::Issuing).then(|| view! {
                <p role="status"><progress max=total.to_string() value=r.issued.to_string()>{progress.clone()}</progress> " " {t!(i18n, billing.run.issuing_hint)}</p>
            })}
            {(!r.anomalies.is_empty()).then(|| view! {
                <div class="notice warning" role="alert">
                    <h2>{t!(i18n, billing.run.anomalies)}</h2>
                    <ul>
                        {r.anomalies.iter().map(|a| view! { <li>{anomaly(a, locale)}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            {draft.then(|| view! {
                <ActionForm action=issue attr:class="stack">
                    <FormError error=issue_error fields=&[]/>
                    <input type="hidden" name="run" value=run_id/>
                    {(!r.has_seller).then(|| view! { <p class="hint">{t!(i18n, billing.errors.no_seller)}</p> })}
                    <Submit label=tr!(i18n, billing.run.issue) pending=issue.pending()/>
                </ActionForm>
            })}
        </section>
        <section>
            <h2>{t!(i18n, billing.run.invoices)}</h2>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, billing.fields.buyer)}</th>
                            <th scope="col">{t!(i18n, billing.fields.number)}</th>
                            <th scope="col">{t!(i18n, billing.fields.lines)}</th>
                            <th scope="col">{t!(i18n, billing.fields.excl)}</th>
                            <th scope="col">{t!(i18n, billing.fields.incl)}</th>
                            <th scope="col">{t!(i18n, billing.fields.status)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r.invoices.iter().map(|i| view! {
                            <tr>
                                <th scope="row"><a href=format!("/factures/{}", i.id)>{i.buyer_name.clone()}</a></th>
                                <td>{i.number.clone().unwrap_or_else(|| "—".into())}</td>
                                <td class="number">{i.line_count}</td>
                                <td class="number">{format::money(i.excl_cents, locale)}</td>
                                <td class="number">{format::money(i.incl_cents, locale)}</td>
                                <td>{invoice_status(locale, i.status)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {draft.then(|| {
            let buyers_for_exclude = buyers.clone();
            view! {
                <section class="two-forms">
                    <ActionForm action=exclude attr:novalidate=true attr:class="stack">
                        <h2>{t!(i18n, billing.run.exclude)}</h2>
                        <FormError error=exclude_error fields=&["exclusion_reason"]/>
                        <input type="hidden" name="run" value=run_id/>
                        <label for="exclure-acheteur">{t!(i18n, billing.fields.buyer)}</label>
                        <select id="exclure-acheteur" name="profile">
                            {buyers_for_exclude.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </select>
                        <Field label=tr!(i18n, billing.run.reason) name="exclusion_reason" required=true error=exclude_error/>
                        <Submit label=tr!(i18n, billing.run.exclude_submit) pending=exclude.pending()/>
                    </ActionForm>
                    <ActionForm action=manual attr:novalidate=true attr:class="stack">
                        <h2>{t!(i18n, billing.run.manual)}</h2>
                        <FormError error=manual_error fields=&["description", "quantity", "amount", "vat_rate", "reason"]/>
                        <input type="hidden" name="run" value=run_id/>
                        <label for="ligne-acheteur">{t!(i18n, billing.fields.buyer)}</label>
                        <select id="ligne-acheteur" name="profile">
                            {buyers.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </select>
                        <Field label=tr!(i18n, billing.fields.description) name="description" required=true error=manual_error/>
                        <Field label=tr!(i18n, billing.fields.quantity) name="quantity" input_type="number" value=Signal::stored("1".to_owned()) required=true error=manual_error/>
                        <Field label=tr!(i18n, billing.fields.unit_price) name="amount" required=true error=manual_error/>
                        <Field label=tr!(i18n, billing.fields.vat_rate) name="vat_rate" value=Signal::stored("20".to_owned()) required=true error=manual_error/>
                        <Field label=tr!(i18n, billing.run.reason) name="reason" required=true error=manual_error/>
                        <Submit label=tr!(i18n, billing.run.manual_submit) pending=manual.pending()/>
                    </ActionForm>
                </section>
            }
        })}
        {(!r.exclusions.is_empty()).then(|| view! {
            <section>
                <h2>{t!(i18n, billing.run.excluded)}</h2>
                <ul>
                    {r.exclusions.iter().map(|x| { let profile_id = x.profile_id; view! {
                        <li>
                            {td_string!(locale, billing.run.excluded_line, buyer = x.buyer.clone(), reason = x.reason.clone(), by = x.by.clone()).to_string()}
                            {draft.then(move || view! {
                                <ActionForm action=include attr:class="inline-form">
                                    <input type="hidden" name="run" value=run_id/>
                                    <input type="hidden" name="profile" value=profile_id/>
                                    <button type="submit" class="button">{t!(i18n, billing.run.include)}</button>
                                </ActionForm>
                            })}
                        </li>
                    }}).collect_view()}
                </ul>
            </section>
        })}
    }
}

fn anomaly(a: &Anomaly, locale: crate::i18n::Locale) -> AnyView {
    match a {
        Anomaly::NoBillingProfile { organisation_id, name, items, .. } => {
            let text = td_string!(locale, billing.run.no_profile, name = name.clone(), items = *items).to_string();
            match organisation_id {
                Some(id) => view! { <a href=format!("/gestion/structures/{id}/facturation")>{text}</a> }.into_any(),
                None => view! { <span>{text}</span> }.into_any(),
            }
        }
        Anomaly::NothingDue { buyer, .. } => view! { <span>{td_string!(locale, billing.run.nothing_due, buyer = buyer.clone()).to_string()}</span> }.into_any(),
        Anomaly::DepositAboveFee { name, .. } => view! { <span>{td_string!(locale, billing.run.deposit_above_fee, name = name.clone()).to_string()}</span> }.into_any(),
    }
}
