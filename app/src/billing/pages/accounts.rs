//! A buyer's own invoices: for an organisation's referent (its members too when the referent
//! allows it) and for an organiser billed as a person, each account with its invoices, credit
//! notes, payments and balance.
use super::invoice::method;
use crate::billing::api::my_accounts;
use crate::billing::model::{Account, InvoiceKind};
use crate::components::{Loaded, PageTitle};
use crate::format;
use crate::i18n::{Locale, t, td_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let accounts = Resource::new(|| (), |_| my_accounts());
    view! {
        <PageTitle text=|locale| td_string!(locale, billing.accounts.title).to_string()/>
        <section>
            <h1>{t!(i18n, billing.accounts.title)}</h1>
            <Loaded resource=accounts then={move |list: Vec<Account>| {
                let locale = i18n.get_locale_untracked();
                if list.is_empty() {
                    view! { <p>{td_string!(locale, billing.accounts.none).to_string()}</p> }.into_any()
                } else {
                    list.into_iter().map(|a| statement(a, locale)).collect_view().into_any()
                }
            }}/>
        </section>
    }
}

fn statement(a: Account, locale: Locale) -> impl IntoView {
    let heading_id = format!("compte-{}", a.profile_id);
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=heading_id>{a.buyer_name.clone()}</h2>
            <p class="lead" data-balance=a.balance_cents>
                {td_string!(locale, billing.accounts.balance, amount = format::money(a.balance_cents, locale)).to_string()}
            </p>
            <div class="table-wrap">
                <table>
                    <caption>{td_string!(locale, billing.accounts.documents).to_string()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, billing.fields.number)}</th>
                            <th scope="col">{td_string!(locale, billing.accounts.issued)}</th>
                            <th scope="col">{td_string!(locale, billing.accounts.due_date)}</th>
                            <th scope="col">{td_string!(locale, billing.fields.incl)}</th>
                            <th scope="col">{td_string!(locale, billing.accounts.left)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {a.documents.iter().map(|d| {
                            let kind = match d.kind {
                                InvoiceKind::Invoice => td_string!(locale, billing.invoice.invoice),
                                InvoiceKind::CreditNote => td_string!(locale, billing.invoice.credit_note),
                            };
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/factures/{}", d.id)>{format!("{kind} {}", d.number.clone().unwrap_or_default())}</a></th>
                                    <td>{d.issue_date.map(|x| format::date(x, locale))}</td>
                                    <td>{d.due_date.map(|x| format::date(x, locale))}</td>
                                    <td class="number">{format::money(d.incl_cents, locale)}</td>
                                    <td class="number">{(d.kind == InvoiceKind::Invoice).then(|| format::money(d.due_cents, locale))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(!a.payments.is_empty()).then(|| view! {
                <h3>{td_string!(locale, billing.invoice.payments).to_string()}</h3>
                <ul>
                    {a.payments.iter().map(|p| view! {
                        <li>{format::date(p.received_on, locale)} " · " {method(locale, p.method)} " · " {format::money(p.amount_cents, locale)} {(!p.reference.is_empty()).then(|| format!(" · {}", p.reference))}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
