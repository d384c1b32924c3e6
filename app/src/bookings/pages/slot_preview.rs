//! The booking form's live answer: is the slot free, and what would it cost?
//!
//! The answer box is server HTML: the page renders the first answer, so it shows before any
//! code arrives, and the form posts without it. The one island of the booking pages,
//! `SlotPreview`, renews the answer as the user changes the date, the times, the number of
//! people or the organisation. It takes no props and asks with the browser's own `fetch` and
//! JSON parser, so the browser downloads no serialisation code for it: the whole app's
//! WebAssembly stays small enough to arrive within a second on a slow mobile line.
use crate::bookings::api::quote_booking;
use crate::error::AppError;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The id of the booking form whose fields the island follows (not the series form's).
pub const FORM_ID: &str = "reservation";

/// The id of the answer box the island rewrites.
const ANSWER_ID: &str = "apercu-creneau";

/// The slot as the form holds it, for the first answer.
pub struct Asked {
    pub space_id: i32,
    pub date: String,
    pub start: String,
    pub end: String,
    pub attendees: String,
    pub organisation_id: String,
}

impl Asked {
    fn complete(&self) -> bool {
        !self.date.is_empty() && !self.start.is_empty() && !self.end.is_empty()
    }
}

/// The answer box, with the server's first answer when the address names a whole slot.
#[component]
pub fn SlotAnswer(asked: Asked) -> impl IntoView {
    let i18n = use_i18n();
    let offline = crate::messages::network(i18n.get_locale_untracked());
    let first = Resource::new(
        || (),
        move |_| {
            let complete = asked.complete();
            let Asked {
                space_id,
                date,
                start,
                end,
                attendees,
                organisation_id,
            } = &asked;
            let call = quote_booking(
                space_id.to_string(),
                date.clone(),
                start.clone(),
                end.clone(),
                if attendees.is_empty() {
                    "1".to_owned()
                } else {
                    attendees.clone()
                },
                organisation_id.clone(),
            );
            async move { if complete { Some(call.await) } else { None } }
        },
    );
    view! {
        <div id=ANSWER_ID class="slot-preview" role="status" aria-live="polite" data-offline=offline>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { first.await.map(answer_view) })}
            </Suspense>
        </div>
        <SlotPreview/>
    }
}

fn answer_view(answer: Result<String, AppError>) -> impl IntoView {
    let (class, text) = match answer {
        Ok(text) => ("slot-free", text),
        Err(e) => ("slot-problem", e.message().to_owned()),
    };
    view! { <p class=class>{text}</p> }
}

/// Follows the booking form and rewrites the answer box; renders nothing itself.
#[island]
pub fn SlotPreview() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    live::follow();
}

/// The browser side: DOM events in, `fetch` out, the answer box rewritten.
#[cfg(feature = "hydrate")]
mod live {
    use super::{ANSWER_ID, FORM_ID};
    use leptos::server_fn::ServerFn;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, Event, FormData, Headers, HtmlFormElement, RequestInit, Response};

    /// The fields whose value changes the answer.
    const FOLLOWED: [&str; 5] = ["date", "start", "end", "attendees", "organisation_id"];

    /// The fields the quote needs, as the server function names them.
    const SENT: [&str; 6] = [
        "space_id",
        "date",
        "start",
        "end",
        "attendees",
        "organisation_id",
    ];

    pub fn follow() {
        // Answers can come back out of order: only the latest question's answer shows.
        let latest = Rc::new(Cell::new(0u32));
        let listener = leptos::prelude::window_event_listener(leptos::ev::change, move |ev| {
            ask_on(&ev, &latest);
        });
        leptos::prelude::on_cleanup(move || listener.remove());
    }

    /// The fields are outside the island, so it listens where their `change` events arrive.
    fn ask_on(ev: &Event, latest: &Rc<Cell<u32>>) -> Option<()> {
        let field = ev.target()?.dyn_into::<Element>().ok()?;
        let name = field.get_attribute("name")?;
        if !FOLLOWED.contains(&name.as_str()) {
            return None;
        }
        let form = field
            .closest(&format!("form#{FORM_ID}"))
            .ok()??
            .dyn_into::<HtmlFormElement>()
            .ok()?;
        let data = FormData::new_with_form(&form).ok()?;
        let body = web_sys::UrlSearchParams::new().ok()?;
        for name in SENT {
            let value = data.get(name).as_string().unwrap_or_default();
            let value = match (name, value.trim()) {
                ("attendees", "") => "1".to_owned(),
                _ => value,
            };
            body.append(name, &value);
        }
        let question = latest.get().wrapping_add(1);
        latest.set(question);
        if ["date", "start", "end"]
            .iter()
            .any(|n| data.get(n).as_string().is_none_or(|v| v.is_empty()))
        {
            show(Shown::Nothing);
            return Some(());
        }
        let latest = latest.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = ask(&body).await;
            if latest.get() == question {
                show(answer.unwrap_or(Shown::Offline));
            }
        });
        Some(())
    }

    enum Shown {
        Nothing,
        Offline,
        Free(String),
        Problem(String),
    }

    /// Asks the `bookings/quote` server function as a plain form post; its answer is JSON: a
    /// sentence, or an error whose `message` is written for the user.
    async fn ask(body: &web_sys::UrlSearchParams) -> Option<Shown> {
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(body);
        let headers = Headers::new().ok()?;
        headers.set("Accept", "application/json").ok()?;
        init.set_headers(&headers);
        let path = <crate::bookings::api::QuoteBooking as ServerFn>::PATH;
        let sent = web_sys::window()?.fetch_with_str_and_init(path, &init);
        let res: Response = JsFuture::from(sent).await.ok()?.dyn_into().ok()?;
        let value = JsFuture::from(res.json().ok()?).await.ok()?;
        if res.ok() {
            Some(Shown::Free(value.as_string()?))
        } else {
            let message = js_sys::Reflect::get(&value, &JsValue::from_str("message")).ok()?;
            Some(Shown::Problem(message.as_string()?))
        }
    }

    fn show(shown: Shown) -> Option<()> {
        let document = web_sys::window()?.document()?;
        let answer = document.get_element_by_id(ANSWER_ID)?;
        let (class, text) = match shown {
            Shown::Nothing => {
                answer.replace_children_with_node_0();
                return Some(());
            }
            Shown::Offline => ("slot-problem", answer.get_attribute("data-offline")?),
            Shown::Free(text) => ("slot-free", text),
            Shown::Problem(text) => ("slot-problem", text),
        };
        let p = document.create_element("p").ok()?;
        p.set_class_name(class);
        p.set_text_content(Some(&text));
        answer.replace_children_with_node_1(&p);
        Some(())
    }
}
