use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The error of the last submission of `action`, if it failed.
///
/// A form posted without JavaScript comes back with its error in the address (`__err`); the
/// router hands it to actions created under `<Routes>`. This also reads it for actions created
/// above the routes (the session's), so every form shows its error either way.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    let from_address = use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == S::PATH)
        .map(|e| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()));
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e)) => Some(e.clone()),
            Some(Ok(_)) => None,
            None => from_address.clone(),
        })
    })
}

fn field_message(error: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some(name))
                .map(|e| e.message().to_owned())
        })
    })
}

/// A labelled input. Its error, when the server names this field, shows under it and is
/// announced by screen readers (`aria-invalid`, `aria-describedby`).
#[component]
pub fn Field(
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<Signal<String>>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(default = false)] required: bool,
    #[prop(optional)] min: Option<&'static str>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let error_id = format!("{id}-erreur");
    let hint_id = format!("{id}-aide");
    let message = field_message(error, name);
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
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
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                required=required
                min=min
                value=move || value.map(|v| v.get()).unwrap_or_default()
                aria-invalid=move || message.with(Option::is_some).then_some("true")
                aria-describedby=described_by
            />
            {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// A labelled `<select>`; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] selected: Option<Signal<String>>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let error_id = format!("{id}-erreur");
    let message = field_message(error, name);
    let current = move || selected.map(|s| s.get()).unwrap_or_default();
    view! {
        <div class="field" class:has-error=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || message.with(Option::is_some).then_some("true")
                aria-describedby={
                    let error_id = error_id.clone();
                    move || message.with(Option::is_some).then(|| error_id.clone())
                }
            >
                <For
                    each=move || options.get()
                    key=|(value, label)| (value.clone(), label.clone())
                    children=move |(value, label)| {
                        let is_selected = {
                            let value = value.clone();
                            move || current() == value
                        };
                        view! {
                            <option value=value selected=is_selected>
                                {label}
                            </option>
                        }
                    }
                />
            </select>
            {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// The form's error when it is not about one field (wrong password, too many attempts,
/// no access), or about a field this form does not show.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    let shown = move || {
        error
            .get()
            .filter(|e| e.field().is_none_or(|f| !fields.contains(&f)))
    };
    view! {
        {move || shown().map(|e| view! { <p class="form-error" role="alert">{e.message().to_owned()}</p> })}
    }
}

/// A submit button that says it is working while the server answers.
#[component]
pub fn Submit(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button primary" aria-disabled=move || pending.get().then_some("true")>
            {label}
        </button>
    }
}
