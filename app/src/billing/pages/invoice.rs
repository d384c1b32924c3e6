//! One invoice or credit note as its document: every mandatory mention, what is paid and
//! what is due, the credit notes against it, and the link to its Factur-X PDF.
use crate::billing::api::{IssueCreditNote, RecordPayment, get_invoice};
use crate::billing::model::{InvoiceDoc, InvoiceKind, InvoiceStatus, Nature, PaymentMethod};
use crate::billing::rules::RECOVERY_INDEMNITY_CENTS;
use crate::components::{Field, FormError, Loaded, PageTitle, SelectField, Submit, action_error};
use crate::format;
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `manager`: whether to show the forms that record a payment and issue a credit note (the
/// server functions check it again).
#[component]
pub fn InvoicePage(manager: bool) -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let doc = Resource::new(move || id.clone(), get_invoice);
    view! {
        <PageTitle text=|locale| td_string!(locale, billing.invoice.title).to_string()/>
        <Loaded resource=doc then={move |d: InvoiceDoc| {
            let actions = (manager && d.kind == InvoiceKind::Invoice && d.status == InvoiceStatus::Issued)
                .then(|| view! { <ManagerActions d=d.clone()/> });
            view! { <Document d/> {actions} }
        }}/>
    }
}

pub(crate) fn method(locale: Locale, m: PaymentMethod) -> String {
    match m {
        PaymentMethod::Transfer => td_string!(locale, billing.method.transfer),
        PaymentMethod::Cheque => td_string!(locale, billing.method.cheque),
        PaymentMethod::Card => td_string!(locale, billing.method.card),
        PaymentMethod::Cash => td_string!(locale, billing.method.cash),
        PaymentMethod::DirectDebit => td_string!(locale, billing.method.direct_debit),
    }
    .to_string()
}

/// A manager's forms under an issued invoice: a payment (whole or partial) and a credit note
/// (one line's amount, or the whole invoice).
#[component]
fn ManagerActions(d: InvoiceDoc) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let pay = ServerAction::<RecordPayment>::new();
    let credit = ServerAction::<IssueCreditNote>::new();
    let (pay_error, credit_error) = (action_error(pay), action_error(credit));
    let methods: Vec<(String, String)> = PaymentMethod::ALL
        .iter()
        .map(|m| (m.code().to_owned(), method(locale, *m)))
        .collect();
    let mut lines: Vec<(String, String)> = vec![(
        "all".into(),
        td_string!(locale, billing.invoice.credit_all).to_string(),
    )];
    lines.extend(
        d.lines
            .iter()
            .filter(|l| l.net_cents > l.credited_cents)
            .map(|l| {
                (
                    l.id.to_string(),
                    format!(
                        "{} ({})",
                        l.description,
                        format::money(l.net_cents - l.credited_cents, locale)
                    ),
                )
            }),
    );
    let due = format::amount(d.due_cents, locale);
    let id = d.id;
    view! {
        <section class="two-forms">
            {(d.due_cents > 0).then(|| view! {
                <ActionForm action=pay attr:novalidate=true attr:class="stack">
                    <h2>{t!(i18n, billing.invoice.record_payment)}</h2>
                    <FormError error=pay_error fields=&["method", "date", "amount", "reference"]/>
                    <input type="hidden" name="invoice" value=id/>
                    <SelectField label=tr!(i18n, billing.fields.method) name="method" options=Signal::stored(methods) error=pay_error/>
                    <Field label=tr!(i18n, billing.fields.received_on) name="date" input_type="date" hint=tr!(i18n, billing.invoice.date_hint) error=pay_error/>
                    <Field label=tr!(i18n, billing.fields.amount) name="amount" value=Signal::stored(due) required=true error=pay_error/>
                    <Field label=tr!(i18n, billing.fields.reference) name="reference" error=pay_error/>
                    <Submit label=tr!(i18n, billing.invoice.record_payment) pending=pay.pending()/>
                </ActionForm>
            })}
            {(d.credited_cents < d.incl_cents).then(|| view! {
                <ActionForm action=credit attr:novalidate=true attr:class="stack">
                    <h2>{t!(i18n, billing.invoice.issue_credit)}</h2>
                    <FormError error=credit_error fields=&["credit_line", "credit", "credit_reason"]/>
                    <input type="hidden" name="invoice" value=id/>
                    <SelectField label=tr!(i18n, billing.fields.credit_line) name="credit_line" options=Signal::stored(lines) error=credit_error/>
                    <Field label=tr!(i18n, billing.fields.credit) name="credit" hint=tr!(i18n, billing.invoice.credit_hint) error=credit_error/>
                    <Field label=tr!(i18n, billing.fields.credit_reason) name="credit_reason" required=true error=credit_error/>
                    <Submit label=tr!(i18n, billing.invoice.issue_credit) pending=credit.pending()/>
                </ActionForm>
            })}
        </section>
    }
}

fn nature(locale: Locale, n: Nature) -> String {
    match n {
        Nature::Services => td_string!(locale, billing.nature.services),
        Nature::Goods => td_string!(locale, billing.nature.goods),
        Nature::Both => td_string!(locale, billing.nature.both),
    }
    .to_string()
}

#[component]
fn Document(d: InvoiceDoc) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let kind = match d.kind {
        InvoiceKind::Invoice => td_string!(locale, billing.invoice.invoice),
        InvoiceKind::CreditNote => td_string!(locale, billing.invoice.credit_note),
    };
    let heading = match &d.number {
        Some(n) => format!("{kind} {n}"),
        None => td_string!(locale, billing.invoice.draft_heading, kind = kind).to_string(),
    };
    let seller = d.seller.clone();
    view! {
        <article class="invoice-document">
            <header>
                <h1>{heading}</h1>
                {d.issue_date.map(|day| view! { <p>{td_string!(locale, billing.invoice.issued_on, date = format::date(day, locale)).to_string()}</p> })}
                <p>{td_string!(locale, billing.invoice.period, from = format::date(d.period.0, locale), until = format::date(d.period.1, locale)).to_string()}</p>
                <p>{td_string!(locale, billing.invoice.nature, nature = nature(locale, d.nature)).to_string()}</p>
                {d.number.is_some().then(|| view! {
                    <p class="downloads">
                        <a href=format!("/factures/{}/facture.pdf", d.id) download="">{t!(i18n, billing.invoice.pdf)}</a>
                        " · "
                        <a href=format!("/factures/{}/factur-x.xml", d.id) download="">{t!(i18n, billing.invoice.xml)}</a>
                    </p>
                })}
                {d.corrects.clone().map(|(id, number, day)| view! {
                    <p>{t!(i18n, billing.invoice.corrects)} " " <a href=format!("/factures/{id}")>{number}</a> " (" {format::date(day, locale)} ")"</p>
                })}
            </header>
            <div class="parties">
                {seller.map(|s| view! {
                    <section>
                        <h2>{t!(i18n, billing.invoice.seller)}</h2>
                        <p><strong>{s.name.clone()}</strong><br/>{s.legal_form.clone()}
                            {s.share_capital_cents.map(|c| format!(", {} {}", td_string!(locale, billing.invoice.capital), format::money(c, locale)))}</p>
                        <p>{s.address.one_line()}</p>
                        <p>{format!("SIRET {}", s.siret)}{(!s.rcs_city.is_empty()).then(|| format!(" · RCS {}", s.rcs_city))}</p>
                        <p>{td_string!(locale, billing.invoice.vat_number, number = s.vat_number.clone()).to_string()}</p>
                    </section>
                })}
                <section>
                    <h2>{t!(i18n, billing.invoice.buyer)}</h2>
                    <p><strong>{d.buyer.name.clone()}</strong></p>
                    <p>{d.buyer.address.one_line()}</p>
                    {d.buyer.siren.clone().map(|s| view! { <p>{format!("SIREN {s}")}</p> })}
                    {d.buyer.vat_number.clone().map(|v| view! { <p>{td_string!(locale, billing.invoice.vat_number, number = v).to_string()}</p> })}
                    {d.delivery_address.clone().map(|a| view! { <p>{td_string!(locale, billing.invoice.delivery, address = a).to_string()}</p> })}
                </section>
            </div>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, billing.fields.description)}</th>
                            <th scope="col">{t!(i18n, billing.fields.quantity)}</th>
                            <th scope="col">{t!(i18n, billing.fields.unit_price)}</th>
                            <th scope="col">{t!(i18n, billing.fields.vat_rate)}</th>
                            <th scope="col">{t!(i18n, billing.fields.excl)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d.lines.iter().map(|l| view! {
                            <tr>
                                <td>
                                    {l.description.clone()}
                                    {l.exemption.clone().map(|e| view! { <br/><small>{e}</small> })}
                                    {l.reason.clone().map(|r| view! { <br/><small>{td_string!(locale, billing.invoice.reason, reason = r).to_string()}</small> })}
                                </td>
                                <td class="number">{l.quantity}</td>
                                <td class="number">{format::money(l.unit_cents, locale)}</td>
                                <td class="number">{format::percent_bp(l.vat_bp, locale)}</td>
                                <td class="number">{format::money(l.net_cents, locale)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="table-wrap">
                <table class="totals">
                    <caption>{t!(i18n, billing.invoice.vat_totals)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, billing.fields.vat_rate)}</th>
                            <th scope="col">{t!(i18n, billing.invoice.base)}</th>
                            <th scope="col">{t!(i18n, billing.invoice.vat)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {d.vat.iter().map(|v| view! {
                            <tr>
                                <th scope="row">{format::percent_bp(v.vat_bp, locale)}</th>
                                <td class="number">{format::money(v.base_cents, locale)}</td>
                                <td class="number">{format::money(v.vat_cents, locale)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr><th scope="row">{t!(i18n, billing.fields.excl)}</th><td></td><td class="number">{format::money(d.excl_cents, locale)}</td></tr>
                        <tr><th scope="row">{t!(i18n, billing.invoice.vat)}</th><td></td><td class="number">{format::money(d.vat_cents, locale)}</td></tr>
                        <tr><th scope="row">{t!(i18n, billing.fields.incl)}</th><td></td><td class="number"><strong>{format::money(d.incl_cents, locale)}</strong></td></tr>
                    </tfoot>
                </table>
            </div>
            {(d.kind == InvoiceKind::Invoice).then(|| view! {
                <section class="terms">
                    {d.due_date.map(|day| view! { <p><strong>{td_string!(locale, billing.invoice.due_on, date = format::date(day, locale)).to_string()}</strong></p> })}
                    <p>{td_string!(locale, billing.invoice.paid_due, paid = format::money(d.paid_cents, locale), credited = format::money(d.credited_cents, locale), due = format::money(d.due_cents, locale)).to_string()}</p>
                    {d.seller.clone().map(|s| view! {
                        <p>{td_string!(locale, billing.invoice.penalties, rate = format::percent_bp(s.penalty_rate_bp, locale)).to_string()}</p>
                        {d.buyer.is_business.then(|| view! { <p>{td_string!(locale, billing.invoice.indemnity, amount = format::money(RECOVERY_INDEMNITY_CENTS, locale)).to_string()}</p> })}
                        <p>{s.early_discount.clone()}</p>
                        {s.vat_on_debits.then(|| view! { <p>{t!(i18n, billing.invoice.vat_on_debits)}</p> })}
                        <p>{td_string!(locale, billing.invoice.pay_to, iban = s.iban.clone(), bic = s.bic.clone()).to_string()}</p>
                    })}
                </section>
            })}
            {(!d.credit_notes.is_empty()).then(|| view! {
                <section>
                    <h2>{t!(i18n, billing.invoice.credit_notes)}</h2>
                    <ul>
                        {d.credit_notes.iter().map(|(id, number, incl)| view! {
                            <li><a href=format!("/factures/{id}")>{number.clone()}</a> " · " {format::money(*incl, locale)}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!d.payments.is_empty()).then(|| view! {
                <section>
                    <h2>{t!(i18n, billing.invoice.payments)}</h2>
                    <ul>
                        {d.payments.iter().map(|p| view! {
                            <li>{format::date(p.received_on, locale)} " · " {method(locale, p.method)} " · " {format::money(p.amount_cents, locale)} {(!p.reference.is_empty()).then(|| format!(" · {}", p.reference))}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}
