//! Event rental pages: the public request form, the organiser's portal, an event's page
//! (quote, option, confirmation, cancellation), the managers' pipeline and calendar, and the
//! printable quote and event sheet.
use super::api::{
    AnswerEventQuote, CancelEvent, CloseEvent, ConfirmEvent, DeclineEvent, DeleteQuoteLine,
    DraftEventQuote, MarkEventDone, PlaceEventOption, ReleaseEventOption, SaveQuoteLine,
    SendEventQuote, SetEventSpaces, SetQuoteTerms, event_space_options, get_event, list_events,
    week_of_events,
};
use super::model::{
    EventCalendar, EventDetail, EventKind, EventSpaceOption, EventStatus, EventSummary, Extra,
    QuoteView,
};
use crate::bookings::model::format_minute;
use crate::components::{Field, FormError, Loaded, PageTitle, SelectField, Submit, action_error};
use crate::format;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels;
use crate::routes::Session;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_badge(status: EventStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge status-{}", status.code())>
            {move || labels::event_status(i18n.get_locale(), status)}
        </span>
    }
}

fn dates_text(s: &EventSummary, locale: Locale) -> String {
    let times = format!(
        "{}–{}",
        format_minute(s.start_minute),
        format_minute(s.end_minute)
    );
    if s.first_date == s.last_date {
        format!("{}, {times}", format::long_date(s.first_date, locale))
    } else {
        td_string!(
            locale,
            events.from_to,
            from = format::long_date(s.first_date, locale),
            to = format::long_date(s.last_date, locale),
            times = times
        )
        .to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// The request form.

#[component]
pub fn EventRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    // The session's action: when a visitor's request signs them in, the session reloads.
    let action = session.request_event;
    let error = action_error(action);
    let options = Resource::new(|| (), |_| event_space_options());
    let kinds = Signal::derive(move || {
        EventKind::ALL
            .into_iter()
            .map(|k| {
                (
                    k.code().to_owned(),
                    labels::event_kind(i18n.get_locale(), k),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <PageTitle text=|locale| td_string!(locale, events.request.title).to_string()/>
        <section class="narrow">
            <h1>{t!(i18n, events.request.title)}</h1>
            <p class="lead">{t!(i18n, events.request.intro)}</p>
            <ActionForm action attr:novalidate=true attr:class="stack">
                <FormError error fields=&["name", "kind", "first_date", "last_date", "start", "end", "attendance", "spaces", "layouts", "extras", "catering_covers", "setup_hours", "teardown_hours", "account_name", "account_email", "account_password"]/>
                <Field label=tr!(i18n, events.fields.name) name="name" required=true error/>
                <SelectField label=tr!(i18n, events.fields.kind) name="kind" options=kinds error/>
                <div class="row">
                    <Field label=tr!(i18n, events.fields.first_date) name="first_date" input_type="date" required=true error/>
                    <Field label=tr!(i18n, events.fields.last_date) name="last_date" input_type="date" hint=tr!(i18n, events.fields.last_date_hint) error/>
                </div>
                <div class="row">
                    <Field label=tr!(i18n, events.fields.start) name="start" input_type="time" required=true error/>
                    <Field label=tr!(i18n, events.fields.end) name="end" input_type="time" required=true error/>
                    <Field label=tr!(i18n, events.fields.attendance) name="attendance" input_type="number" min="1" required=true error/>
                </div>
                <Loaded resource=options then={move |spaces: Vec<EventSpaceOption>| view! { <SpaceChoice spaces error/> }}/>
                <div class="row">
                    <Field label=tr!(i18n, events.fields.setup_hours) name="setup_hours" input_type="number" min="0" hint=tr!(i18n, events.fields.setup_hint) error/>
                    <Field label=tr!(i18n, events.fields.teardown_hours) name="teardown_hours" input_type="number" min="0" error/>
                </div>
                <fieldset class="field checkboxes">
                    <legend>{t!(i18n, events.fields.extras)}</legend>
                    {Extra::ALL.into_iter().map(|x| {
                        let id = format!("extra-{}", x.code());
                        let label_for = id.clone();
                        view! {
                            <label for=label_for>
                                <input id=id type="checkbox" name="extras[]" value=x.code()/>
                                {move || labels::extra(i18n.get_locale(), x)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="champ-catering">{t!(i18n, events.fields.catering)}</label>
                    <textarea id="champ-catering" name="catering" rows="3"></textarea>
                    <p class="hint">{t!(i18n, events.fields.catering_hint)}</p>
                </div>
                <Field label=tr!(i18n, events.fields.catering_covers) name="catering_covers" input_type="number" min="0" error/>
                <Field label=tr!(i18n, events.fields.contact_phone) name="contact_phone" input_type="tel" autocomplete="tel" error/>
                <div class="field">
                    <label for="champ-notes">{t!(i18n, events.fields.notes)}</label>
                    <textarea id="champ-notes" name="notes" rows="3"></textarea>
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let signed_in = matches!(session.user.await, Ok(Some(_)));
                        (!signed_in).then(|| view! {
                            <fieldset class="stack">
                                <legend>{t!(i18n, events.request.account)}</legend>
                                <p class="hint">{t!(i18n, events.request.account_hint)} " " <a href="/connexion?next=/evenements/demande">{t!(i18n, nav.sign_in)}</a></p>
                                <Field label=tr!(i18n, fields.name) name="account_name" autocomplete="name" required=true error/>
                                <Field label=tr!(i18n, fields.email) name="account_email" input_type="email" autocomplete="email" required=true error/>
                                <Field label=tr!(i18n, fields.password) name="account_password" input_type="password" autocomplete="new-password" hint=tr!(i18n, events.request.password_hint) required=true error/>
                            </fieldset>
                        })
                    })}
                </Suspense>
                <Submit label=tr!(i18n, events.request.submit) pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// The event spaces, each with a checkbox and its layouts (capacity shown for each).
#[component]
fn SpaceChoice(
    spaces: Vec<EventSpaceOption>,
    error: Signal<Option<crate::error::AppError>>,
    /// Spaces already chosen, with their layout (managers changing an event's spaces).
    #[prop(optional)]
    chosen: Vec<(i32, super::model::Layout)>,
    #[prop(default = true)] offer_suggest: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| matches!(e.field(), Some("spaces" | "layouts")))
                .map(|e| e.message().to_owned())
        })
    });
    view! {
        <fieldset class="field space-choice">
            <legend>{t!(i18n, events.fields.spaces)}</legend>
            {spaces.into_iter().map(|s| {
                let id = format!("espace-{}", s.id);
                let (label_for, select_id) = (id.clone(), format!("disposition-{}", s.id));
                let select_for = select_id.clone();
                let part_of = s.part_of.clone();
                let area = s.area_m2;
                let current = chosen.iter().find(|(id, _)| *id == s.id).map(|(_, l)| *l);
                view! {
                    <div class="space-option">
                        <label for=label_for>
                            <input id=id type="checkbox" name="spaces[]" value=s.id checked=current.is_some()/>
                            <strong>{s.name.clone()}</strong>
                            " · " {move || format::area(i64::from(area), i18n.get_locale())}
                            {part_of.map(|p| view! { " · " {move || t_string!(i18n, events.part_of).to_string()} " " {p.clone()} })}
                        </label>
                        <label for=select_for class="visually-hidden">{t!(i18n, events.fields.layout)} " — " {s.name.clone()}</label>
                        <select id=select_id name="layouts[]">
                            {s.capacities.iter().map(|(layout, capacity)| {
                                let (layout, capacity) = (*layout, *capacity);
                                view! {
                                    <option value=format!("{}:{}", s.id, layout.code()) selected=current == Some(layout)>
                                        {move || td_string!(i18n.get_locale(), events.layout_capacity, layout = labels::layout(i18n.get_locale(), layout), capacity = capacity).to_string()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
            {offer_suggest.then(|| view! {
                <label for="espace-suggest">
                    <input id="espace-suggest" type="checkbox" name="suggest" value="on"/>
                    {t!(i18n, events.fields.suggest)}
                </label>
            })}
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </fieldset>
    }
}

// ---------------------------------------------------------------------------------------------
// The organiser's portal and the managers' pipeline.

#[component]
fn EventTable(rows: Vec<EventSummary>, show_organiser: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, events.fields.name)}</th>
                        <th scope="col">{t!(i18n, events.when)}</th>
                        <th scope="col">{t!(i18n, events.fields.spaces)}</th>
                        {show_organiser.then(|| view! { <th scope="col">{t!(i18n, events.organiser)}</th> })}
                        <th scope="col">{t!(i18n, events.status)}</th>
                        <th scope="col">{t!(i18n, events.quoted)}</th>
                        <th scope="col">{t!(i18n, events.due)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|s| {
                        let when = s.clone();
                        let rank = s.option_rank;
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("/evenements/{}", s.id)>{s.name.clone()}</a></th>
                                <td>{move || dates_text(&when, i18n.get_locale())}</td>
                                <td>{s.spaces.join(", ")}</td>
                                {show_organiser.then(|| view! { <td>{s.organiser.clone()}</td> })}
                                <td>
                                    {status_badge(s.status)}
                                    {rank.map(|r| view! { " " <span class="rank">{move || td_string!(i18n.get_locale(), events.rank, rank = r).to_string()}</span> })}
                                </td>
                                <td>{move || s.quoted_cents.map(|c| format::money(c, i18n.get_locale())).unwrap_or_default()}</td>
                                <td>{move || if s.due_cents > 0 { format::money(s.due_cents, i18n.get_locale()) } else { String::new() }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn MyEventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_events());
    view! {
        <PageTitle text=|locale| td_string!(locale, events.mine.title).to_string()/>
        <section>
            <h1>{t!(i18n, events.mine.title)}</h1>
            <p><a class="button" href="/evenements/demande">{t!(i18n, events.mine.new)}</a></p>
            <Loaded resource=list then={move |rows: Vec<EventSummary>| {
                if rows.is_empty() {
                    view! { <p>{t!(i18n, events.mine.empty)}</p> }.into_any()
                } else {
                    view! { <EventTable rows show_organiser=false/> }.into_any()
                }
            }}/>
        </section>
    }
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_events());
    let query = use_query_map();
    let week = Signal::derive(move || query.with(|q| q.get("semaine").unwrap_or_default()));
    let asked = week.get_untracked();
    let calendar = Resource::new(move || asked.clone(), week_of_events);
    view! {
        <PageTitle text=|locale| td_string!(locale, events.pipeline.title).to_string()/>
        <section>
            <h1>{t!(i18n, events.pipeline.title)}</h1>
            <Loaded resource=list then={move |rows: Vec<EventSummary>| {
                EventStatus::ALL.into_iter().map(|status| {
                    let these: Vec<EventSummary> = rows.iter().filter(|r| r.status == status).cloned().collect();
                    let count = these.len();
                    (!these.is_empty()).then(|| view! {
                        <h2 id=format!("etape-{}", status.code())>{move || labels::event_status(i18n.get_locale(), status)} " (" {count} ")"</h2>
                        <EventTable rows=these show_organiser=true/>
                    })
                }).collect_view()
            }}/>
            <h2>{t!(i18n, events.pipeline.calendar)}</h2>
            <form method="get" class="inline-actions">
                <label for="semaine">{t!(i18n, events.pipeline.week_of)}</label>
                <input id="semaine" type="date" name="semaine" value=week/>
                <button type="submit" class="button secondary">{t!(i18n, events.pipeline.show)}</button>
            </form>
            <Loaded resource=calendar then={move |cal: EventCalendar| view! { <EventWeek cal/> }}/>
        </section>
    }
}

fn item_times(i: &super::model::EventCalendarItem) -> String {
    let part = |m: Option<u32>| m.map(format_minute);
    let mut out = Vec::new();
    if let Some(s) = part(i.setup_from) {
        out.push(format!("⚙ {s}"));
    }
    match (part(i.start), part(i.end)) {
        (Some(a), Some(b)) => out.push(format!("{a}–{b}")),
        (Some(a), None) => out.push(format!("{a}→")),
        (None, Some(b)) => out.push(format!("→{b}")),
        (None, None) => {}
    }
    if let Some(t) = part(i.teardown_until) {
        out.push(format!("⚙→{t}"));
    }
    out.join(" ")
}

#[component]
fn EventWeek(cal: EventCalendar) -> impl IntoView {
    let i18n = use_i18n();
    let dates = cal.dates.clone();
    view! {
        <p class="hint">{t!(i18n, events.pipeline.legend)}</p>
        <div class="table-wrap">
            <table class="event-week">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, events.fields.spaces)}</th>
                        {dates.into_iter().map(|d| view! { <th scope="col">{move || format::short_date(d, i18n.get_locale())}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {cal.rows.is_empty().then(|| view! { <tr><td colspan="8">{t!(i18n, events.pipeline.no_events)}</td></tr> })}
                    {cal.rows.into_iter().map(|row| view! {
                        <tr>
                            <th scope="row">{row.space.clone()}</th>
                            {row.days.into_iter().map(|items| view! {
                                <td>
                                    {items.into_iter().map(|i| {
                                        let times = item_times(&i);
                                        view! {
                                            <a class=format!("event-chip status-{}", i.status.code()) href=format!("/evenements/{}", i.event_id)>
                                                <span>{i.name.clone()}</span>
                                                <small>{times} " · " {move || labels::event_status(i18n.get_locale(), i.status)}</small>
                                            </a>
                                        }
                                    }).collect_view()}
                                </td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// One event.

/// Every action on the event page; each refetches the event when it completes.
#[derive(Clone, Copy)]
struct EventActions {
    draft: ServerAction<DraftEventQuote>,
    spaces: ServerAction<SetEventSpaces>,
    line: ServerAction<SaveQuoteLine>,
    delete_line: ServerAction<DeleteQuoteLine>,
    terms: ServerAction<SetQuoteTerms>,
    send: ServerAction<SendEventQuote>,
    option: ServerAction<PlaceEventOption>,
    release: ServerAction<ReleaseEventOption>,
    confirm: ServerAction<ConfirmEvent>,
    decline: ServerAction<DeclineEvent>,
    done: ServerAction<MarkEventDone>,
    close: ServerAction<CloseEvent>,
    answer: ServerAction<AnswerEventQuote>,
    cancel: ServerAction<CancelEvent>,
}

impl EventActions {
    fn new() -> Self {
        EventActions {
            draft: ServerAction::new(),
            spaces: ServerAction::new(),
            line: ServerAction::new(),
            delete_line: ServerAction::new(),
            terms: ServerAction::new(),
            send: ServerAction::new(),
            option: ServerAction::new(),
            release: ServerAction::new(),
            confirm: ServerAction::new(),
            decline: ServerAction::new(),
            done: ServerAction::new(),
            close: ServerAction::new(),
            answer: ServerAction::new(),
            cancel: ServerAction::new(),
        }
    }

    /// The latest error of any action, for one message at the top of the page.
    fn error(&self) -> Signal<Option<crate::error::AppError>> {
        let all = [
            action_error(self.draft),
            action_error(self.spaces),
            action_error(self.line),
            action_error(self.delete_line),
            action_error(self.terms),
            action_error(self.send),
            action_error(self.option),
            action_error(self.release),
            action_error(self.confirm),
            action_error(self.decline),
            action_error(self.done),
            action_error(self.close),
            action_error(self.answer),
            action_error(self.cancel),
        ];
        Signal::derive(move || all.iter().find_map(|e| e.get()))
    }
}

fn event_id_param() -> Signal<String> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("id").unwrap_or_default()))
}

#[component]
pub fn EventPage() -> impl IntoView {
    let id = event_id_param();
    let actions = EventActions::new();
    let error = actions.error();
    let id = id.get_untracked();
    let event = Resource::new(move || id.clone(), get_event);
    view! {
        <PageTitle text=|locale| td_string!(locale, events.page_title).to_string()/>
        <section>
            <FormError error fields=&[]/>
            <Loaded resource=event then={move |d: EventDetail| view! { <EventView d actions error/> }}/>
        </section>
    }
}

/// A hidden id and one button: the managers' one-click steps.
macro_rules! step_form {
    ($action:expr, $id:expr, $label:expr, $class:expr) => {
        view! {
            <ActionForm action=$action attr:class="inline-actions">
                <input type="hidden" name="id" value=$id/>
                <button type="submit" class=$class>{$label}</button>
            </ActionForm>
        }
    };
}

#[component]
fn EventView(
    d: EventDetail,
    actions: EventActions,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary.clone();
    let id = s.id;
    let status = s.status;
    let when = s.clone();
    let (setup, teardown) = (d.setup_minutes, d.teardown_minutes);
    let (held_from, held_until) = (d.held_from, d.held_until);
    let manager = d.is_manager;
    let quote = d.quote.clone();
    let draft = d.draft.clone();
    let rank = s.option_rank;
    let expires = s.option_expires_at;
    view! {
        <p class="breadcrumb">
            <a href=if manager { "/gestion/evenements" } else { "/evenements" }>{move || if manager { t_string!(i18n, events.pipeline.title).to_string() } else { t_string!(i18n, events.mine.title).to_string() }}</a>
        </p>
        <h1>{s.name.clone()}</h1>
        <p class="lead">
            {status_badge(status)}
            {rank.map(|r| view! { " " <span class="rank">{move || td_string!(i18n.get_locale(), events.rank_long, rank = r).to_string()}</span> })}
            {expires.map(|t| view! { " " <span>{move || td_string!(i18n.get_locale(), events.option_until, date = format::date_time(t, i18n.get_locale())).to_string()}</span> })}
        </p>
        <dl class="facts">
            <dt>{t!(i18n, events.fields.kind)}</dt><dd>{move || labels::event_kind(i18n.get_locale(), s.kind)}</dd>
            <dt>{t!(i18n, events.when)}</dt><dd>{move || dates_text(&when, i18n.get_locale())}</dd>
            <dt>{t!(i18n, events.held)}</dt>
            <dd>
                {move || td_string!(i18n.get_locale(), events.held_text, from = format::date_time(held_from, i18n.get_locale()), until = format::date_time(held_until, i18n.get_locale())).to_string()}
                " ("{move || td_string!(i18n.get_locale(), events.setup_teardown, setup = format::duration(i64::from(setup), i18n.get_locale()), teardown = format::duration(i64::from(teardown), i18n.get_locale())).to_string()}")"
            </dd>
            <dt>{t!(i18n, events.fields.attendance)}</dt><dd>{s.attendance}</dd>
            <dt>{t!(i18n, events.organiser)}</dt><dd>{s.organiser.clone()} " · " {d.organiser_email.clone()} {d.organisation.clone().map(|o| format!(" · {o}"))}</dd>
        </dl>
        <h2>{t!(i18n, events.fields.spaces)}</h2>
        {if d.spaces.is_empty() {
            view! { <p>{t!(i18n, events.no_spaces)}</p> }.into_any()
        } else {
            view! {
                <ul>
                    {d.spaces.iter().map(|sp| {
                        let (layout, capacity) = (sp.layout, sp.capacity);
                        view! { <li>{sp.name.clone()} " — " {move || td_string!(i18n.get_locale(), events.layout_capacity, layout = labels::layout(i18n.get_locale(), layout), capacity = capacity).to_string()}</li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p>
            <a href=format!("/evenements/{id}/fiche")>{t!(i18n, events.sheet.link)}</a>
            {quote.is_some().then(|| view! { " · " <a href=format!("/evenements/{id}/devis")>{t!(i18n, events.quote.print)}</a> })}
        </p>

        <h2>{t!(i18n, events.quote.title)}</h2>
        {match quote.clone() {
            Some(q) => view! { <QuoteTable q/> }.into_any(),
            None => view! { <p>{t!(i18n, events.quote.none_yet)}</p> }.into_any(),
        }}
        {d.can_answer.then(|| view! {
            <div class="actions">
                <ActionForm action=actions.answer attr:class="inline-actions">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="answer" value="accept"/>
                    <button type="submit" class="button">{t!(i18n, events.quote.accept)}</button>
                </ActionForm>
                <ActionForm action=actions.answer attr:class="inline-actions">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="answer" value="decline"/>
                    <button type="submit" class="button secondary">{t!(i18n, events.quote.decline)}</button>
                </ActionForm>
            </div>
        })}

        {manager.then(|| {
            let chosen: Vec<(i32, super::model::Layout)> = d.spaces.iter().map(|sp| (sp.space_id, sp.layout)).collect();
            view! { <ManagerPanel id status draft quote_sent=quote.is_some() chosen actions error/> }
        })}

        {(!d.payments.is_empty()).then(|| view! {
            <h2>{t!(i18n, events.payments)}</h2>
            <ul>
                {d.payments.iter().map(|p| {
                    let (kind, amount, due, voided) = (p.kind.clone(), p.amount_cents, p.due_on, p.voided);
                    view! {
                        <li class:voided=voided>
                            {move || labels::payment_kind(i18n.get_locale(), &kind)} " : " {move || format::money(amount, i18n.get_locale())}
                            " — " {move || td_string!(i18n.get_locale(), events.due_on, date = format::long_date(due, i18n.get_locale())).to_string()}
                            {voided.then(|| view! { " " <span class="badge">{t!(i18n, events.voided)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}

        {d.cancellation.clone().map(|c| view! {
            <h2>{t!(i18n, events.cancel.title)}</h2>
            <ActionForm action=actions.cancel attr:class="stack">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="fee" value=c.fee_cents/>
                <p>{move || if c.fee_cents > 0 {
                    td_string!(i18n.get_locale(), events.cancel.fee, fee = format::money(c.fee_cents, i18n.get_locale()), percent = c.percent, days = c.notice_days).to_string()
                } else {
                    t_string!(i18n, events.cancel.free).to_string()
                }}</p>
                <div class="field checkbox">
                    <input id="champ-agree" type="checkbox" name="agree" value="on"/>
                    <label for="champ-agree">{t!(i18n, events.cancel.agree)}</label>
                </div>
                <button type="submit" class="button danger">{t!(i18n, events.cancel.submit)}</button>
            </ActionForm>
        })}

        <h2>{t!(i18n, events.history)}</h2>
        <ol class="history">
            {d.history.iter().map(|h| {
                let (what, at, by) = (h.what.clone(), h.at, h.by.clone());
                view! { <li>{move || format::date_time(at, i18n.get_locale())} " — " {move || labels::event_history(i18n.get_locale(), &what)} {by.clone().map(|b| format!(" ({b})"))}</li> }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn QuoteTable(q: QuoteView) -> impl IntoView {
    let i18n = use_i18n();
    let QuoteView {
        version,
        lines,
        discount_bp,
        discount_reason,
        gross_cents,
        discount_cents,
        excl_vat_cents,
        vat,
        incl_vat_cents,
        valid_until,
        sent_at,
        accepted_at,
        declined_at,
    } = q;
    let money = move |c: i64| format::money(c, i18n.get_locale());
    view! {
        <p class="hint">
            {move || td_string!(i18n.get_locale(), events.quote.version, version = version, date = format::long_date(valid_until, i18n.get_locale())).to_string()}
            {accepted_at.map(|_| view! { " · " <strong>{t!(i18n, events.quote.accepted)}</strong> })}
            {declined_at.map(|_| view! { " · " <strong>{t!(i18n, events.quote.declined)}</strong> })}
            {sent_at.is_none().then(|| view! { " · " <strong>{t!(i18n, events.quote.draft)}</strong> })}
        </p>
        <div class="table-wrap">
            <table class="quote">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, events.quote.description)}</th>
                        <th scope="col" class="num">{t!(i18n, events.quote.quantity)}</th>
                        <th scope="col" class="num">{t!(i18n, events.quote.unit_price)}</th>
                        <th scope="col" class="num">{t!(i18n, events.quote.vat)}</th>
                        <th scope="col" class="num">{t!(i18n, events.quote.amount)}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.description.clone()}</td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{move || money(l.unit_cents)}</td>
                            <td class="num">{move || format::percent_bp(l.vat_bp, i18n.get_locale())}</td>
                            <td class="num">{move || money(l.amount_cents)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    {(discount_cents > 0).then(|| view! {
                        <tr><th scope="row" colspan="4">{t!(i18n, events.quote.gross)}</th><td class="num">{move || money(gross_cents)}</td></tr>
                        <tr><th scope="row" colspan="4">{move || td_string!(i18n.get_locale(), events.quote.discount_line, percent = format::percent_bp(discount_bp, i18n.get_locale()), reason = discount_reason.clone()).to_string()}</th><td class="num">{move || format!("−{}", money(discount_cents))}</td></tr>
                    })}
                    <tr><th scope="row" colspan="4">{t!(i18n, events.quote.total_excl)}</th><td class="num">{move || money(excl_vat_cents)}</td></tr>
                    {vat.into_iter().map(|v| view! {
                        <tr><th scope="row" colspan="4">{move || td_string!(i18n.get_locale(), events.quote.vat_line, rate = format::percent_bp(v.vat_bp, i18n.get_locale()), base = money(v.base_cents)).to_string()}</th><td class="num">{move || money(v.vat_cents)}</td></tr>
                    }).collect_view()}
                    <tr class="total"><th scope="row" colspan="4">{t!(i18n, events.quote.total_incl)}</th><td class="num">{move || money(incl_vat_cents)}</td></tr>
                </tfoot>
            </table>
        </div>
    }
}

#[component]
fn ManagerPanel(
    id: i32,
    status: EventStatus,
    draft: Option<QuoteView>,
    quote_sent: bool,
    chosen: Vec<(i32, super::model::Layout)>,
    actions: EventActions,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(|| (), |_| event_space_options());
    let open = matches!(
        status,
        EventStatus::Request | EventStatus::Quoted | EventStatus::Option
    );
    let until_label = move || t_string!(i18n, events.manage.option_until).to_string();
    view! {
        <h2>{t!(i18n, events.manage.title)}</h2>
        {open.then(|| view! {
            <ActionForm action=actions.spaces attr:class="stack">
                <input type="hidden" name="id" value=id/>
                <Loaded resource=options then={move |spaces: Vec<EventSpaceOption>| view! { <SpaceChoice spaces error chosen=chosen.clone() offer_suggest=false/> }}/>
                <button type="submit" class="button secondary">{t!(i18n, events.manage.save_spaces)}</button>
            </ActionForm>
        })}
        {open.then(|| match draft.clone() {
            None => step_form!(actions.draft, id, move || if quote_sent { t_string!(i18n, events.manage.revise).to_string() } else { t_string!(i18n, events.manage.prepare).to_string() }, "button").into_any(),
            Some(q) => view! { <DraftEditor id q actions error/> }.into_any(),
        })}
        <div class="actions">
            {(status == EventStatus::Quoted).then(|| view! {
                <ActionForm action=actions.option attr:class="inline-actions">
                    <input type="hidden" name="id" value=id/>
                    <label for="champ-until">{until_label}</label>
                    <input id="champ-until" type="date" name="until" required=true/>
                    <button type="submit" class="button secondary">{t!(i18n, events.manage.place_option)}</button>
                </ActionForm>
            })}
            {(status == EventStatus::Option).then(|| step_form!(actions.release, id, t!(i18n, events.manage.release), "button secondary"))}
            {matches!(status, EventStatus::Quoted | EventStatus::Option).then(|| step_form!(actions.confirm, id, t!(i18n, events.manage.confirm), "button"))}
            {open.then(|| step_form!(actions.decline, id, t!(i18n, events.manage.decline), "button secondary"))}
            {(status == EventStatus::Confirmed).then(|| step_form!(actions.done, id, t!(i18n, events.manage.done), "button secondary"))}
            {(status == EventStatus::Done).then(|| step_form!(actions.close, id, t!(i18n, events.manage.close), "button secondary"))}
        </div>
    }
}

#[component]
fn DraftEditor(
    id: i32,
    q: QuoteView,
    actions: EventActions,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let euros = |c: i64| format!("{},{:02}", c / 100, c % 100);
    let percent = |bp: i32| {
        if bp % 100 == 0 {
            format!("{}", bp / 100)
        } else {
            format!("{},{:02}", bp / 100, bp % 100)
        }
    };
    let valid = q.valid_until.to_string();
    let discount = if q.discount_bp > 0 {
        percent(q.discount_bp)
    } else {
        String::new()
    };
    let reason = q.discount_reason.clone();
    view! {
        <h3>{t!(i18n, events.manage.draft)}</h3>
        <QuoteTable q=q.clone()/>
        <h4>{t!(i18n, events.manage.lines)}</h4>
        {q.lines.clone().into_iter().enumerate().map(|(n, l)| {
            let form_id = format!("ligne-{}", l.id);
            let delete_id = format!("suppr-{}", l.id);
            let number = n + 1;
            view! {
                <div class="quote-line">
                    <ActionForm action=actions.line attr:id=form_id attr:class="inline-actions">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="line_id" value=l.id/>
                        <input type="text" name="description" value=l.description.clone() aria-label=move || format!("{} {number}", t_string!(i18n, events.quote.description))/>
                        <input type="number" class="short" name="quantity" min="1" value=l.quantity aria-label=move || format!("{} {number}", t_string!(i18n, events.quote.quantity))/>
                        <input type="text" class="short" name="unit_price" value=euros(l.unit_cents) aria-label=move || format!("{} {number}", t_string!(i18n, events.quote.unit_price))/>
                        <input type="text" class="short" name="vat" value=percent(l.vat_bp) aria-label=move || format!("{} {number}", t_string!(i18n, events.quote.vat))/>
                        <button type="submit" class="button secondary">{t!(i18n, events.manage.save_line)}</button>
                    </ActionForm>
                    <ActionForm action=actions.delete_line attr:id=delete_id attr:class="inline-actions">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="line_id" value=l.id/>
                        <button type="submit" class="button secondary">{t!(i18n, events.manage.delete_line)}</button>
                    </ActionForm>
                </div>
            }
        }).collect_view()}
        <ActionForm action=actions.line attr:class="inline-actions new-line">
            <input type="hidden" name="id" value=id/>
            <input type="text" name="description" placeholder=move || t_string!(i18n, events.quote.description).to_string() aria-label=move || t_string!(i18n, events.manage.new_line).to_string()/>
            <input type="number" class="short" name="quantity" min="1" value="1" aria-label=move || t_string!(i18n, events.quote.quantity).to_string()/>
            <input type="text" class="short" name="unit_price" placeholder="0,00" aria-label=move || t_string!(i18n, events.quote.unit_price).to_string()/>
            <input type="text" class="short" name="vat" value="20" aria-label=move || t_string!(i18n, events.quote.vat).to_string()/>
            <button type="submit" class="button secondary">{t!(i18n, events.manage.add_line)}</button>
        </ActionForm>
        <ActionForm action=actions.terms attr:class="stack">
            <input type="hidden" name="id" value=id/>
            <div class="row">
                <Field label=tr!(i18n, events.manage.discount) name="discount" value=Signal::stored(discount) error/>
                <Field label=tr!(i18n, events.manage.reason) name="reason" value=Signal::stored(reason) error/>
                <Field label=tr!(i18n, events.manage.valid_until) name="valid_until" input_type="date" value=Signal::stored(valid) error/>
            </div>
            <button type="submit" class="button secondary">{t!(i18n, events.manage.save_terms)}</button>
        </ActionForm>
        {step_form!(actions.send, id, t!(i18n, events.manage.send), "button")}
    }
}

// ---------------------------------------------------------------------------------------------
// Printable documents.

#[component]
pub fn QuotePrintPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = event_id_param();
    let id = id.get_untracked();
    let event = Resource::new(move || id.clone(), get_event);
    view! {
        <PageTitle text=|locale| td_string!(locale, events.quote.title).to_string()/>
        <Loaded resource=event then={move |d: EventDetail| {
            let when = d.summary.clone();
            view! {
                <article class="document">
                    <header>
                        <p><strong>"Coopole"</strong> " — " {t!(i18n, events.document.hub)}</p>
                        <h1>{move || td_string!(i18n.get_locale(), events.document.quote_title, number = when.id).to_string()}</h1>
                        <p>{t!(i18n, events.document.for_whom)} " " {d.summary.organiser.clone()} {d.organisation.clone().map(|o| format!(", {o}"))} " · " {d.organiser_email.clone()}</p>
                        <p>{d.summary.name.clone()} " — " {move || dates_text(&when, i18n.get_locale())} " — " {d.spaces.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", ")}</p>
                    </header>
                    {match d.quote.clone() {
                        Some(q) => view! { <QuoteTable q/> }.into_any(),
                        None => view! { <p>{t!(i18n, events.quote.none_yet)}</p> }.into_any(),
                    }}
                    <p class="no-print"><button type="button" class="button" onclick="window.print()">{t!(i18n, events.document.print)}</button></p>
                </article>
            }
        }}/>
    }
}

#[component]
pub fn EventSheetPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = event_id_param();
    let id = id.get_untracked();
    let event = Resource::new(move || id.clone(), get_event);
    view! {
        <PageTitle text=|locale| td_string!(locale, events.sheet.title).to_string()/>
        <Loaded resource=event then={move |d: EventDetail| {
            let when = d.summary.clone();
            let (held_from, held_until) = (d.held_from, d.held_until);
            let extras = d.extras.clone();
            view! {
                <article class="document">
                    <h1>{t!(i18n, events.sheet.title)} " — " {d.summary.name.clone()}</h1>
                    <p>{status_badge(d.summary.status)}</p>
                    <dl class="facts">
                        <dt>{t!(i18n, events.when)}</dt><dd>{move || dates_text(&when, i18n.get_locale())}</dd>
                        <dt>{t!(i18n, events.held)}</dt><dd>{move || td_string!(i18n.get_locale(), events.held_text, from = format::date_time(held_from, i18n.get_locale()), until = format::date_time(held_until, i18n.get_locale())).to_string()}</dd>
                        <dt>{t!(i18n, events.fields.attendance)}</dt><dd>{d.summary.attendance}</dd>
                        <dt>{t!(i18n, events.fields.spaces)}</dt>
                        <dd>
                            <ul>
                                {d.spaces.iter().map(|sp| {
                                    let (layout, capacity) = (sp.layout, sp.capacity);
                                    view! { <li>{sp.name.clone()} " — " {move || td_string!(i18n.get_locale(), events.layout_capacity, layout = labels::layout(i18n.get_locale(), layout), capacity = capacity).to_string()}</li> }
                                }).collect_view()}
                            </ul>
                        </dd>
                        <dt>{t!(i18n, events.fields.extras)}</dt>
                        <dd>{move || if extras.is_empty() { "—".to_owned() } else { extras.iter().map(|x| labels::extra(i18n.get_locale(), *x)).collect::<Vec<_>>().join(", ") }}</dd>
                        <dt>{t!(i18n, events.fields.catering)}</dt>
                        <dd>{if d.catering.is_empty() { "—".to_owned() } else { d.catering.clone() }} {(d.catering_covers > 0).then(|| { let n = d.catering_covers; view! { " " {move || td_string!(i18n.get_locale(), events.sheet.covers, count = n).to_string()} } })}</dd>
                        <dt>{t!(i18n, events.sheet.contact)}</dt>
                        <dd>{d.summary.organiser.clone()} " · " {d.organiser_email.clone()} {(!d.contact_phone.is_empty()).then(|| format!(" · {}", d.contact_phone))}</dd>
                        <dt>{t!(i18n, events.fields.notes)}</dt><dd>{if d.notes.is_empty() { "—".to_owned() } else { d.notes.clone() }}</dd>
                    </dl>
                    <p class="no-print"><button type="button" class="button" onclick="window.print()">{t!(i18n, events.document.print)}</button></p>
                </article>
            }
        }}/>
    }
}
