//! Calendar feeds, on the account page and a space's page.
use crate::bookings::api::{CreateFeed, RevokeFeed, my_feeds};
use crate::components::{ErrorPanel, Loading};
use crate::i18n::{t, t_string, use_i18n};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn Feeds() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateFeed>::new();
    let revoke = ServerAction::<RevokeFeed>::new();
    let feeds = Resource::new(|| (), |_| my_feeds());
    view! {
        <h2>{t!(i18n, bookings.feeds.title)}</h2>
        <p class="hint">{t!(i18n, bookings.feeds.intro)}</p>
        {new_feed_address().map(|full| view! { <FeedAddress full/> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match feeds.await {
                    Ok(list) => Either::Left(view! {
                        <ul class="bookings">
                            {list.into_iter().map(|f| {
                                let id = f.id.to_string();
                                let name = f.space.as_ref().map(|s| s.name.clone());
                                view! {
                                    <li class="booking">
                                        <p>
                                            {match name {
                                                Some(n) => Either::Left(view! { {move || t_string!(i18n, bookings.feeds.space_feed, name = n.clone()).to_string()} }),
                                                None => Either::Right(view! { {t!(i18n, bookings.feeds.my_feed)} }),
                                            }}
                                        </p>
                                        <ActionForm action=revoke attr:class="inline-actions">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="button">{t!(i18n, bookings.feeds.revoke)}</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }),
                    Err(e) => Either::Right(view! { <ErrorPanel error=e/> }),
                }
            })}
        </Suspense>
        <ActionForm action=create attr:class="inline-actions">
            <input type="hidden" name="space_id" value=""/>
            <button type="submit" class="button">{t!(i18n, bookings.feeds.create_mine)}</button>
        </ActionForm>
    }
}

/// The feed this browser just made, read once on the server (see `take_new_feed_address`).
fn new_feed_address() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        crate::bookings::api::take_new_feed_address()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A feed's secret address, with subscription links; shown once, right after it is made.
#[component]
fn FeedAddress(full: String) -> impl IntoView {
    let i18n = use_i18n();
    let path = full
        .find("/agenda/")
        .map_or_else(String::new, |i| full[i..].to_owned());
    let webcal = full
        .replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1);
    let google = format!(
        "https://calendar.google.com/calendar/r?cid={}",
        percent_encoding::utf8_percent_encode(&webcal, percent_encoding::NON_ALPHANUMERIC)
    );
    view! {
        <div class="notice" role="status">
            <p>{t!(i18n, bookings.feeds.made)}</p>
            <p><code class="feed-url">{full}</code></p>
            <p>
                <a href=path>{t!(i18n, bookings.feeds.open)}</a> " · "
                <a href=webcal>{t!(i18n, bookings.feeds.subscribe)}</a> " · "
                <a href=google target="_blank" rel="noopener">"Google Agenda"</a>
            </p>
        </div>
    }
}

/// On a bookable space's page: book it, follow its calendar, see its door display.
#[component]
pub fn SpaceBookingLinks(space_id: i32, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateFeed>::new();
    let session = expect_context::<crate::routes::Session>();
    view! {
        <section>
            <h2>{t!(i18n, bookings.space.title)}</h2>
            <p>
                <a class="button primary" href=format!("/reserver/nouvelle?space={space_id}")>{t!(i18n, bookings.space.book)}</a>
                " "
                <a class="button" href="/calendrier?vue=semaine">{t!(i18n, bookings.space.calendar)}</a>
                " "
                <a class="button" href=format!("/ecran/{code}")>{t!(i18n, bookings.space.door)}</a>
            </p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    session.user.await.ok().flatten().map(|_| view! {
                        <ActionForm action=create attr:class="inline-actions">
                            <input type="hidden" name="space_id" value=space_id/>
                            <button type="submit" class="button">{t!(i18n, bookings.space.follow)}</button>
                        </ActionForm>
                    })
                })}
            </Transition>
            {new_feed_address().map(|full| view! { <FeedAddress full/> })}
        </section>
    }
}
