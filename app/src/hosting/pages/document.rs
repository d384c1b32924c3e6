//! The lease as a document: both parties, the units with their area and fee, the dates, the
//! notice period, the deposit and the included hours, then the amendments and room for the
//! signatures. Laid out for paper (the print style drops the site's chrome); its PDF is at
//! `/baux/{id}/bail.pdf`.
use crate::components::{Loaded, PageTitle};
use crate::format;
use crate::hosting::api::get_lease_document;
use crate::hosting::model::{LeaseDocument, Party};
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LeaseDocumentPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let doc = Resource::new(move || id.clone(), get_lease_document);
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.document.title).to_string()/>
        <Loaded resource=doc then={move |d: LeaseDocument| view! { <DocumentView d/> }}/>
    }
}

fn party_view(role: String, p: &Party, locale: Locale) -> impl IntoView + use<> {
    let mut lines = vec![p.name.clone()];
    if let Some(f) = p.legal_form {
        lines.push(labels::legal_form(locale, f));
    }
    if let Some(s) = &p.siret {
        lines.push(td_string!(locale, hosting.document.siret, siret = s.clone()).to_string());
    }
    if let Some(a) = &p.address {
        lines.push(a.clone());
    }
    if let Some(s) = &p.signatory {
        lines.push(
            td_string!(locale, hosting.document.represented_by, name = s.clone()).to_string(),
        );
    }
    view! {
        <div class="party">
            <h3>{role}</h3>
            {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        </div>
    }
}

/// The lines of the document as the PDF writes them too: (heading level, text).
pub fn document_lines(d: &LeaseDocument, locale: Locale) -> Vec<(u8, String)> {
    let l = &d.lease;
    let s = &l.summary;
    let mut out = vec![
        (
            1,
            td_string!(locale, hosting.document.heading, id = s.id).to_string(),
        ),
        (2, td_string!(locale, hosting.document.between).to_string()),
    ];
    for (role, p) in [
        (
            td_string!(locale, hosting.document.operator).to_string(),
            &d.operator,
        ),
        (
            td_string!(locale, hosting.document.tenant).to_string(),
            &d.tenant,
        ),
    ] {
        let mut who = vec![p.name.clone()];
        who.extend(p.legal_form.map(|f| labels::legal_form(locale, f)));
        who.extend(
            p.siret
                .clone()
                .map(|s| td_string!(locale, hosting.document.siret, siret = s).to_string()),
        );
        who.extend(p.address.clone());
        who.extend(
            p.signatory
                .clone()
                .map(|n| td_string!(locale, hosting.document.represented_by, name = n).to_string()),
        );
        out.push((3, role));
        out.push((0, who.join(", ")));
    }
    out.push((2, td_string!(locale, hosting.document.units).to_string()));
    if let Some(v) = d.terms() {
        for line in &v.lines {
            out.push((
                0,
                format!(
                    "{} ({}) · {} · {} · {}",
                    line.unit,
                    labels::space_kind(locale, line.kind),
                    format::area(i64::from(line.area_m2), locale),
                    td_string!(
                        locale,
                        hosting.document.fee_line,
                        fee = format::money(line.fee_cents, locale)
                    ),
                    td_string!(
                        locale,
                        hosting.document.vat_line,
                        rate = format::percent_bp(line.vat_rate_bp, locale)
                    ),
                ),
            ));
        }
        let total: i64 = v.lines.iter().map(|l| l.fee_cents).sum();
        out.push((
            0,
            td_string!(
                locale,
                hosting.document.total,
                fee = format::money(total, locale)
            )
            .to_string(),
        ));
    }
    out.push((2, td_string!(locale, hosting.document.terms).to_string()));
    let end = match s.ends_on {
        Some(e) => td_string!(
            locale,
            hosting.document.until,
            day = format::date(e, locale)
        )
        .to_string(),
        None => td_string!(locale, hosting.document.open_ended).to_string(),
    };
    out.extend([
        (
            0,
            td_string!(
                locale,
                hosting.document.starts,
                day = format::date(s.starts_on, locale)
            )
            .to_string(),
        ),
        (0, end),
        (
            0,
            td_string!(locale, hosting.document.notice, n = l.notice_months).to_string(),
        ),
        (
            0,
            td_string!(
                locale,
                hosting.document.deposit,
                amount = format::money(l.deposit_cents, locale)
            )
            .to_string(),
        ),
        (
            0,
            td_string!(
                locale,
                hosting.document.included,
                hours = format::duration(i64::from(l.included_room_minutes), locale)
            )
            .to_string(),
        ),
        (
            0,
            td_string!(locale, hosting.document.billing, day = l.billing_day).to_string(),
        ),
    ]);
    if let Some(on) = l.notice_given_on {
        out.push((
            0,
            td_string!(
                locale,
                hosting.document.notice_given,
                day = format::date(on, locale)
            )
            .to_string(),
        ));
    }
    if l.versions.len() > 1 {
        out.push((
            2,
            td_string!(locale, hosting.document.amendments).to_string(),
        ));
        for v in l.versions.iter().skip(1) {
            out.push((
                0,
                td_string!(
                    locale,
                    hosting.document.amendment,
                    n = v.number,
                    day = format::date(v.effective_from, locale),
                    reason = v.reason.clone()
                )
                .to_string(),
            ));
        }
    }
    out.push((
        2,
        td_string!(locale, hosting.document.signatures).to_string(),
    ));
    out.push((
        0,
        td_string!(
            locale,
            hosting.document.signed_at,
            day = format::date(d.printed_on, locale)
        )
        .to_string(),
    ));
    out
}

#[component]
fn DocumentView(d: LeaseDocument) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let s = d.lease.summary.clone();
    let lines = document_lines(&d, locale);
    let terms = d.terms().cloned();
    // The terms paragraph: every line of the "terms" section of the shared list.
    let terms_heading = td_string!(locale, hosting.document.terms).to_string();
    let units_heading = td_string!(locale, hosting.document.units).to_string();
    let term_lines: Vec<String> = lines
        .iter()
        .skip_while(|(level, text)| !(*level == 2 && *text == terms_heading))
        .skip(1)
        .take_while(|(level, _)| *level == 0)
        .map(|(_, t)| t.clone())
        .collect();
    let amendments: Vec<String> = d
        .lease
        .versions
        .iter()
        .skip(1)
        .map(|v| {
            td_string!(
                locale,
                hosting.document.amendment,
                n = v.number,
                day = format::date(v.effective_from, locale),
                reason = v.reason.clone()
            )
            .to_string()
        })
        .collect();
    view! {
        <article class="lease-document">
            <p class="no-print">
                <a href=format!("/baux/{}", s.id)>{t!(i18n, hosting.document.back)}</a> " · "
                <a href=format!("/baux/{}/bail.pdf", s.id) download>{t!(i18n, hosting.document.pdf)}</a>
                " · " <span class="hint">{t!(i18n, hosting.document.print_hint)}</span>
            </p>
            <h1>{td_string!(locale, hosting.document.heading, id = s.id).to_string()}</h1>
            <h2>{t!(i18n, hosting.document.between)}</h2>
            <div class="parties">
                {party_view(td_string!(locale, hosting.document.operator).to_string(), &d.operator, locale)}
                {party_view(td_string!(locale, hosting.document.tenant).to_string(), &d.tenant, locale)}
            </div>
            <h2>{units_heading}</h2>
            {terms.map(|v| {
                let total: i64 = v.lines.iter().map(|l| l.fee_cents).sum();
                view! {
                    <table>
                        <thead><tr>
                            <th scope="col">{t!(i18n, hosting.fields.unit)}</th>
                            <th scope="col">{t!(i18n, hosting.fields.area)}</th>
                            <th scope="col">{t!(i18n, hosting.fields.fee)}</th>
                            <th scope="col">{t!(i18n, hosting.fields.vat)}</th>
                        </tr></thead>
                        <tbody>
                            {v.lines.into_iter().map(|l| view! {
                                <tr>
                                    <th scope="row">{l.unit} " · " {labels::space_kind(locale, l.kind)}</th>
                                    <td class="number">{format::area(i64::from(l.area_m2), locale)}</td>
                                    <td class="number">{format::money(l.fee_cents, locale)}</td>
                                    <td class="number">{format::percent_bp(l.vat_rate_bp, locale)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr>
                            <th scope="row" colspan="2">{t!(i18n, hosting.leases.monthly)}</th>
                            <td class="number">{format::money(total, locale)}</td>
                            <td></td>
                        </tr></tfoot>
                    </table>
                }
            })}
            <h2>{terms_heading.clone()}</h2>
            <ul>{term_lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            {(!amendments.is_empty()).then(|| view! {
                <h2>{t!(i18n, hosting.document.amendments)}</h2>
                <ul>{amendments.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
            })}
            <h2>{t!(i18n, hosting.document.signatures)}</h2>
            <p>{td_string!(locale, hosting.document.signed_at, day = format::date(d.printed_on, locale)).to_string()}</p>
            <div class="signatures">
                <div><p>{t!(i18n, hosting.document.operator)}</p><p class="signature-box"></p></div>
                <div><p>{t!(i18n, hosting.document.tenant)}</p><p class="signature-box"></p></div>
            </div>
        </article>
    }
}
