//! Server functions of invoicing. Managers run billing and read every invoice; a buyer's
//! referent (and its members, when allowed) reads its own invoices, and an organiser theirs.
#![allow(clippy::too_many_arguments)]
use super::model::{RunRow, RunView, SellerVersion};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod errors {
    use super::super::model::BillingFormError;
    use super::super::rules::{CreditRefused, PaymentRefused};
    use super::super::service::BillingError;
    use crate::ctx::Ctx;
    use crate::error::AppError;
    use crate::i18n::{Locale, td_string};

    pub fn not_found(locale: Locale) -> AppError {
        AppError::NotFound {
            message: td_string!(locale, billing.errors.not_found).to_string(),
        }
    }

    pub fn form(e: BillingFormError, locale: Locale) -> AppError {
        use BillingFormError as E;
        let message = match e {
            E::Text(field, t) => return crate::input::text_error(field, t, locale),
            E::Siren => td_string!(locale, billing.errors.siren),
            E::Siret => td_string!(locale, billing.errors.siret),
            E::SiretNotSiren => td_string!(locale, billing.errors.siret_not_siren),
            E::VatNumber => td_string!(locale, billing.errors.vat_number),
            E::Iban => td_string!(locale, billing.errors.iban),
            E::Bic => td_string!(locale, billing.errors.bic),
            E::Postcode => td_string!(locale, billing.errors.postcode),
            E::Country => td_string!(locale, billing.errors.country),
            E::ShareCapital => td_string!(locale, billing.errors.share_capital),
            E::PenaltyRate => td_string!(locale, billing.errors.penalty_rate),
            E::PaymentDays => td_string!(locale, billing.errors.payment_days),
            E::Email => td_string!(locale, billing.errors.email),
            E::Amount => td_string!(locale, billing.errors.amount),
            E::Quantity => td_string!(locale, billing.errors.quantity),
            E::VatRate => td_string!(locale, billing.errors.vat_rate),
            E::Method => td_string!(locale, billing.errors.method),
            E::Date => td_string!(locale, billing.errors.date),
            E::Month => td_string!(locale, billing.errors.month),
            E::ReminderDays => td_string!(locale, billing.errors.reminder_days),
            E::NoAllocation => td_string!(locale, billing.errors.no_allocation),
            E::AllocationSum => td_string!(locale, billing.errors.allocation_sum),
        };
        AppError::validation(e.field(), message.to_string())
    }

    /// A form error for a form whose fields carry a prefix (`credit_reason`, `credit`), so
    /// that two forms on one page keep distinct fields.
    pub fn form_in(prefix: &str, e: BillingFormError, locale: Locale) -> AppError {
        match form(e, locale) {
            AppError::Validation { field, message } => {
                let field = match field.as_str() {
                    "amount" => prefix.to_owned(),
                    other => format!("{prefix}_{other}"),
                };
                AppError::Validation { field, message }
            }
            other => other,
        }
    }

    pub fn billing(e: BillingError, ctx: &Ctx) -> AppError {
        let locale = ctx.locale;
        let conflict = |m: &str| AppError::Conflict {
            message: m.to_owned(),
        };
        match e {
            BillingError::NotFound => not_found(locale),
            BillingError::PeriodBilled => AppError::validation(
                "month",
                td_string!(locale, billing.errors.period_billed).to_string(),
            ),
            BillingError::PeriodAhead => AppError::validation(
                "month",
                td_string!(locale, billing.errors.period_ahead).to_string(),
            ),
            BillingError::NoSeller => conflict(td_string!(locale, billing.errors.no_seller)),
            BillingError::RunNotDraft => conflict(td_string!(locale, billing.errors.run_not_draft)),
            BillingError::Concurrent => conflict(td_string!(locale, billing.errors.concurrent)),
            BillingError::Credit(r) => match r {
                CreditRefused::NotIssued | CreditRefused::NotAnInvoice => {
                    conflict(td_string!(locale, billing.errors.credit_not_invoice))
                }
                CreditRefused::UnknownLine(_) => not_found(locale),
                CreditRefused::AboveLine { left_cents, .. } => AppError::validation(
                    "credit",
                    td_string!(
                        locale,
                        billing.errors.credit_above_line,
                        left = crate::format::money(left_cents, locale)
                    )
                    .to_string(),
                ),
                CreditRefused::AboveInvoice { left_cents } => AppError::validation(
                    "credit",
                    td_string!(
                        locale,
                        billing.errors.credit_above_invoice,
                        left = crate::format::money(left_cents, locale)
                    )
                    .to_string(),
                ),
            },
            BillingError::Payment(r) => match r {
                PaymentRefused::UnknownInvoice(_) => not_found(locale),
                PaymentRefused::AboveDue { due_cents, .. } => AppError::validation(
                    "amount",
                    td_string!(
                        locale,
                        billing.errors.payment_above_due,
                        due = crate::format::money(due_cents, locale)
                    )
                    .to_string(),
                ),
            },
            BillingError::Db(e) => ctx.internal(e),
        }
    }
}

#[cfg(feature = "ssr")]
fn id_of(raw: &str, locale: crate::i18n::Locale) -> Result<i32, AppError> {
    raw.trim()
        .parse::<i32>()
        .map_err(|_| errors::not_found(locale))
}

/// The seller's identity versions, newest first, for managers.
#[server(prefix = "/api", endpoint = "billing/seller")]
pub async fn get_seller() -> Result<Vec<SellerVersion>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    super::service::seller_versions(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Saves a new version of the seller's identity.
#[server(prefix = "/api", endpoint = "billing/save-seller")]
pub async fn save_seller(
    name: String,
    legal_form: String,
    #[server(default)] share_capital: String,
    street: String,
    postcode: String,
    city: String,
    #[server(default)] country: String,
    siret: String,
    #[server(default)] rcs_city: String,
    vat_number: String,
    iban: String,
    bic: String,
    penalty_rate: String,
    payment_days: String,
    #[server(default)] vat_on_debits: String,
    early_discount: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let form = super::model::SellerForm {
        name,
        legal_form,
        share_capital,
        street,
        postcode,
        city,
        country,
        siret,
        rcs_city,
        vat_number,
        iban,
        bic,
        penalty_rate,
        payment_days,
        vat_on_debits: !vat_on_debits.trim().is_empty(),
        early_discount,
    };
    let seller = form.parse().map_err(|e| errors::form(e, ctx.locale))?;
    let id = super::service::save_seller(&ctx.db, &seller, manager.id, chrono::Utc::now())
        .await
        .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect("/gestion/facturation/vendeur?enregistre=1");
    Ok(id)
}

/// Every billing run, for managers.
#[server(prefix = "/api", endpoint = "billing/runs")]
pub async fn list_runs() -> Result<Vec<RunRow>, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    super::service::runs(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Opens the run of a month (its drafts made at once); the form goes to its preview.
#[server(prefix = "/api", endpoint = "billing/create-run")]
pub async fn create_run(month: String) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let month = super::model::month(&month).map_err(|e| errors::form(e, ctx.locale))?;
    let id = super::service::create_run(&ctx.db, month, manager.id, chrono::Utc::now())
        .await
        .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/facturation/{id}"));
    Ok(id)
}

/// A run's preview, or its progress while it is issued.
#[server(prefix = "/api", endpoint = "billing/run")]
pub async fn get_run(id: String) -> Result<RunView, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let id = id_of(&id, ctx.locale)?;
    super::service::run_view(&ctx.db, id, chrono::Utc::now())
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| errors::not_found(ctx.locale))
}

/// Leaves a buyer out of a draft run, with a reason.
#[server(prefix = "/api", endpoint = "billing/exclude")]
pub async fn exclude_buyer(
    run: String,
    profile: String,
    exclusion_reason: String,
) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let (run, profile) = (id_of(&run, ctx.locale)?, id_of(&profile, ctx.locale)?);
    let reason = crate::input::required(&exclusion_reason, crate::input::limits::LINE, false)
        .map_err(|e| crate::input::text_error("exclusion_reason", e, ctx.locale))?;
    super::service::exclude(
        &ctx.db,
        run,
        profile,
        &reason,
        manager.id,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/facturation/{run}"));
    Ok(())
}

/// Puts an excluded buyer back into a draft run.
#[server(prefix = "/api", endpoint = "billing/include")]
pub async fn include_buyer(run: String, profile: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let (run, profile) = (id_of(&run, ctx.locale)?, id_of(&profile, ctx.locale)?);
    super::service::include(&ctx.db, run, profile, manager.id, chrono::Utc::now())
        .await
        .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/facturation/{run}"));
    Ok(())
}

/// Adds a line by hand to a buyer's draft, with its reason.
#[server(prefix = "/api", endpoint = "billing/manual-line")]
pub async fn add_manual_line(
    run: String,
    profile: String,
    description: String,
    quantity: String,
    amount: String,
    vat_rate: String,
    reason: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let (run, profile) = (id_of(&run, ctx.locale)?, id_of(&profile, ctx.locale)?);
    let line =
        super::model::ManualLine::parse(&description, &quantity, &amount, &vat_rate, &reason)
            .map_err(|e| errors::form(e, ctx.locale))?;
    let id = super::service::add_manual_line(
        &ctx.db,
        run,
        profile,
        &line,
        manager.id,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/facturation/{run}"));
    Ok(id)
}

/// Starts issuing a draft run; the page then shows its progress.
#[server(prefix = "/api", endpoint = "billing/issue-run")]
pub async fn issue_run(run: String) -> Result<(), AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let run = id_of(&run, ctx.locale)?;
    super::service::start_issuing(&ctx.db, run, manager.id, chrono::Utc::now())
        .await
        .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!("/gestion/facturation/{run}"));
    Ok(())
}

/// One invoice or credit note, for managers and for its buyer: an organisation's referent
/// (its members too when the referent allows it), or the person billed. To anyone else it
/// does not exist.
#[server(prefix = "/api", endpoint = "billing/invoice")]
pub async fn get_invoice(id: String) -> Result<super::model::InvoiceDoc, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    let id = id_of(&id, ctx.locale)?;
    let doc = super::service::invoice_doc(&ctx.db, id)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| errors::not_found(ctx.locale))?;
    if !super::service::may_read(&ctx.db, &user, &doc)
        .await
        .map_err(|e| ctx.internal(e))?
    {
        return Err(errors::not_found(ctx.locale));
    }
    Ok(doc)
}

/// An organisation's billing identity, for managers.
#[server(prefix = "/api", endpoint = "billing/profile")]
pub async fn get_profile(organisation: String) -> Result<super::model::ProfilePage, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let organisation = id_of(&organisation, ctx.locale)?;
    super::service::organisation_profile(&ctx.db, organisation)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| errors::not_found(ctx.locale))
}

/// Sets an organisation's billing identity. Its waiting charges go to the next run opened,
/// and a draft run picks them up when it is rebuilt.
#[server(prefix = "/api", endpoint = "billing/save-profile")]
pub async fn save_profile(
    organisation: String,
    legal_name: String,
    street: String,
    postcode: String,
    city: String,
    #[server(default)] country: String,
    #[server(default)] siren: String,
    #[server(default)] vat_number: String,
    email: String,
    #[server(default)] members_see_invoices: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    ctx.require_manager().await?;
    let organisation = id_of(&organisation, ctx.locale)?;
    let form = super::model::ProfileForm {
        legal_name,
        street,
        postcode,
        city,
        country,
        siren,
        vat_number,
        email,
        members_see_invoices: !members_see_invoices.trim().is_empty(),
    };
    let profile = form.parse().map_err(|e| errors::form(e, ctx.locale))?;
    if super::service::organisation_profile(&ctx.db, organisation)
        .await
        .map_err(|e| ctx.internal(e))?
        .is_none()
    {
        return Err(errors::not_found(ctx.locale));
    }
    let id = super::service::save_profile(
        &ctx.db,
        super::service::Buyer::Organisation(organisation),
        &profile,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!(
        "/gestion/structures/{organisation}/facturation?enregistre=1"
    ));
    Ok(id)
}

/// The signed-in user's accounts: their organisation's (for its referent, or its members when
/// allowed) and their own as a person billed.
#[server(prefix = "/api", endpoint = "billing/my-accounts")]
pub async fn my_accounts() -> Result<Vec<super::model::Account>, AppError> {
    let ctx = crate::ctx::ctx()?;
    let user = ctx.require_user().await?;
    super::service::accounts_of(&ctx.db, &user)
        .await
        .map_err(|e| ctx.internal(e))
}

/// Records a payment of one invoice, whole or partial.
#[server(prefix = "/api", endpoint = "billing/record-payment")]
pub async fn record_payment(
    invoice: String,
    method: String,
    #[server(default)] date: String,
    amount: String,
    #[server(default)] reference: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let invoice = id_of(&invoice, ctx.locale)?;
    let now = chrono::Utc::now();
    let today = crate::bookings::rules::paris_today(now);
    // Left empty, the payment came in today.
    let date = if date.trim().is_empty() {
        today.to_string()
    } else {
        date
    };
    let payment = super::model::NewPayment::parse(
        &method,
        &date,
        &amount,
        &reference,
        &[(invoice, amount.clone())],
        today,
    )
    .map_err(|e| errors::form(e, ctx.locale))?;
    let profile = super::service::invoice_profile(&ctx.db, invoice)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| errors::not_found(ctx.locale))?;
    let id = super::service::record_payment(&ctx.db, profile, &payment, manager.id, now)
        .await
        .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!("/factures/{invoice}"));
    Ok(id)
}

/// Issues a credit note against an invoice: one line's amount, or every line's remainder
/// when `credit_line` is "all". The form's fields are named apart from the payment form's,
/// which shares its page.
#[server(prefix = "/api", endpoint = "billing/credit-note")]
pub async fn issue_credit_note(
    invoice: String,
    credit_line: String,
    #[server(default)] credit: String,
    credit_reason: String,
) -> Result<i32, AppError> {
    let ctx = crate::ctx::ctx()?;
    let manager = ctx.require_manager().await?;
    let invoice = id_of(&invoice, ctx.locale)?;
    let doc = super::service::invoice_doc(&ctx.db, invoice)
        .await
        .map_err(|e| ctx.internal(e))?
        .ok_or_else(|| errors::not_found(ctx.locale))?;
    let note = if credit_line.trim() == "all" {
        let left: Vec<(i32, i64)> = doc
            .lines
            .iter()
            .map(|l| (l.id, l.net_cents - l.credited_cents))
            .collect();
        super::model::NewCreditNote::whole(&credit_reason, &left)
    } else {
        super::model::NewCreditNote::parse(
            &credit_reason,
            &[(id_of(&credit_line, ctx.locale)?, credit)],
        )
    }
    .map_err(|e| errors::form_in("credit", e, ctx.locale))?;
    let id =
        super::service::issue_credit_note(&ctx.db, invoice, &note, manager.id, chrono::Utc::now())
            .await
            .map_err(|e| errors::billing(e, &ctx))?;
    leptos_axum::redirect(&format!("/factures/{id}"));
    Ok(id)
}
