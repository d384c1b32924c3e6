//! The billing runs: one per month, with a form to open the next one.
use super::run_status;
use crate::billing::api::{CreateRun, list_runs};
use crate::billing::model::RunRow;
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::format;
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::tr;
use chrono::Datelike;
use leptos::prelude::*;

#[component]
pub fn RunsPage() -> impl IntoView {
    let i18n = use_i18n();
    let runs = Resource::new(|| (), |_| list_runs());
    let create = ServerAction::<CreateRun>::new();
    let error = action_error(create);
    view! {
        <PageTitle text=|locale| td_string!(locale, billing.runs.title).to_string()/>
        <section>
            <h1>{t!(i18n, billing.runs.title)}</h1>
            <p class="lead">{t!(i18n, billing.runs.intro)}</p>
            <p>
                <a href="/gestion/facturation/vendeur">{t!(i18n, billing.runs.seller_link)}</a>
            </p>
            <ActionForm action=create attr:novalidate=true attr:class="inline-form">
                <FormError error fields=&["month"]/>
                <Field label=tr!(i18n, billing.runs.month) name="month" input_type="month" required=true error/>
                <Submit label=tr!(i18n, billing.runs.open) pending=create.pending()/>
            </ActionForm>
            <Loaded resource=runs then={move |rows: Vec<RunRow>| run_table(rows, i18n.get_locale_untracked())}/>
        </section>
    }
}

fn run_table(rows: Vec<RunRow>, locale: Locale) -> AnyView {
    if rows.is_empty() {
        return view! { <p>{td_string!(locale, billing.runs.none).to_string()}</p> }.into_any();
    }
    let th = |label: &'static str| view! { <th scope="col">{label}</th> };
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        {th(td_string!(locale, billing.runs.month))}
                        {th(td_string!(locale, billing.runs.status))}
                        {th(td_string!(locale, billing.runs.invoices))}
                        {th(td_string!(locale, billing.runs.total))}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row"><a href=format!("/gestion/facturation/{}", r.id)>{format::month_year(r.period_start.year(), r.period_start.month(), locale)}</a></th>
                            <td>{run_status(locale, r.status)}</td>
                            <td class="number">{td_string!(locale, billing.runs.issued_of, issued = r.issued, total = r.invoices).to_string()}</td>
                            <td class="number">{format::money(r.incl_cents, locale)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
