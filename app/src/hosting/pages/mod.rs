//! Hosting's pages: the managers' list of leases, the lease form, and one lease's page.
mod amend;
pub mod document;
mod lease;
mod leases;
mod new_lease;
mod occupancy;
mod plan;

pub use amend::AmendLeasePage;
pub use document::LeaseDocumentPage;
pub use lease::LeasePage;
pub use leases::{LeasesPage, MyLeasesPage};
pub use new_lease::NewLeasePage;
pub use occupancy::OccupancyPage;
pub use plan::FloorPlanPage;

use super::model::LeaseStatus;
use crate::i18n::{Locale, td_string};

pub(crate) fn status_label(locale: Locale, status: LeaseStatus) -> String {
    match status {
        LeaseStatus::Active => td_string!(locale, hosting.status.active),
        LeaseStatus::NoticeGiven => td_string!(locale, hosting.status.notice_given),
        LeaseStatus::Ended => td_string!(locale, hosting.status.ended),
    }
    .to_string()
}
