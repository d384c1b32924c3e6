//! The route table and the page layout: navigation, language switch, the signed-in user.
use crate::auth::api::{SetLanguage, SignIn, SignOut, current_user};
use crate::auth::model::{Role, UserView};
use crate::auth::pages::{AccountPage, SignInPage, SignUpPage, SignedIn, UserEditPage, UsersPage};
use crate::bookings::pages::{
    BookingPage, CalendarPage, DoorPage, ManageBookingsPage, MyBookingsPage, NewBookingPage,
    SearchPage, SpaceRulesPage,
};
use crate::components::PageTitle;
use crate::components::StatusCode;
use crate::error::AppError;
use crate::events::pages::{
    EventPage, EventRequestPage, EventSheetPage, MyEventsPage, PipelinePage, QuotePrintPage,
};
use crate::hub::pages::HomePage;
use crate::i18n::{I18nContextProvider, Locale, t, use_i18n};
use crate::spaces::pages::{CataloguePage, SpacePage};
use crate::tr;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The Content-Security-Policy of every response. Pages pass the nonce Leptos puts on its
/// hydration script and on the scripts that carry the page's data; other responses (files,
/// feeds, API answers) pass none, so no inline script runs there at all.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; \
         script-src 'self'{nonce} 'wasm-unsafe-eval' 'unsafe-hashes' '{PRINT_BUTTON_HASH}'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The printable quote's and event sheet's `onclick="window.print()"`: the one inline event
/// handler, allowed by its hash (`'unsafe-hashes'` allows handlers matching a listed hash only).
/// `style-src-attr 'unsafe-inline'` is there for the calendar's computed grid widths
/// (`style="grid-template-columns: …"`); style sheets themselves come from our own files only.
const PRINT_BUTTON_HASH: &str = "sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU=";

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The header carries the same nonce as the hydration script below, fresh for each response.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = http::HeaderValue::from_str(&content_security_policy(Some(&nonce)))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Who is signed in, and the forms that change it. Provided to every page. The page is server
/// HTML: after one of these forms the browser loads the page again, and it reads the user again.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<UserView>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    /// An event request from a visitor signs them in on the way.
    pub request_event: ServerAction<crate::events::api::RequestEvent>,
}

impl Session {
    fn new() -> Self {
        let sign_in = ServerAction::<SignIn>::new();
        let sign_out = ServerAction::<SignOut>::new();
        let request_event = ServerAction::<crate::events::api::RequestEvent>::new();
        let user = Resource::new(|| (), |_| current_user());
        Session {
            user,
            sign_in,
            sign_out,
            request_event,
        }
    }
}

/// The language cookie applies to the whole site for a year.
fn locale_cookie_options() -> leptos_i18n::context::CookieOptions<Locale> {
    leptos_i18n::context::CookieOptions::<Locale>::default()
        .path("/")
        .max_age(365 * 24 * 3600 * 1000_i64)
}

/// French unless the user chose English: the browser's Accept-Language is not consulted.
fn ignore_accept_language() -> leptos_i18n::context::UseLocalesOptions {
    leptos_i18n::context::UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider cookie_options=locale_cookie_options() ssr_lang_header_getter=ignore_accept_language()>
            <Stylesheet id="leptos" href="/pkg/coopole.css"/>
            <Router>
                <Layout/>
            </Router>
        </I18nContextProvider>
    }
}

/// Everything inside the router. The session's actions are created here, inside the router,
/// so that a form posted without JavaScript finds its error again on the page it returns to.
#[component]
fn Layout() -> impl IntoView {
    provide_context(Session::new());
    view! {
        <a class="skip-link" href="#contenu">{move || skip_label()}</a>
        <Header/>
        <main id="contenu">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/espaces") view=CataloguePage ssr=SsrMode::Async/>
                <Route path=path!("/espaces/:id") view=SpacePage ssr=SsrMode::Async/>
                <Route path=path!("/inscription") view=SignUpPage ssr=SsrMode::Async/>
                <Route path=path!("/connexion") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/compte") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/gestion/utilisateurs") view=UsersPage ssr=SsrMode::Async/>
                <Route path=path!("/gestion/utilisateurs/:id") view=UserEditPage ssr=SsrMode::Async/>
                <Route path=path!("/gestion/baux") view=|| view! { <SignedIn next="/gestion/baux" page=|_| view! { <crate::hosting::pages::LeasesPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/baux/nouveau") view=|| view! { <SignedIn next="/gestion/baux/nouveau" page=|_| view! { <crate::hosting::pages::NewLeasePage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/baux/:id/avenant") view=|| view! { <SignedIn next="/gestion/baux" page=|_| view! { <crate::hosting::pages::AmendLeasePage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/occupation") view=|| view! { <SignedIn next="/gestion/occupation" page=|_| view! { <crate::hosting::pages::OccupancyPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/plan") view=|| view! { <SignedIn next="/gestion/plan" page=|_| view! { <crate::hosting::pages::FloorPlanPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/facturation") view=|| view! { <SignedIn next="/gestion/facturation" page=|_| view! { <crate::billing::pages::RunsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/facturation/vendeur") view=|| view! { <SignedIn next="/gestion/facturation/vendeur" page=|_| view! { <crate::billing::pages::SellerPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/facturation/:id") view=|| view! { <SignedIn next="/gestion/facturation" page=|_| view! { <crate::billing::pages::RunPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/structures/:id/facturation") view=|| view! { <SignedIn next="/gestion/structures" page=|_| view! { <crate::billing::pages::BillingProfilePage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/factures") view=|| view! { <SignedIn next="/factures" page=|_| view! { <crate::billing::pages::AccountsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/factures/:id") view=|| view! { <SignedIn next="/factures" page=|u| view! { <crate::billing::pages::InvoicePage manager=u.is_manager()/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/baux") view=|| view! { <SignedIn next="/baux" page=|_| view! { <crate::hosting::pages::MyLeasesPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/baux/:id/document") view=|| view! { <SignedIn next="/baux" page=|_| view! { <crate::hosting::pages::LeaseDocumentPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/baux/:id") view=|| view! { <SignedIn next="/baux" page=|_| view! { <crate::hosting::pages::LeasePage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/candidater") view=crate::applications::pages::ApplyPage ssr=SsrMode::Async/>
                <Route path=path!("/candidatures") view=|| view! { <SignedIn next="/candidatures" page=|_| view! { <crate::applications::pages::MyApplicationsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/candidatures/:id") view=|| view! { <SignedIn next="/candidatures" page=|_| view! { <crate::applications::pages::ApplicationPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/candidatures") view=|| view! { <SignedIn next="/gestion/candidatures" page=|_| view! { <crate::applications::pages::ApplicationsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/visites") view=|| view! { <SignedIn next="/gestion/visites" page=|_| view! { <crate::applications::pages::VisitsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/comites") view=|| view! { <SignedIn next="/gestion/comites" page=|_| view! { <crate::applications::pages::CommitteesPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/comites/:id") view=|| view! { <SignedIn next="/gestion/comites" page=|_| view! { <crate::applications::pages::CommitteePage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/structures") view=|| view! { <SignedIn next="/gestion/structures" page=|_| view! { <crate::organisations::pages::OrganisationsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/reserver") view=|| view! { <SignedIn next="/reserver" page=|_| view! { <SearchPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/reserver/nouvelle") view=|| view! { <SignedIn next="/reserver" page=|_| view! { <NewBookingPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/calendrier") view=|| view! { <SignedIn next="/calendrier" page=|_| view! { <CalendarPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/mes-reservations") view=|| view! { <SignedIn next="/mes-reservations" page=|_| view! { <MyBookingsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/reservations/:id") view=|| view! { <SignedIn next="/reservations" page=|_| view! { <BookingPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/ecran/:code") view=DoorPage ssr=SsrMode::Async/>
                <Route path=path!("/evenements/demande") view=EventRequestPage ssr=SsrMode::Async/>
                <Route path=path!("/evenements") view=|| view! { <SignedIn next="/evenements" page=|_| view! { <MyEventsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/evenements/:id") view=|| view! { <SignedIn next="/evenements" page=|_| view! { <EventPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/evenements/:id/devis") view=|| view! { <SignedIn next="/evenements" page=|_| view! { <QuotePrintPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/evenements/:id/fiche") view=|| view! { <SignedIn next="/evenements" page=|_| view! { <EventSheetPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/evenements") view=|| view! { <SignedIn next="/gestion/evenements" page=|_| view! { <PipelinePage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/reservations") view=|| view! { <SignedIn next="/gestion/reservations" page=|_| view! { <ManageBookingsPage/> }/> } ssr=SsrMode::Async/>
                <Route path=path!("/gestion/espaces/:id/regles") view=|| view! { <SignedIn next="/gestion/espaces" page=|_| view! { <SpaceRulesPage/> }/> } ssr=SsrMode::Async/>
            </Routes>
        </main>
        <Footer/>
    }
}

fn skip_label() -> String {
    let i18n = use_i18n();
    crate::i18n::t_string!(i18n, nav.skip).to_string()
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    view! {
        <header class="site-header">
            <a href="/" class="brand">"Coopole"</a>
            <nav aria-label=tr!(i18n, nav.label)>
                // Rendered closed: on a phone its summary is the "Menu" button; on a wider screen
                // the style sheet hides the summary and shows the list (main.css, "navigation").
                <details class="nav-menu">
                    <summary>{t!(i18n, nav.menu)}</summary>
                    <ul class="nav-links">
                        <li><A href="/" exact=true>{t!(i18n, nav.home)}</A></li>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let locale = i18n.get_locale();
                                let user = session.user.await.ok().flatten();
                                let groups = nav_groups(locale, user.as_ref());
                                view! {
                                    {groups
                                        .into_iter()
                                        .map(|(label, links)| view! { <NavGroup label links/> })
                                        .collect_view()}
                                    {match user {
                                        None => Either::Left(view! {
                                            <li><A href="/connexion">{t!(i18n, nav.sign_in)}</A></li>
                                            <li><A href="/inscription">{t!(i18n, nav.sign_up)}</A></li>
                                        }),
                                        Some(_) => Either::Right(view! {
                                            <li><A href="/compte">{t!(i18n, nav.account)}</A></li>
                                            <li>
                                                <ActionForm action=session.sign_out attr:class="inline">
                                                    <button type="submit" class="link-button">{t!(i18n, nav.sign_out)}</button>
                                                </ActionForm>
                                            </li>
                                        }),
                                    }}
                                }
                            })}
                        </Transition>
                    </ul>
                </details>
            </nav>
            <LanguageSwitch/>
        </header>
    }
}

/// A link of the header, in the page's language.
#[derive(Clone, Copy)]
struct NavLink {
    href: &'static str,
    label: &'static str,
}

/// The header's links by function (rooms, events, management) for who is signed in (`None`: a
/// visitor). Each role has the links it always had: visitors ask for an event, organisers book
/// no rooms, managers follow the events' pipeline rather than events of their own, and only they
/// manage bookings, users and organisations. A group a role has no link in comes back empty.
fn nav_groups(locale: Locale, user: Option<&UserView>) -> [(&'static str, Vec<NavLink>); 4] {
    use crate::i18n::td_string;
    let link = |href, label| NavLink { href, label };
    let books_rooms = user.is_some_and(|u| !matches!(u.role, Role::Organiser | Role::Candidate));
    let manager = user.is_some_and(UserView::is_manager);

    let mut rooms = vec![link("/espaces", td_string!(locale, nav.spaces))];
    if books_rooms {
        rooms.extend([
            link("/reserver", td_string!(locale, nav.book)),
            link("/calendrier", td_string!(locale, nav.calendar)),
            link("/mes-reservations", td_string!(locale, nav.my_bookings)),
        ]);
    }
    if manager {
        rooms.push(link(
            "/gestion/reservations",
            td_string!(locale, nav.manage_bookings),
        ));
    }
    let events = match user {
        None => link("/evenements/demande", td_string!(locale, nav.event_request)),
        Some(_) if manager => link("/gestion/evenements", td_string!(locale, nav.events)),
        Some(_) => link("/evenements", td_string!(locale, nav.my_events)),
    };
    let hosting = match user {
        Some(_) if manager => vec![
            link("/gestion/occupation", td_string!(locale, nav.occupancy)),
            link("/gestion/plan", td_string!(locale, nav.floor_plan)),
            link("/gestion/baux", td_string!(locale, nav.leases)),
            link(
                "/gestion/candidatures",
                td_string!(locale, nav.applications),
            ),
            link("/gestion/comites", td_string!(locale, nav.committees)),
        ],
        Some(u) if u.organisation.is_some() => {
            vec![link("/baux", td_string!(locale, nav.my_leases))]
        }
        Some(u) if u.role == Role::Candidate => vec![
            link("/candidatures", td_string!(locale, nav.my_applications)),
            link("/candidater", td_string!(locale, nav.apply)),
        ],
        _ => vec![link("/candidater", td_string!(locale, nav.apply))],
    };
    let management = if manager {
        vec![
            link("/gestion/utilisateurs", td_string!(locale, nav.users)),
            link("/gestion/structures", td_string!(locale, nav.organisations)),
            link("/gestion/facturation", td_string!(locale, nav.billing)),
        ]
    } else if user.is_some() {
        vec![link("/factures", td_string!(locale, nav.my_invoices))]
    } else {
        Vec::new()
    };
    [
        (td_string!(locale, nav.group_rooms), rooms),
        (td_string!(locale, nav.group_events), vec![events]),
        (td_string!(locale, nav.group_hosting), hosting),
        (td_string!(locale, nav.group_management), management),
    ]
}

/// One function of the hub in the header: its links open from its name, a `<details>` that the
/// browser opens and closes by itself (a drop-down on a wide screen, a fold of the menu on a
/// phone). Groups share a `name`, so opening one closes the other. A function with a single link
/// shows that link, without a menu to open first; one with none shows nothing.
#[component]
fn NavGroup(label: &'static str, links: Vec<NavLink>) -> impl IntoView {
    let item =
        |&NavLink { href, label: text }: &NavLink| view! { <li><A href=href>{text}</A></li> };
    match links.as_slice() {
        [] => EitherOf3::A(()),
        [link] => EitherOf3::B(item(link)),
        _ => EitherOf3::C(view! {
            <li>
                <details class="nav-group" name="nav-group">
                    <summary>{label}</summary>
                    <ul>{links.iter().map(item).collect_view()}</ul>
                </details>
            </li>
        }),
    }
}

/// A plain form: the server sets the language cookie and sends the browser back to the page,
/// which comes back in the other language. No code in the browser is needed for that.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLanguage>::new();
    let other = move || match i18n.get_locale() {
        Locale::fr => ("en", "English"),
        Locale::en => ("fr", "Français"),
    };
    view! {
        <ActionForm action=action attr:class="lang-switch">
            <input type="hidden" name="locale" value=move || other().0/>
            <button type="submit" class="link-button" lang=move || other().0>{move || other().1}</button>
        </ActionForm>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer.text)}</p>
        </footer>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <StatusCode code=404/>
        <PageTitle text=|locale| crate::i18n::td_string!(locale, not_found.title).to_string()/>
        <section class="narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.text)}</p>
            <p><a href="/">{t!(i18n, nav.home)}</a></p>
        </section>
    }
}
