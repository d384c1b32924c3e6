//! The seller's identity as invoices print it: a form that saves a new version, and the
//! versions before it (old invoices keep theirs).
use crate::billing::api::{SaveSeller, get_seller};
use crate::billing::model::{SellerForm, SellerVersion};
use crate::components::{Field, FormError, Loaded, PageTitle, Submit, action_error};
use crate::format;
use crate::i18n::{t, td_string, use_i18n};
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn SellerPage() -> impl IntoView {
    let versions = Resource::new(|| (), |_| get_seller());
    view! {
        <PageTitle text=|locale| td_string!(locale, billing.seller.title).to_string()/>
        <Loaded resource=versions then={move |v: Vec<SellerVersion>| view! { <SellerEditor versions=v/> }}/>
    }
}

#[component]
fn SellerEditor(versions: Vec<SellerVersion>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let save = ServerAction::<SaveSeller>::new();
    let error = action_error(save);
    let f = versions
        .first()
        .map(|v| v.seller.to_form())
        .unwrap_or_else(|| SellerForm {
            country: "FR".into(),
            payment_days: "30".into(),
            ..Default::default()
        });
    let v = |s: &String| Signal::stored(s.clone());
    view! {
        <section>
            <h1>{t!(i18n, billing.seller.title)}</h1>
            <p class="lead">{t!(i18n, billing.seller.intro)}</p>
            <ActionForm action=save attr:novalidate=true attr:class="stack">
                <FormError error fields=&["name", "legal_form", "share_capital", "street", "postcode", "city", "country", "siret", "rcs_city", "vat_number", "iban", "bic", "penalty_rate", "payment_days", "early_discount"]/>
                <fieldset>
                    <legend>{t!(i18n, billing.seller.identity)}</legend>
                    <Field label=tr!(i18n, billing.seller.name) name="name" value=v(&f.name) required=true error/>
                    <Field label=tr!(i18n, billing.seller.legal_form) name="legal_form" value=v(&f.legal_form) required=true error/>
                    <Field label=tr!(i18n, billing.seller.share_capital) name="share_capital" value=v(&f.share_capital) hint=tr!(i18n, billing.seller.share_capital_hint) error/>
                    <Field label=tr!(i18n, billing.seller.siret) name="siret" value=v(&f.siret) required=true error/>
                    <Field label=tr!(i18n, billing.seller.rcs_city) name="rcs_city" value=v(&f.rcs_city) hint=tr!(i18n, billing.seller.rcs_hint) error/>
                    <Field label=tr!(i18n, billing.seller.vat_number) name="vat_number" value=v(&f.vat_number) required=true error/>
                </fieldset>
                <fieldset>
                    <legend>{t!(i18n, billing.seller.address)}</legend>
                    <Field label=tr!(i18n, billing.fields.street) name="street" value=v(&f.street) required=true autocomplete="street-address" error/>
                    <Field label=tr!(i18n, billing.fields.postcode) name="postcode" value=v(&f.postcode) required=true autocomplete="postal-code" error/>
                    <Field label=tr!(i18n, billing.fields.city) name="city" value=v(&f.city) required=true autocomplete="address-level2" error/>
                    <Field label=tr!(i18n, billing.fields.country) name="country" value=v(&f.country) error/>
                </fieldset>
                <fieldset>
                    <legend>{t!(i18n, billing.seller.payment)}</legend>
                    <Field label=tr!(i18n, billing.seller.iban) name="iban" value=v(&f.iban) required=true error/>
                    <Field label=tr!(i18n, billing.seller.bic) name="bic" value=v(&f.bic) required=true error/>
                    <Field label=tr!(i18n, billing.seller.payment_days) name="payment_days" input_type="number" value=v(&f.payment_days) required=true error/>
                    <Field label=tr!(i18n, billing.seller.penalty_rate) name="penalty_rate" value=v(&f.penalty_rate) required=true hint=tr!(i18n, billing.seller.penalty_hint) error/>
                    <Field label=tr!(i18n, billing.seller.early_discount) name="early_discount" value=v(&f.early_discount) required=true error/>
                    <div class="field checkbox">
                        <label>
                            <input type="checkbox" name="vat_on_debits" value="1" checked=f.vat_on_debits/>
                            " " {t!(i18n, billing.seller.vat_on_debits)}
                        </label>
                    </div>
                </fieldset>
                <Submit label=tr!(i18n, billing.seller.save) pending=save.pending()/>
            </ActionForm>
        </section>
        <section>
            <h2>{t!(i18n, billing.seller.versions)}</h2>
            {if versions.is_empty() {
                view! { <p>{t!(i18n, billing.seller.no_version)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {versions.iter().map(|v| view! {
                            <li>{td_string!(locale, billing.seller.version_line, version = v.version, by = v.created_by.clone(), at = format::date_time(v.created_at, locale)).to_string()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
