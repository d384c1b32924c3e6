//! An amendment (avenant): a manager sets a lease's units and fees from a given day. The form
//! starts from the terms of the latest version; earlier versions stay as they were.
use super::new_lease::{by_kind, unit_group};
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::hosting::api::{AmendLease, get_lease, lease_form_choices};
use crate::hosting::model::{LeaseDetail, LeaseFormOptions};
use crate::i18n::{t, td_string, use_i18n};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::collections::HashMap;

#[component]
pub fn AmendLeasePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(
        move || id.clone(),
        |id| async move {
            Ok((
                get_lease(id).await?,
                lease_form_choices(String::new()).await?,
            ))
        },
    );
    view! {
        <PageTitle text=|locale| td_string!(locale, hosting.amend.title).to_string()/>
        <Loaded resource=data then={move |(d, o): (LeaseDetail, LeaseFormOptions)| view! { <AmendForm d o/> }}/>
    }
}

#[component]
fn AmendForm(d: LeaseDetail, o: LeaseFormOptions) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let amend = ServerAction::<AmendLease>::new();
    let error = action_error(amend);
    let id = d.summary.id;
    let latest = d.versions.last();
    let current: HashMap<i32, i64> = latest
        .map(|v| v.lines.iter().map(|l| (l.space_id, l.fee_cents)).collect())
        .unwrap_or_default();
    let discount = latest
        .and_then(|v| v.lines.iter().find_map(|l| l.discount_reason.clone()))
        .unwrap_or_default();
    let heading = td_string!(
        locale,
        hosting.amend.heading,
        id = id,
        organisation = d.summary.organisation.clone()
    )
    .to_string();
    let groups = by_kind(&o.units)
        .into_iter()
        .map(|(kind, units)| unit_group(kind, units, locale, &current))
        .collect_view();
    view! {
        <section>
            <p><a href=format!("/baux/{id}")>{td_string!(locale, hosting.amend.back, id = id).to_string()}</a></p>
            <h1>{heading}</h1>
            <p class="lead">{t!(i18n, hosting.amend.intro)}</p>
            <ActionForm action=amend attr:novalidate=true attr:class="stack">
                <FormError error fields=&["effective_from", "units", "fee_amounts", "discount_reason", "reason"]/>
                <input type="hidden" name="id" value=id/>
                <Field label=tr!(i18n, hosting.amend.effective_from) name="effective_from" input_type="date" required=true hint=tr!(i18n, hosting.amend.effective_from_hint) error/>
                <fieldset>
                    <legend>{t!(i18n, hosting.new.units)}</legend>
                    <p class="hint">{t!(i18n, hosting.amend.units_hint)}</p>
                    <super::new_lease::UnitsError error/>
                    {groups}
                </fieldset>
                <Field label=tr!(i18n, hosting.fields.discount_reason) name="discount_reason" value=Signal::stored(discount) hint=tr!(i18n, hosting.new.discount_hint) error/>
                <Field label=tr!(i18n, hosting.amend.reason) name="reason" required=true error/>
                <Submit label=tr!(i18n, hosting.amend.submit) pending=amend.pending()/>
            </ActionForm>
        </section>
    }
}
