//! Invoicing's pages: the seller's identity, the billing runs and their previews, and one
//! invoice as its document.
mod accounts;
mod invoice;
mod profile;
mod run;
mod runs;
mod seller;

pub use accounts::AccountsPage;
pub use invoice::InvoicePage;
pub use profile::BillingProfilePage;
pub use run::RunPage;
pub use runs::RunsPage;
pub use seller::SellerPage;

use super::model::{InvoiceStatus, RunStatus};
use crate::i18n::{Locale, td_string};

pub(crate) fn run_status(locale: Locale, s: RunStatus) -> String {
    match s {
        RunStatus::Draft => td_string!(locale, billing.run_status.draft),
        RunStatus::Issuing => td_string!(locale, billing.run_status.issuing),
        RunStatus::Issued => td_string!(locale, billing.run_status.issued),
    }
    .to_string()
}

pub(crate) fn invoice_status(locale: Locale, s: InvoiceStatus) -> String {
    match s {
        InvoiceStatus::Draft => td_string!(locale, billing.invoice_status.draft),
        InvoiceStatus::Issued => td_string!(locale, billing.invoice_status.issued),
    }
    .to_string()
}
