//! One lease: its terms and every version, for managers and the organisation that holds it.
use super::status_label;
use crate::components::{Field, FormError, Loaded, PageTitle, action_error};
use crate::format;
use crate::hosting::api::{EndLease, GiveNotice, get_lease};
use crate::hosting::model::{LeaseDetail, LeaseVersionView};
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn LeasePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| {
        let has = |k: &str| q.get(k).is_some();
        Done {
            saved: has("enregistre"),
            noticed: has("preavis"),
            amended: has("avenant"),
            ended: has("fin"),
        }
    });
    let lease = Resource::new(move || id.clone(), get_lease);
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.lease.title).to_string()/>
        <Loaded resource=lease then={move |d: LeaseDetail| view! { <LeaseView d done/> }}/>
    }
}

/// What the form that sent the visitor here has just done.
#[derive(Clone, Copy)]
struct Done {
    saved: bool,
    noticed: bool,
    amended: bool,
    ended: bool,
}

#[component]
fn LeaseView(d: LeaseDetail, done: Done) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let s = &d.summary;
    let ends = match s.ends_on {
        Some(end) => format::date(end, locale),
        None => td_string!(locale, hosting.lease.open_ended).to_string(),
    };
    let facts = [
        (
            td_string!(locale, hosting.fields.organisation).to_string(),
            s.organisation.clone(),
        ),
        (
            td_string!(locale, hosting.leases.status).to_string(),
            status_label(locale, s.status),
        ),
        (
            td_string!(locale, hosting.fields.starts_on).to_string(),
            format::date(s.starts_on, locale),
        ),
        (td_string!(locale, hosting.fields.ends_on).to_string(), ends),
        (
            td_string!(locale, hosting.fields.notice_months).to_string(),
            td_string!(locale, hosting.lease.months, n = d.notice_months).to_string(),
        ),
        (
            td_string!(locale, hosting.fields.deposit).to_string(),
            format::money(d.deposit_cents, locale),
        ),
        (
            td_string!(locale, hosting.fields.included_hours).to_string(),
            format::duration(i64::from(d.included_room_minutes), locale),
        ),
        (
            td_string!(locale, hosting.fields.billing_day).to_string(),
            d.billing_day.to_string(),
        ),
        (
            td_string!(locale, hosting.leases.monthly).to_string(),
            format::money(s.monthly_fee_cents, locale),
        ),
    ];
    let title = td_string!(locale, hosting.lease.number, id = s.id).to_string();
    let notice_given = d.notice_given_on.zip(s.ends_on).map(|(on, end)| {
        let text = td_string!(
            locale,
            hosting.lease.notice_given,
            on = format::date(on, locale),
            end = format::date(end, locale)
        )
        .to_string();
        view! { <p class="notice warning">{text}</p> }
    });
    let ended_early = d.end_reason.clone().zip(s.ends_on).map(|(why, end)| {
        let text = td_string!(
            locale,
            hosting.lease.ended_early,
            end = format::date(end, locale),
            reason = why
        )
        .to_string();
        view! { <p class="notice warning">{text}</p> }
    });
    view! {
        <section>
            <h1>{title}</h1>
            {done.saved.then(|| view! { <p class="notice" role="status">{t!(i18n, hosting.lease.saved)}</p> })}
            {done.noticed.then(|| view! { <p class="notice" role="status">{t!(i18n, hosting.lease.notice_saved)}</p> })}
            {done.amended.then(|| view! { <p class="notice" role="status">{t!(i18n, hosting.lease.amended)}</p> })}
            {done.ended.then(|| view! { <p class="notice" role="status">{t!(i18n, hosting.lease.end_saved)}</p> })}
            {notice_given}
            {ended_early}
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <p>
                <a class="button secondary" href=format!("/baux/{}/document", s.id)>{t!(i18n, hosting.document.open)}</a> " "
                <a class="button secondary" href=format!("/baux/{}/bail.pdf", s.id) download>{t!(i18n, hosting.document.pdf)}</a>
            </p>
            {d.notice_would_end.map(|end| view! { <NoticeForm id=s.id months=d.notice_months end/> })}
            {d.may_change.then(|| view! {
                <p><a class="button secondary" href=format!("/gestion/baux/{}/avenant", s.id)>{t!(i18n, hosting.lease.amend_link)}</a></p>
                <EndForm id=s.id/>
            })}
            <h2>{t!(i18n, hosting.lease.history)}</h2>
            {d.versions.into_iter().rev().map(|v| version_view(v, locale)).collect_view()}
        </section>
    }
}

/// Notice, for the organisation's referent (or a manager on their behalf), with the lease's
/// last day written out before anything is sent.
#[component]
fn NoticeForm(id: i32, months: i32, end: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let give = ServerAction::<GiveNotice>::new();
    let error = action_error(give);
    let end = format::date(end, locale);
    let intro = td_string!(
        locale,
        hosting.lease.notice_intro,
        n = months,
        end = end.clone()
    )
    .to_string();
    let confirm = td_string!(locale, hosting.lease.notice_confirm, end = end).to_string();
    view! {
        <section aria-labelledby="conge">
            <h2 id="conge">{t!(i18n, hosting.lease.notice)}</h2>
            <ActionForm action=give attr:class="stack">
                <FormError error fields=&[]/>
                <input type="hidden" name="id" value=id/>
                <p>{intro}</p>
                <div class="field checkbox">
                    <input id="champ-confirm" type="checkbox" name="confirm" value="on"/>
                    <label for="champ-confirm">{confirm}</label>
                </div>
                <button type="submit" class="button danger">{t!(i18n, hosting.lease.notice_submit)}</button>
            </ActionForm>
        </section>
    }
}

/// An early end by agreement, for managers: the last day and the reason, both required.
#[component]
fn EndForm(id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let end = ServerAction::<EndLease>::new();
    let error = action_error(end);
    view! {
        <details class="end-early">
            <summary>{t!(i18n, hosting.lease.end_early)}</summary>
            <ActionForm action=end attr:novalidate=true attr:class="stack">
                <FormError error fields=&["ends_on", "end_reason"]/>
                <input type="hidden" name="id" value=id/>
                <p class="hint">{t!(i18n, hosting.lease.end_intro)}</p>
                <Field label=tr!(i18n, hosting.lease.end_day) name="ends_on" input_type="date" required=true error/>
                <Field label=tr!(i18n, hosting.lease.end_reason) name="end_reason" required=true error/>
                <button type="submit" class="button danger">{t!(i18n, hosting.lease.end_submit)}</button>
            </ActionForm>
        </details>
    }
}

fn version_view(v: LeaseVersionView, locale: Locale) -> impl IntoView {
    let when = match v.effective_until {
        Some(until) => td_string!(
            locale,
            hosting.leases.from_until,
            from = format::date(v.effective_from, locale),
            until = format::date(until, locale)
        )
        .to_string(),
        None => td_string!(
            locale,
            hosting.leases.from,
            from = format::date(v.effective_from, locale)
        )
        .to_string(),
    };
    let heading = td_string!(
        locale,
        hosting.lease.version,
        n = v.number,
        when = when,
        by = v.created_by
    )
    .to_string();
    let total: i64 = v.lines.iter().map(|l| l.fee_cents).sum();
    let label = heading.clone();
    view! {
        <section class="lease-version" aria-label=label>
            <h3>{heading}</h3>
            {(!v.reason.is_empty()).then(|| view! { <p>{v.reason.clone()}</p> })}
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, hosting.fields.unit).to_string()}</th>
                            <th scope="col">{td_string!(locale, hosting.fields.area).to_string()}</th>
                            <th scope="col">{td_string!(locale, hosting.fields.list_price).to_string()}</th>
                            <th scope="col">{td_string!(locale, hosting.fields.fee).to_string()}</th>
                            <th scope="col">{td_string!(locale, hosting.fields.vat).to_string()}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {v.lines.into_iter().map(|l| view! {
                            <tr>
                                <th scope="row">{l.unit} " · " {labels::space_kind(locale, l.kind)}</th>
                                <td class="number">{format::area(i64::from(l.area_m2), locale)}</td>
                                <td class="number">{format::money(l.list_fee_cents, locale)}</td>
                                <td class="number">
                                    {format::money(l.fee_cents, locale)}
                                    {l.discount_reason.map(|r| view! { <br/><small>{r}</small> })}
                                </td>
                                <td class="number">{format::percent_bp(l.vat_rate_bp, locale)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="3">{td_string!(locale, hosting.leases.monthly).to_string()}</th>
                            <td class="number">{format::money(total, locale)}</td>
                            <td></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
    }
}
