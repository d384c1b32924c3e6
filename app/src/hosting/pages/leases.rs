//! Lists of leases: every lease for managers, and an organisation's own for its members.
use super::status_label;
use crate::components::{Loaded, PageTitle};
use crate::format;
use crate::hosting::api::{list_leases, my_leases};
use crate::hosting::model::LeaseSummary;
use crate::i18n::{Locale, t, td_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn LeasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let leases = Resource::new(|| (), |_| list_leases());
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.leases.title).to_string()/>
        <section>
            <h1>{t!(i18n, hosting.leases.title)}</h1>
            <p class="lead">{t!(i18n, hosting.leases.intro)}</p>
            <p><a class="button primary" href="/gestion/baux/nouveau">{t!(i18n, hosting.leases.new)}</a></p>
            <Loaded resource=leases then={move |rows: Vec<LeaseSummary>| lease_table(rows, i18n.get_locale_untracked())}/>
        </section>
    }
}

/// The leases of the caller's organisation, for its members.
#[component]
pub fn MyLeasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let leases = Resource::new(|| (), |_| my_leases());
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.mine.title).to_string()/>
        <section>
            <h1>{t!(i18n, hosting.mine.title)}</h1>
            <p class="lead">{t!(i18n, hosting.mine.intro)}</p>
            <Loaded resource=leases then={move |rows: Vec<LeaseSummary>| lease_table(rows, i18n.get_locale_untracked())}/>
        </section>
    }
}

fn lease_table(rows: Vec<LeaseSummary>, locale: Locale) -> AnyView {
    if rows.is_empty() {
        return view! { <p>{td_string!(locale, hosting.leases.none).to_string()}</p> }.into_any();
    }
    let th = |label: &'static str| view! { <th scope="col">{label}</th> };
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        {th(td_string!(locale, hosting.leases.lease))}
                        {th(td_string!(locale, hosting.fields.organisation))}
                        {th(td_string!(locale, hosting.leases.units))}
                        {th(td_string!(locale, hosting.leases.monthly))}
                        {th(td_string!(locale, hosting.leases.dates))}
                        {th(td_string!(locale, hosting.leases.status))}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|l| {
                        let dates = match l.ends_on {
                            Some(end) => td_string!(locale, hosting.leases.from_until, from = format::date(l.starts_on, locale), until = format::date(end, locale)).to_string(),
                            None => td_string!(locale, hosting.leases.from, from = format::date(l.starts_on, locale)).to_string(),
                        };
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("/baux/{}", l.id)>{td_string!(locale, hosting.lease.number, id = l.id).to_string()}</a></th>
                                <td>{l.organisation.clone()}</td>
                                <td>{l.units.join(", ")}</td>
                                <td class="number">{format::money(l.monthly_fee_cents, locale)}</td>
                                <td>{dates}</td>
                                <td>{status_label(locale, l.status)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
