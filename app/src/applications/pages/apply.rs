//! The public application form, and the candidate's list of their applications.
use super::{applications_table, when};
use crate::applications::api::{SubmitApplication, my_applications, open_visit_slots};
use crate::applications::model::{ApplicationSummary, ESSAY_MAX, VisitSlotView};
use crate::components::{Field, FormError, Loaded, PageTitle, SelectField, Submit, action_error};
use crate::i18n::{t, td_string, use_i18n};
use crate::labels;
use crate::organisations::model::{LegalForm, Sector};
use crate::routes::Session;
use crate::tr;
use leptos::prelude::*;

const FIELDS: &[&str] = &[
    "organisation_name",
    "legal_form",
    "siret",
    "founded_year",
    "sector",
    "headcount",
    "address",
    "office_people",
    "desks",
    "storage_m2",
    "wanted_from",
    "duration_months",
    "project",
    "contribution",
    "contact_name",
    "contact_email",
    "contact_phone",
    "visit_slot",
    "account_name",
    "account_email",
    "account_password",
];

#[component]
pub fn ApplyPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let session = expect_context::<Session>();
    let action = ServerAction::<SubmitApplication>::new();
    let error = action_error(action);
    let slots = Resource::new(|| (), |_| open_visit_slots());
    let forms: Vec<(String, String)> = LegalForm::ALL
        .into_iter()
        .map(|f| (f.code().to_owned(), labels::legal_form(locale, f)))
        .collect();
    let sectors: Vec<(String, String)> = Sector::ALL
        .into_iter()
        .map(|s| (s.code().to_owned(), labels::sector(locale, s)))
        .collect();
    let essay_hint = td_string!(locale, applications.apply.essay_hint, max = ESSAY_MAX).to_string();
    view! {
        <PageTitle text=|locale| td_string!(locale, applications.apply.title).to_string()/>
        <section class="narrow">
            <h1>{t!(i18n, applications.apply.title)}</h1>
            <p class="lead">{t!(i18n, applications.apply.intro)}</p>
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormError error fields=FIELDS/>
                <fieldset class="stack">
                    <legend>{t!(i18n, applications.apply.organisation)}</legend>
                    <Field label=tr!(i18n, applications.fields.organisation_name) name="organisation_name" required=true error/>
                    <div class="row">
                        <SelectField label=tr!(i18n, applications.fields.legal_form) name="legal_form" options=Signal::stored(forms) error/>
                        <SelectField label=tr!(i18n, applications.fields.sector) name="sector" options=Signal::stored(sectors) error/>
                    </div>
                    <div class="row">
                        <Field label=tr!(i18n, applications.fields.siret) name="siret" hint=tr!(i18n, applications.apply.siret_hint) required=true error/>
                        <Field label=tr!(i18n, applications.fields.founded_year) name="founded_year" input_type="number" min="1800" required=true error/>
                        <Field label=tr!(i18n, applications.fields.headcount) name="headcount" input_type="number" min="1" required=true error/>
                    </div>
                    <div class="field checkbox">
                        <input id="champ-esus" type="checkbox" name="esus" value="on"/>
                        <label for="champ-esus">{t!(i18n, applications.fields.esus)}</label>
                    </div>
                    <TextArea name="address" label=tr!(i18n, applications.fields.address) rows=2 error/>
                </fieldset>
                <fieldset class="stack">
                    <legend>{t!(i18n, applications.apply.wants)}</legend>
                    <p class="hint">{t!(i18n, applications.apply.wants_hint)}</p>
                    <div class="row">
                        <Field label=tr!(i18n, applications.fields.office_people) name="office_people" input_type="number" min="0" error/>
                        <Field label=tr!(i18n, applications.fields.desks) name="desks" input_type="number" min="0" error/>
                        <Field label=tr!(i18n, applications.fields.storage_m2) name="storage_m2" input_type="number" min="0" error/>
                    </div>
                    <div class="row">
                        <Field label=tr!(i18n, applications.fields.wanted_from) name="wanted_from" input_type="date" required=true error/>
                        <Field label=tr!(i18n, applications.fields.duration_months) name="duration_months" input_type="number" min="0" hint=tr!(i18n, applications.apply.duration_hint) error/>
                    </div>
                </fieldset>
                <fieldset class="stack">
                    <legend>{t!(i18n, applications.apply.project)}</legend>
                    <TextArea name="project" label=tr!(i18n, applications.fields.project) rows=6 hint=essay_hint.clone() error/>
                    <TextArea name="contribution" label=tr!(i18n, applications.fields.contribution) rows=6 hint=essay_hint error/>
                </fieldset>
                <fieldset class="stack">
                    <legend>{t!(i18n, applications.apply.contact)}</legend>
                    <Field label=tr!(i18n, applications.fields.contact_name) name="contact_name" autocomplete="name" required=true error/>
                    <div class="row">
                        <Field label=tr!(i18n, applications.fields.contact_email) name="contact_email" input_type="email" autocomplete="email" required=true error/>
                        <Field label=tr!(i18n, applications.fields.contact_phone) name="contact_phone" input_type="tel" autocomplete="tel" error/>
                    </div>
                </fieldset>
                <Loaded resource=slots then={move |slots: Vec<VisitSlotView>| view! { <SlotChoice slots error/> }}/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let signed_in = matches!(session.user.await, Ok(Some(_)));
                        (!signed_in).then(|| view! {
                            <fieldset class="stack">
                                <legend>{t!(i18n, applications.apply.account)}</legend>
                                <p class="hint">{t!(i18n, applications.apply.account_hint)} " " <a href="/connexion?next=/candidater">{t!(i18n, nav.sign_in)}</a></p>
                                <Field label=tr!(i18n, fields.name) name="account_name" autocomplete="name" required=true error/>
                                <Field label=tr!(i18n, fields.email) name="account_email" input_type="email" autocomplete="email" required=true error/>
                                <Field label=tr!(i18n, fields.password) name="account_password" input_type="password" autocomplete="new-password" hint=tr!(i18n, events.request.password_hint) required=true error/>
                            </fieldset>
                        })
                    })}
                </Suspense>
                <Submit label=tr!(i18n, applications.apply.submit) pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// A labelled text area whose error shows under it.
#[component]
pub(super) fn TextArea(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    rows: u32,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let error_id = format!("{id}-erreur");
    let hint_id = format!("{id}-aide");
    let message = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some(name))
                .map(|e| e.message().to_owned())
        })
    });
    let described = {
        let (error_id, hint_id, has_hint) = (error_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <textarea id=id name=name rows=rows
                aria-invalid=move || message.with(Option::is_some).then_some("true")
                aria-describedby=described></textarea>
            {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// The visit slots open to candidates, as radio buttons; "later" is the default.
#[component]
pub(super) fn SlotChoice(
    slots: Vec<VisitSlotView>,
    error: Signal<Option<crate::error::AppError>>,
    /// Offer "later" (the application form); a visit page asks for a slot.
    #[prop(default = true)]
    offer_later: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let message = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some("visit_slot"))
                .map(|e| e.message().to_owned())
        })
    });
    let empty = slots.is_empty();
    view! {
        <fieldset class="field checkboxes">
            <legend>{t!(i18n, applications.apply.visit)}</legend>
            <p class="hint">{t!(i18n, applications.apply.visit_hint)}</p>
            {empty.then(|| view! { <p>{t!(i18n, applications.apply.no_slots)}</p> })}
            {offer_later.then(|| view! {
                <label for="visite-plus-tard">
                    <input id="visite-plus-tard" type="radio" name="visit_slot" value="" checked=true/>
                    {t!(i18n, applications.apply.visit_later)}
                </label>
            })}
            {slots.into_iter().map(|s| {
                let id = format!("visite-{}", s.id);
                let places = s.capacity - s.booked;
                let text = format!(
                    "{} · {}",
                    when(s.starts_at, locale),
                    td_string!(locale, applications.apply.places, n = places)
                );
                view! {
                    <label for=id.clone()>
                        <input id=id.clone() type="radio" name="visit_slot" value=s.id/>
                        {text}
                    </label>
                }
            }).collect_view()}
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </fieldset>
    }
}

#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_applications());
    view! {
        <PageTitle text=|locale| td_string!(locale, applications.mine.title).to_string()/>
        <Loaded resource=mine then={move |rows: Vec<ApplicationSummary>| {
            let i18n = use_i18n();
            let locale = i18n.get_locale_untracked();
            let empty = rows.is_empty();
            view! {
                <section>
                    <h1>{t!(i18n, applications.mine.title)}</h1>
                    {empty.then(|| view! { <p>{t!(i18n, applications.mine.none)}</p> })}
                    {(!empty).then(|| applications_table(rows, locale, td_string!(locale, applications.mine.title).to_string(), false))}
                    <p><a class="button secondary" href="/candidater">{t!(i18n, applications.mine.new)}</a></p>
                </section>
            }
        }}/>
    }
}
