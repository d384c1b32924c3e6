//! Sign-up, sign-in, the account page and the managers' users pages.
use super::api::{ChangePassword, SignUp, UpdateUser, get_user, list_users, organisation_options};
use super::model::{Role, UserRow, UserView};
use crate::components::{
    ErrorPanel, Field, FormError, Loaded, Loading, PageTitle, SelectField, Submit, action_error,
};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::labels;
use crate::routes::Session;
use crate::tr;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::components::{Form, Redirect};
use leptos_router::hooks::{use_params_map, use_query_map};

/// A new password and its confirmation, with the policy as a hint.
#[component]
fn NewPassword(
    #[prop(into)] label: Signal<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field
            label
            name="password"
            input_type="password"
            autocomplete="new-password"
            hint=tr!(i18n, sign_up.password_hint)
            required=true
            error
        />
        <Field
            label=tr!(i18n, fields.password_confirm)
            name="password_confirm"
            input_type="password"
            autocomplete="new-password"
            required=true
            error
        />
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    let roles = Signal::derive(move || {
        vec![
            (
                "tenant".to_owned(),
                t_string!(i18n, sign_up.role_tenant).to_string(),
            ),
            (
                "organiser".to_owned(),
                t_string!(i18n, sign_up.role_organiser).to_string(),
            ),
        ]
    });
    view! {
        <PageTitle text=|locale| crate::i18n::td_string!(locale, sign_up.title).to_string()/>
        <section class="narrow">
            <h1>{t!(i18n, sign_up.title)}</h1>
            <p class="lead">{t!(i18n, sign_up.intro)}</p>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormError error fields=&["email", "name", "password", "password_confirm", "role"]/>
                <Field label=tr!(i18n, fields.name) name="name" autocomplete="name" required=true error/>
                <Field label=tr!(i18n, fields.email) name="email" input_type="email" autocomplete="email" required=true error/>
                <NewPassword label=tr!(i18n, fields.password) error/>
                <SelectField label=tr!(i18n, sign_up.role) name="role" options=roles error/>
                <Submit label=tr!(i18n, sign_up.submit) pending=action.pending()/>
            </ActionForm>
            <p>{t!(i18n, sign_up.have_account)} " " <a href="/connexion">{t!(i18n, nav.sign_in)}</a></p>
        </section>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let query = use_query_map();
    let next = Signal::derive(move || query.with(|q| q.get("next").unwrap_or_default()));
    let signed_up = move || query.with(|q| q.get("inscrit").is_some());
    let error = action_error(session.sign_in);
    view! {
        <PageTitle text=|locale| crate::i18n::td_string!(locale, sign_in.title).to_string()/>
        <section class="narrow">
            <h1>{t!(i18n, sign_in.title)}</h1>
            <Show when=signed_up>
                <p class="notice" role="status">{t!(i18n, sign_in.account_created)}</p>
            </Show>
            <ActionForm action=session.sign_in attr:novalidate=true attr:class="stack">
                <FormError error fields=&["email", "password"]/>
                <Field label=tr!(i18n, fields.email) name="email" input_type="email" autocomplete="username" required=true error/>
                <Field
                    label=tr!(i18n, fields.password)
                    name="password"
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    error
                />
                <input type="hidden" name="next" value=next/>
                <Submit label=tr!(i18n, sign_in.submit) pending=session.sign_in.pending()/>
            </ActionForm>
            <p>{t!(i18n, sign_in.no_account)} " " <a href="/inscription">{t!(i18n, nav.sign_up)}</a></p>
        </section>
    }
}

/// Renders `page` for the signed-in user; visitors are sent to the sign-in page.
#[component]
pub fn SignedIn<F, V>(next: &'static str, page: F) -> impl IntoView
where
    F: Fn(UserView) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let session = expect_context::<Session>();
    view! {
        <Suspense fallback=Loading>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(user)) => EitherOf3::A(page(user)),
                        Ok(None) => EitherOf3::B(view! { <Redirect path=format!("/connexion?next={next}")/> }),
                        Err(e) => EitherOf3::C(view! { <ErrorPanel error=e/> }),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    view! { <SignedIn next="/compte" page=|user| view! { <Account user/> }/> }
}

#[component]
fn Account(user: UserView) -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    // The server sends the form back here with `?mot-de-passe=1` once the password changed.
    let query = use_query_map();
    let done = move || query.with(|q| q.get("mot-de-passe").is_some());
    let role = user.role;
    let referent = user.is_referent;
    let organisation = user.organisation.clone();
    view! {
        <PageTitle text=|locale| crate::i18n::td_string!(locale, account.title).to_string()/>
        <section class="narrow">
            <h1>{t!(i18n, account.title)}</h1>
            <dl class="facts">
                <dt>{t!(i18n, fields.name)}</dt>
                <dd>{user.name.clone()}</dd>
                <dt>{t!(i18n, fields.email)}</dt>
                <dd>{user.email.clone()}</dd>
                <dt>{t!(i18n, fields.role)}</dt>
                <dd>{move || labels::role(i18n.get_locale(), role)}</dd>
                <dt>{t!(i18n, fields.organisation)}</dt>
                <dd>
                    {match organisation {
                        Some(org) => Either::Left(view! {
                            {org.name}
                            {referent.then(|| view! { " · " <strong>{t!(i18n, account.referent)}</strong> })}
                        }),
                        None => Either::Right(view! { <span class="muted">{t!(i18n, account.no_organisation)}</span> }),
                    }}
                </dd>
            </dl>

            <h2>{t!(i18n, account.change_password)}</h2>
            <Show when=done>
                <p class="notice" role="status">{t!(i18n, account.password_changed)}</p>
            </Show>
            <ActionForm action=change attr:novalidate=true attr:class="stack">
                <FormError error fields=&["current", "password", "password_confirm"]/>
                <Field
                    label=tr!(i18n, account.current_password)
                    name="current"
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    error
                />
                <NewPassword label=tr!(i18n, account.new_password) error/>
                <Submit label=tr!(i18n, account.change_password) pending=change.pending()/>
            </ActionForm>

            {referent.then(|| view! { <crate::organisations::pages::ReferentSettings/> })}
            {(!matches!(role, Role::Organiser | Role::Candidate)).then(|| view! { <crate::bookings::pages::Feeds/> })}

            <h2>{t!(i18n, account.session)}</h2>
            <ActionForm action=session.sign_out>
                <button type="submit" class="button">{t!(i18n, nav.sign_out)}</button>
            </ActionForm>
        </section>
    }
}

/// The managers' list of users, with a search.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <SignedIn next="/gestion/utilisateurs" page=|_user| view! { <UsersList/> }/> }
}

#[component]
fn UsersList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = Signal::derive(move || query.with(|q| q.get("q").unwrap_or_default()));
    let saved = Signal::derive(move || {
        query.with(|q| q.get("enregistre").and_then(|v| v.parse::<i32>().ok()))
    });
    let asked = search.get_untracked();
    let users = Resource::new(move || asked.clone(), list_users);
    view! {
        <PageTitle text=|locale| crate::i18n::td_string!(locale, users.title).to_string()/>
        <section>
            <h1>{t!(i18n, users.title)}</h1>
            <Form method="GET" action="" attr:class="filters" attr:role="search">
                <div class="field">
                    <label for="recherche">{t!(i18n, users.search)}</label>
                    <input id="recherche" type="search" name="q" value=search/>
                </div>
                <button type="submit" class="button">{t!(i18n, users.search_submit)}</button>
            </Form>
            <Loaded resource=users then=move |rows| view! { <UsersTable rows saved/> }/>
        </section>
    }
}

fn user_count(locale: crate::i18n::Locale, n: usize) -> String {
    use crate::i18n::td_string;
    crate::format::counted(
        locale,
        i64::try_from(n).unwrap_or(i64::MAX),
        |count| td_string!(locale, users.count_single, count = count).to_string(),
        |count| td_string!(locale, users.count_several, count = count).to_string(),
    )
}

#[component]
fn UsersTable(rows: Vec<UserRow>, saved: Signal<Option<i32>>) -> impl IntoView {
    let i18n = use_i18n();
    let count = rows.len();
    let saved_name = {
        let rows = rows.clone();
        move || {
            saved.get().and_then(|id| {
                rows.iter()
                    .find(|r| r.user.id == id)
                    .map(|r| r.user.name.clone())
            })
        }
    };
    view! {
        {move || saved_name().map(|name| view! {
            <p class="notice" role="status">{t!(i18n, users.saved, name = name.clone())}</p>
        })}
        <p class="muted">{move || user_count(i18n.get_locale(), count)}</p>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, fields.name)}</th>
                        <th scope="col">{t!(i18n, fields.email)}</th>
                        <th scope="col">{t!(i18n, fields.role)}</th>
                        <th scope="col">{t!(i18n, fields.organisation)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, users.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let user = row.user;
                            let role = user.role;
                            let href = format!("/gestion/utilisateurs/{}", user.id);
                            let edit_label = {
                                let name = user.name.clone();
                                move || t_string!(i18n, users.edit_user, name = name.clone()).to_string()
                            };
                            view! {
                                <tr>
                                    <td>{user.name.clone()}</td>
                                    <td>{user.email.clone()}</td>
                                    <td>{move || labels::role(i18n.get_locale(), role)}</td>
                                    <td>
                                        {user.organisation.map(|o| o.name).unwrap_or_default()}
                                        {user.is_referent.then(|| view! { " · " <strong>{t!(i18n, account.referent)}</strong> })}
                                    </td>
                                    <td><a href=href aria-label=edit_label>{t!(i18n, users.edit)}</a></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A manager edits one user's role, organisation and referent flag.
#[component]
pub fn UserEditPage() -> impl IntoView {
    view! { <SignedIn next="/gestion/utilisateurs" page=|_user| view! { <UserEdit/> }/> }
}

#[component]
fn UserEdit() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(
        move || id.clone(),
        |id| async move {
            let user = get_user(id).await?;
            let organisations = organisation_options().await?;
            Ok::<_, AppError>((user, organisations))
        },
    );
    view! {
        <PageTitle text=|locale| crate::i18n::td_string!(locale, users.edit_title).to_string()/>
        <section class="narrow">
            <p><a href="/gestion/utilisateurs">{t!(i18n, users.back)}</a></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((user, organisations)) => Either::Left(view! { <UserForm user organisations/> }),
                        Err(e) => Either::Right(view! { <ErrorPanel error=e/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn UserForm(
    user: UserView,
    organisations: Vec<crate::organisations::model::OrganisationOption>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdateUser>::new();
    let error = action_error(action);
    let role_options = Signal::derive(move || {
        let locale = i18n.get_locale();
        Role::ALL
            .iter()
            .map(|r| (r.code().to_owned(), labels::role(locale, *r)))
            .collect::<Vec<_>>()
    });
    let organisation_options = Signal::derive(move || {
        let mut options = vec![(
            String::new(),
            t_string!(i18n, users.no_organisation).to_string(),
        )];
        options.extend(
            organisations
                .iter()
                .map(|o| (o.id.to_string(), o.name.clone())),
        );
        options
    });
    let role = user.role.code().to_owned();
    let organisation = user
        .organisation
        .as_ref()
        .map(|o| o.id.to_string())
        .unwrap_or_default();
    view! {
        <h1>{user.name.clone()}</h1>
        <p class="muted">{user.email.clone()}</p>
        <ActionForm action=action attr:novalidate=true attr:class="stack">
            <FormError error fields=&["role", "organisation_id"]/>
            <input type="hidden" name="user_id" value=user.id/>
            <SelectField label=tr!(i18n, fields.role) name="role" options=role_options selected=Signal::stored(role) error/>
            <SelectField
                label=tr!(i18n, fields.organisation)
                name="organisation_id"
                options=organisation_options
                selected=Signal::stored(organisation)
                error
            />
            <div class="field checkbox">
                <input id="champ-is_referent" type="checkbox" name="is_referent" value="on" checked=user.is_referent/>
                <label for="champ-is_referent">{t!(i18n, users.referent_label)}</label>
                <p class="hint">{t!(i18n, users.referent_hint)}</p>
            </div>
            <Submit label=tr!(i18n, users.save) pending=action.pending()/>
        </ActionForm>
    }
}
