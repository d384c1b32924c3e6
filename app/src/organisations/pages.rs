//! The managers' list of organisations, and a referent's settings on the account page.
use super::api::{UpdateOrganisation, list_organisation_settings, my_organisation};
use super::model::OrganisationSettings;
use crate::components::{FormError, Loaded, PageTitle, action_error};
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels;
use leptos::prelude::*;

/// The organisation just saved: the server sends the form back with `?enregistre=<id>`.
fn saved_id() -> Signal<Option<i32>> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || query.with(|q| q.get("enregistre").and_then(|v| v.parse().ok())))
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateOrganisation>::new();
    let error = action_error(save);
    let list = Resource::new(|| (), |_| list_organisation_settings());
    let saved = saved_id();
    view! {
        <PageTitle text=|locale| td_string!(locale, organisations.title).to_string()/>
        <section>
            <h1>{t!(i18n, organisations.title)}</h1>
            <p class="lead">{t!(i18n, organisations.intro)}</p>
            <FormError error fields=&[]/>
            {move || saved.get().is_some().then(|| view! { <p class="notice" role="status">{t!(i18n, organisations.saved)}</p> })}
            <Loaded resource=list then={move |rows: Vec<OrganisationSettings>| view! {
                <div class="table-wrap">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, organisations.name)}</th>
                                <th scope="col">{t!(i18n, organisations.profile)}</th>
                                <th scope="col">{t!(i18n, organisations.included_hours)}</th>
                                <th scope="col">{t!(i18n, organisations.show_titles)}</th>
                                <th scope="col"><span class="visually-hidden">{t!(i18n, organisations.save)}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|o| {
                                let form_id = format!("structure-{}", o.id);
                                let (tier, form, sector) = (o.tier, o.legal_form, o.sector);
                                let hours_label = {
                                    let name = o.name.clone();
                                    move || format!("{name} — {}", t_string!(i18n, organisations.included_hours))
                                };
                                let titles_label = {
                                    let name = o.name.clone();
                                    move || format!("{name} — {}", t_string!(i18n, organisations.show_titles))
                                };
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {o.name.clone()}
                                            <br/><a href=format!("/gestion/structures/{}/facturation", o.id)>{t!(i18n, organisations.billing)}</a>
                                        </th>
                                        <td>
                                            {move || labels::tier(i18n.get_locale(), tier)} " · "
                                            {move || labels::legal_form(i18n.get_locale(), form)} " · "
                                            {move || labels::sector(i18n.get_locale(), sector)}
                                        </td>
                                        <td>
                                            <input form=form_id.clone() type="number" min="0" max="200" name="included_hours"
                                                value=o.included_room_minutes / 60 aria-label=hours_label class="short"/>
                                        </td>
                                        <td>
                                            <input form=form_id.clone() type="checkbox" name="show_titles" value="on"
                                                checked=o.show_titles_on_displays aria-label=titles_label/>
                                        </td>
                                        <td>
                                            <ActionForm action=save attr:id=form_id attr:class="inline-actions">
                                                <input type="hidden" name="id" value=o.id/>
                                                <button type="submit" class="button">{t!(i18n, organisations.save)}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }}/>
        </section>
    }
}

/// On the account page of an organisation's referent: what the door displays may show.
#[component]
pub fn ReferentSettings() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateOrganisation>::new();
    let error = action_error(save);
    let mine = Resource::new(|| (), |_| my_organisation());
    let saved = saved_id();
    view! {
        <Loaded resource=mine then={move |org: Option<OrganisationSettings>| org.map(|o| view! {
            <h2>{t!(i18n, organisations.referent_title)}</h2>
            <ActionForm action=save attr:class="stack">
                <FormError error fields=&[]/>
                <input type="hidden" name="id" value=o.id/>
                <div class="field checkbox">
                    <input id="champ-show_titles" type="checkbox" name="show_titles" value="on" checked=o.show_titles_on_displays/>
                    <label for="champ-show_titles">{t!(i18n, organisations.show_titles_long)}</label>
                </div>
                {move || (saved.get() == Some(o.id)).then(|| view! { <p class="notice" role="status">{t!(i18n, organisations.saved)}</p> })}
                <button type="submit" class="button">{t!(i18n, organisations.save)}</button>
            </ActionForm>
        })}/>
    }
}
