//! The booking form's live answer: is the slot free, and what would it cost? An island, the
//! only code of the booking pages that runs in the browser. The form around it is server HTML
//! that posts without it; the server renders the first answer, and the island renews it as
//! the user changes the date, the times, the number of people or the organisation.
use crate::bookings::api::quote_booking;
use leptos::prelude::*;

/// The id of the booking form whose fields the island follows (not the series form's).
pub const FORM_ID: &str = "reservation";

/// The fields whose value changes the answer.
const FOLLOWED: [&str; 5] = ["date", "start", "end", "attendees", "organisation_id"];

#[derive(Clone, Debug, PartialEq, Eq, Default)]
struct Asked {
    date: String,
    start: String,
    end: String,
    attendees: String,
    organisation_id: String,
}

impl Asked {
    fn set(&mut self, name: &str, value: String) {
        match name {
            "date" => self.date = value,
            "start" => self.start = value,
            "end" => self.end = value,
            "attendees" => self.attendees = value,
            "organisation_id" => self.organisation_id = value,
            _ => {}
        }
    }

    fn complete(&self) -> bool {
        !self.date.is_empty() && !self.start.is_empty() && !self.end.is_empty()
    }
}

#[island]
pub fn SlotPreview(
    space_id: i32,
    date: String,
    start: String,
    end: String,
    attendees: String,
    organisation_id: String,
) -> impl IntoView {
    let asked = RwSignal::new(Asked {
        date,
        start,
        end,
        attendees,
        organisation_id,
    });
    // The fields are outside the island, so it listens where their `change` events arrive.
    let listener = window_event_listener(leptos::ev::change, move |ev| {
        use wasm_bindgen::JsCast;
        let Some(field) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
        else {
            return;
        };
        let in_form = field
            .closest(&format!("form#{FORM_ID}"))
            .ok()
            .flatten()
            .is_some();
        let name = field.get_attribute("name").unwrap_or_default();
        if in_form && FOLLOWED.contains(&name.as_str()) {
            let value = event_target_value(&ev);
            asked.update(|a| a.set(&name, value));
        }
    });
    on_cleanup(move || listener.remove());
    let answer = Resource::new(
        move || asked.get(),
        move |a| async move {
            if !a.complete() {
                return None;
            }
            let attendees = if a.attendees.is_empty() {
                "1".to_owned()
            } else {
                a.attendees
            };
            Some(
                quote_booking(
                    space_id.to_string(),
                    a.date,
                    a.start,
                    a.end,
                    attendees,
                    a.organisation_id,
                )
                .await,
            )
        },
    );
    view! {
        <div class="slot-preview" role="status" aria-live="polite">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    answer.await.map(|a| match a {
                        Ok(text) => view! { <p class="slot-free">{text}</p> }.into_any(),
                        Err(e) => view! { <p class="slot-problem">{e.message().to_owned()}</p> }.into_any(),
                    })
                })}
            </Transition>
        </div>
    }
}
