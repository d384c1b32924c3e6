//! Applications' pages, one file per page.
mod application;
mod apply;
mod committee;
mod committees;
mod pipeline;
mod visits;

pub use application::ApplicationPage;
pub use apply::{ApplyPage, MyApplicationsPage};
pub use committee::CommitteePage;
pub use committees::CommitteesPage;
pub use pipeline::ApplicationsPage;
pub use visits::VisitsPage;

use super::model::{ApplicationSummary, Wants};
use crate::format;
use crate::hosting::model::ApplicationStatus;
use crate::i18n::{Locale, td_string};
use chrono::NaiveDateTime;
use leptos::prelude::*;

pub(crate) fn status_label(locale: Locale, status: ApplicationStatus) -> String {
    use ApplicationStatus as S;
    match status {
        S::Received => td_string!(locale, applications.status.received),
        S::VisitBooked => td_string!(locale, applications.status.visit_booked),
        S::Visited => td_string!(locale, applications.status.visited),
        S::AtCommittee => td_string!(locale, applications.status.at_committee),
        S::Accepted => td_string!(locale, applications.status.accepted),
        S::WaitListed => td_string!(locale, applications.status.wait_listed),
        S::Refused => td_string!(locale, applications.status.refused),
        S::Withdrawn => td_string!(locale, applications.status.withdrawn),
    }
    .to_string()
}

pub(crate) fn status_badge(locale: Locale, status: ApplicationStatus) -> impl IntoView + use<> {
    view! { <span class=format!("badge status-{}", status.code())>{status_label(locale, status)}</span> }
}

/// A Paris date and time (views carry Paris wall-clock times).
pub(crate) fn when(t: NaiveDateTime, locale: Locale) -> String {
    format::date_time(t, locale)
}

/// "3 people in offices · 6 m² of storage".
pub fn wants_text(w: Wants, locale: Locale) -> String {
    let mut parts = Vec::new();
    if w.office_people > 0 {
        parts.push(td_string!(locale, applications.wants.offices, n = w.office_people).to_string());
    }
    if w.desks > 0 {
        parts.push(td_string!(locale, applications.wants.desks, n = w.desks).to_string());
    }
    if w.storage_m2 > 0 {
        parts.push(
            td_string!(
                locale,
                applications.wants.storage,
                area = format::area(i64::from(w.storage_m2), locale)
            )
            .to_string(),
        );
    }
    parts.join(" · ")
}

/// A table of applications: organisation, what it wants, from when, status and its next date.
pub(crate) fn applications_table(
    rows: Vec<ApplicationSummary>,
    locale: Locale,
    caption: String,
    ranked: bool,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        {ranked.then(|| view! { <th scope="col">{td_string!(locale, applications.list.rank).to_string()}</th> })}
                        <th scope="col">{td_string!(locale, applications.fields.organisation_name).to_string()}</th>
                        <th scope="col">{td_string!(locale, applications.list.wants).to_string()}</th>
                        <th scope="col">{td_string!(locale, applications.fields.wanted_from).to_string()}</th>
                        <th scope="col">{td_string!(locale, applications.list.status).to_string()}</th>
                        <th scope="col">{td_string!(locale, applications.list.next).to_string()}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|a| {
                        let next = match (a.status, a.visit, a.committee) {
                            (ApplicationStatus::VisitBooked, Some(v), _) => td_string!(locale, applications.list.visit_on, at = when(v, locale)).to_string(),
                            (ApplicationStatus::AtCommittee, _, Some((_, c))) => td_string!(locale, applications.list.committee_on, at = when(c, locale)).to_string(),
                            (ApplicationStatus::Accepted, ..) if a.lease_id.is_some() => td_string!(locale, applications.list.leased).to_string(),
                            _ => String::new(),
                        };
                        view! {
                            <tr>
                                {ranked.then(|| view! { <td class="number">{a.wait_rank.map(|r| r.to_string()).unwrap_or_default()}</td> })}
                                <th scope="row"><a href=format!("/candidatures/{}", a.id)>{a.organisation_name.clone()}</a>
                                    <br/><small>{crate::labels::legal_form(locale, a.legal_form)} " · " {crate::labels::sector(locale, a.sector)}</small></th>
                                <td>{wants_text(a.wants, locale)}</td>
                                <td>{format::date(a.wanted_from, locale)}</td>
                                <td>{status_badge(locale, a.status)}</td>
                                <td>{next}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
