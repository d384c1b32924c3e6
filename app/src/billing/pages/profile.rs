//! An organisation's billing identity, for managers: the name, address, SIREN, VAT number and
//! e-mail its invoices carry, and whether its members see them. The preview's "no billing
//! address" warning links here.
use crate::billing::api::{SaveProfile, get_profile};
use crate::billing::model::ProfilePage;
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::i18n::{t, td_string, use_i18n};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn BillingProfilePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let page = Resource::new(move || id.clone(), get_profile);
    view! {
        <PageTitle text=|locale| td_string!(locale, billing.profile.title).to_string()/>
        <Loaded resource=page then={move |p: ProfilePage| view! { <ProfileEditor p/> }}/>
    }
}

#[component]
fn ProfileEditor(p: ProfilePage) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfile>::new();
    let error = action_error(save);
    let saved = use_query_map().with_untracked(|q| q.get("enregistre").is_some());
    let f = p.form;
    let v = |s: &String| Signal::stored(s.clone());
    view! {
        <section>
            <p><a href="/gestion/structures">{t!(i18n, billing.profile.back)}</a></p>
            <h1>{td_string!(i18n.get_locale_untracked(), billing.profile.heading, name = p.organisation_name.clone()).to_string()}</h1>
            <p class="lead">{t!(i18n, billing.profile.intro)}</p>
            {saved.then(|| view! { <p class="notice" role="status">{t!(i18n, billing.profile.saved)}</p> })}
            {(!p.exists).then(|| view! { <p class="notice warning">{t!(i18n, billing.profile.missing)}</p> })}
            <ActionForm action=save attr:novalidate=true attr:class="stack">
                <FormError error fields=&["legal_name", "street", "postcode", "city", "country", "siren", "vat_number", "email"]/>
                <input type="hidden" name="organisation" value=p.organisation_id/>
                <Field label=tr!(i18n, billing.profile.legal_name) name="legal_name" value=v(&f.legal_name) required=true autocomplete="organization" error/>
                <Field label=tr!(i18n, billing.fields.street) name="street" value=v(&f.street) required=true autocomplete="street-address" error/>
                <Field label=tr!(i18n, billing.fields.postcode) name="postcode" value=v(&f.postcode) required=true autocomplete="postal-code" error/>
                <Field label=tr!(i18n, billing.fields.city) name="city" value=v(&f.city) required=true autocomplete="address-level2" error/>
                <Field label=tr!(i18n, billing.fields.country) name="country" value=v(&f.country) error/>
                <Field label=tr!(i18n, billing.profile.siren) name="siren" value=v(&f.siren) hint=tr!(i18n, billing.profile.siren_hint) error/>
                <Field label=tr!(i18n, billing.seller.vat_number) name="vat_number" value=v(&f.vat_number) error/>
                <Field label=tr!(i18n, billing.profile.email) name="email" input_type="email" value=v(&f.email) required=true autocomplete="email" error/>
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" name="members_see_invoices" value="1" checked=f.members_see_invoices/>
                        " " {t!(i18n, billing.profile.members_see)}
                    </label>
                </div>
                <Submit label=tr!(i18n, billing.profile.save) pending=save.pending()/>
            </ActionForm>
        </section>
    }
}
