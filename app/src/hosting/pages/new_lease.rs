//! The lease form: a manager records a signed lease for an organisation and its units.
use crate::components::{Field, FormError, Loaded, PageTitle, SelectField, Submit, action_error};
use crate::format;
use crate::hosting::api::{CreateLease, lease_form_choices};
use crate::hosting::model::{LeaseFormOptions, UnitOffer};
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels;
use crate::organisations::model::Tier;
use crate::spaces::model::SpaceKind;
use crate::tr;
use leptos::prelude::*;
use std::collections::HashMap;

#[component]
pub fn NewLeasePage() -> impl IntoView {
    let from = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("candidature").unwrap_or_default());
    let options = Resource::new(move || from.clone(), lease_form_choices);
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.new.title).to_string()/>
        <Loaded resource=options then={move |o: LeaseFormOptions| view! { <LeaseFormView o/> }}/>
    }
}

#[component]
fn LeaseFormView(o: LeaseFormOptions) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let create = ServerAction::<CreateLease>::new();
    let error = action_error(create);
    let organisations: Vec<(String, String)> = o
        .organisations
        .iter()
        .map(|org| {
            (
                org.id.to_string(),
                format!("{} ({})", org.name, labels::tier(locale, org.tier)),
            )
        })
        .collect();
    let groups = by_kind(&o.units);
    // From an accepted application: its organisation, dates and promised units, each at the
    // organisation's list price.
    let prefill = o.prefill.clone();
    let tier_index = prefill.as_ref().and_then(|p| {
        let tier = o
            .organisations
            .iter()
            .find(|org| org.id == p.organisation_id)?
            .tier;
        Tier::ALL.iter().position(|t| *t == tier)
    });
    let chosen: HashMap<i32, i64> = prefill
        .as_ref()
        .map(|p| {
            o.units
                .iter()
                .filter(|u| p.units.contains(&u.id))
                .filter_map(|u| Some((u.id, (*u.prices.get(tier_index?)?)?)))
                .collect()
        })
        .unwrap_or_default();
    let organisation = prefill
        .as_ref()
        .map(|p| p.organisation_id.to_string())
        .unwrap_or_default();
    let starts_on = prefill
        .as_ref()
        .map(|p| p.starts_on.to_string())
        .unwrap_or_default();
    let ends_on = prefill
        .as_ref()
        .and_then(|p| p.ends_on)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let application = prefill
        .as_ref()
        .map(|p| p.application_id.to_string())
        .unwrap_or_default();
    let from_note = prefill.as_ref().map(|p| {
        let href = format!("/candidatures/{}", p.application_id);
        let text = td_string!(
            locale,
            hosting.new.from_application,
            organisation = p.organisation_name.clone()
        )
        .to_string();
        view! { <p class="notice"><a href=href>{text}</a></p> }
    });
    view! {
        <section>
            <p><a href="/gestion/baux">{t!(i18n, hosting.new.back)}</a></p>
            <h1>{t!(i18n, hosting.new.title)}</h1>
            <p class="lead">{t!(i18n, hosting.new.intro)}</p>
            {from_note}
            <ActionForm action=create attr:novalidate=true attr:class="stack">
                <input type="hidden" name="application" value=application/>
                <FormError error fields=&["organisation_id", "starts_on", "ends_on", "notice_months", "deposit", "included_hours", "billing_day", "units", "fee_amounts", "discount_reason"]/>
                <SelectField label=tr!(i18n, hosting.fields.organisation) name="organisation_id" options=Signal::stored(organisations) selected=Signal::stored(organisation) error/>
                <div class="row">
                    <Field label=tr!(i18n, hosting.fields.starts_on) name="starts_on" input_type="date" required=true value=Signal::stored(starts_on) error/>
                    <Field label=tr!(i18n, hosting.fields.ends_on) name="ends_on" input_type="date" hint=tr!(i18n, hosting.new.ends_on_hint) value=Signal::stored(ends_on) error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, hosting.fields.notice_months) name="notice_months" input_type="number" min="0" value=Signal::stored("3".to_owned()) error/>
                    <Field label=tr!(i18n, hosting.fields.deposit) name="deposit" hint=tr!(i18n, hosting.new.deposit_hint) error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, hosting.fields.included_hours) name="included_hours" input_type="number" min="0" value=Signal::stored("6".to_owned()) error/>
                    <Field label=tr!(i18n, hosting.fields.billing_day) name="billing_day" input_type="number" min="1" value=Signal::stored("1".to_owned()) error/>
                </div>
                <fieldset>
                    <legend>{t!(i18n, hosting.new.units)}</legend>
                    <p class="hint">{t!(i18n, hosting.new.units_hint)}</p>
                    <UnitsError error/>
                    {groups.into_iter().map(|(kind, units)| unit_group(kind, units, locale, &chosen)).collect_view()}
                </fieldset>
                <Field label=tr!(i18n, hosting.fields.discount_reason) name="discount_reason" hint=tr!(i18n, hosting.new.discount_hint) error/>
                <Submit label=tr!(i18n, hosting.new.submit) pending=create.pending()/>
            </ActionForm>
        </section>
    }
}

/// The units' and fees' errors, shown above the table they are about.
#[component]
pub(super) fn UnitsError(error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let message = move || {
        error
            .get()
            .filter(|e| matches!(e.field(), Some("units" | "fee_amounts")))
            .map(|e| e.message().to_owned())
    };
    move || message().map(|m| view! { <p class="field-error" role="alert">{m}</p> })
}

/// The leasable units, by kind, in the order the forms show them.
pub(super) fn by_kind(units: &[UnitOffer]) -> [(SpaceKind, Vec<UnitOffer>); 3] {
    [SpaceKind::Office, SpaceKind::Desk, SpaceKind::Storage].map(|kind| {
        let units: Vec<UnitOffer> = units.iter().filter(|u| u.kind == kind).cloned().collect();
        (kind, units)
    })
}

/// One kind of unit as a table of checkboxes and fee boxes. `current` holds the units a lease
/// already has, with their fees: they come checked, their fee typed in, and their fold open.
pub(super) fn unit_group(
    kind: SpaceKind,
    units: Vec<UnitOffer>,
    locale: Locale,
    current: &HashMap<i32, i64>,
) -> impl IntoView + use<> {
    let caption = labels::space_kind(locale, kind);
    let open = units.iter().any(|u| current.contains_key(&u.id));
    let count = units.len();
    let rows = units
        .into_iter()
        .map(|u| {
            let fee = current.get(&u.id).copied();
            unit_row(u, locale, fee)
        })
        .collect_view();
    view! {
        <details class="unit-group" open=open>
            <summary>{format!("{caption} ({count})")}</summary>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, hosting.fields.unit).to_string()}</th>
                            <th scope="col">{td_string!(locale, hosting.fields.area).to_string()}</th>
                            {Tier::ALL.map(|tier| view! { <th scope="col">{labels::tier(locale, tier)}</th> }).collect_view()}
                            <th scope="col">{td_string!(locale, hosting.fields.fee).to_string()}</th>
                            <th scope="col">{td_string!(locale, hosting.new.let_today).to_string()}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

fn unit_row(u: UnitOffer, locale: Locale, fee: Option<i64>) -> impl IntoView {
    let typed = fee.map(|c| format::amount(c, locale)).unwrap_or_default();
    let check_id = format!("lot-{}", u.id);
    let fee_label = td_string!(locale, hosting.new.fee_of, unit = u.name.clone()).to_string();
    let held = u.let_to.clone().map(|org| match u.let_until {
        Some(until) => td_string!(
            locale,
            hosting.new.let_until,
            organisation = org,
            until = format::date(until, locale)
        )
        .to_string(),
        None => org,
    });
    view! {
        <tr>
            <th scope="row">
                <input type="checkbox" name="units[]" value=u.id id=check_id.clone() checked=fee.is_some()/>
                " "
                <label for=check_id>{u.name.clone()}</label>
            </th>
            <td class="number">{format::area(i64::from(u.area_m2), locale)}</td>
            {u.prices.iter().map(|p| view! {
                <td class="number">{p.map(|c| format::money(c, locale)).unwrap_or_else(|| "—".to_owned())}</td>
            }).collect_view()}
            <td>
                <input type="hidden" name="fee_units[]" value=u.id/>
                <input type="text" inputmode="decimal" name="fee_amounts[]" class="short" aria-label=fee_label value=typed/>
            </td>
            <td>{held.unwrap_or_default()}</td>
        </tr>
    }
}
