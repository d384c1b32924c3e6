//! Invoicing: the seller's identity (versioned), buyers' billing identities, monthly billing
//! runs, invoice and credit-note series, invoices with their lines, and payments.
//!
//! Guarantees kept by the database, on both backends:
//! - `invoice_series`: one counter row per series and year. Issuing locks it and takes its
//!   number in the same transaction, and `uq_invoices_number` refuses a number twice.
//! - `invoice_lines.billing_key`: what a line bills (a unit's month, a booking charge, an
//!   event's deposit or balance). Unique, so nothing is billed twice, whoever writes.
//! - `invoices.paid_cents <= incl_cents` and `credited_cents <= incl_cents`: an invoice is
//!   never paid, nor credited, beyond what it is worth. (Credited after it was paid, the
//!   difference is the buyer's credit on their statement.)
//! - Triggers refuse to edit or delete an issued invoice or its lines (only what is paid and
//!   credited moves), and to add a line to one.
use crate::helpers::{drop_tables, fk, index, unique};
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SellerIdentities {
    Table,
    Id,
    Version,
    Name,
    LegalForm,
    ShareCapitalCents,
    Street,
    Postcode,
    City,
    Country,
    Siren,
    Siret,
    RcsCity,
    VatNumber,
    Iban,
    Bic,
    PenaltyRateBp,
    PaymentDays,
    VatOnDebits,
    EarlyDiscount,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BillingSettings {
    Table,
    Id,
    ReminderDays,
    CancellationVatBp,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LedgerAccounts {
    Table,
    Id,
    Key,
    Number,
    Label,
}

#[derive(DeriveIden)]
enum BillingProfiles {
    Table,
    Id,
    OrganisationId,
    UserId,
    LegalName,
    Street,
    Postcode,
    City,
    Country,
    Siren,
    VatNumber,
    Email,
    IsBusiness,
    MembersSeeInvoices,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BillingRuns {
    Table,
    Id,
    PeriodStart,
    Status,
    IssueDate,
    CreatedBy,
    CreatedAt,
    IssueStartedBy,
    IssueStartedAt,
    IssuedAt,
    ClaimedBy,
    ClaimedUntil,
}

#[derive(DeriveIden)]
enum BillingRunExclusions {
    Table,
    Id,
    RunId,
    ProfileId,
    Reason,
    ByUser,
    At,
}

#[derive(DeriveIden)]
enum InvoiceSeries {
    Table,
    Id,
    Series,
    Year,
    NextSeq,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    RunId,
    Kind,
    Status,
    Series,
    Year,
    Seq,
    Number,
    SellerId,
    ProfileId,
    OrganisationId,
    UserId,
    BuyerName,
    BuyerStreet,
    BuyerPostcode,
    BuyerCity,
    BuyerCountry,
    BuyerSiren,
    BuyerVat,
    BuyerEmail,
    BuyerIsBusiness,
    DeliveryAddress,
    Nature,
    PeriodStart,
    PeriodEnd,
    IssueDate,
    DueDate,
    ExclCents,
    VatCents,
    InclCents,
    CreditedCents,
    PaidCents,
    CorrectsId,
    Reason,
    CreatedBy,
    CreatedAt,
    IssuedBy,
    IssuedAt,
}

#[derive(DeriveIden)]
enum InvoiceLines {
    Table,
    Id,
    InvoiceId,
    Position,
    Kind,
    Description,
    PeriodStart,
    PeriodEnd,
    Quantity,
    UnitCents,
    NetCents,
    VatBp,
    Exemption,
    BillingKey,
    CreditsLineId,
    Reason,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    ProfileId,
    Method,
    ReceivedOn,
    AmountCents,
    Reference,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentAllocations {
    Table,
    Id,
    PaymentId,
    InvoiceId,
    AmountCents,
}

/// The columns of an issued invoice that never change again.
const FROZEN_INVOICE_COLUMNS: &str = "kind, status, series, year, seq, number, seller_id, \
     profile_id, organisation_id, user_id, buyer_name, buyer_street, buyer_postcode, \
     buyer_city, buyer_country, buyer_siren, buyer_vat, buyer_email, buyer_is_business, \
     delivery_address, nature, period_start, period_end, issue_date, due_date, excl_cents, \
     vat_cents, incl_cents, corrects_id, reason";

fn sqlite_guards() -> Vec<String> {
    let refuse = "BEGIN SELECT RAISE(ABORT, 'invoices_frozen'); END";
    let line_of_issued =
        "(SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'".to_owned();
    vec![
        format!(
            "CREATE TRIGGER invoices_frozen_update BEFORE UPDATE OF {FROZEN_INVOICE_COLUMNS} \
             ON invoices WHEN OLD.status = 'issued' {refuse}"
        ),
        format!(
            "CREATE TRIGGER invoices_frozen_delete BEFORE DELETE ON invoices WHEN OLD.status = 'issued' {refuse}"
        ),
        format!(
            "CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines WHEN {line_of_issued} {refuse}"
        ),
        format!(
            "CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines WHEN {line_of_issued} {refuse}"
        ),
        format!(
            "CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines \
             WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) = 'issued' {refuse}"
        ),
    ]
}

fn postgres_guards() -> Vec<String> {
    vec![
        "CREATE FUNCTION invoices_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'invoices_frozen' USING ERRCODE = 'P0001'; END $$"
            .to_owned(),
        format!(
            "CREATE TRIGGER invoices_frozen_update BEFORE UPDATE OF {FROZEN_INVOICE_COLUMNS} \
             ON invoices FOR EACH ROW WHEN (OLD.status = 'issued') \
             EXECUTE FUNCTION invoices_frozen()"
        ),
        "CREATE TRIGGER invoices_frozen_delete BEFORE DELETE ON invoices FOR EACH ROW \
         WHEN (OLD.status = 'issued') EXECUTE FUNCTION invoices_frozen()"
            .to_owned(),
        // A trigger's WHEN cannot read another table on PostgreSQL: the function does.
        "CREATE FUNCTION invoice_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
         DECLARE inv integer;
         BEGIN
           IF TG_OP = 'INSERT' THEN inv := NEW.invoice_id; ELSE inv := OLD.invoice_id; END IF;
           IF (SELECT status FROM invoices WHERE id = inv) = 'issued' THEN
             RAISE EXCEPTION 'invoices_frozen' USING ERRCODE = 'P0001';
           END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
         END $$"
            .to_owned(),
        "CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines \
         FOR EACH ROW EXECUTE FUNCTION invoice_lines_frozen()"
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SellerIdentities::Table)
                    .col(pk_auto(SellerIdentities::Id))
                    .col(integer(SellerIdentities::Version))
                    .col(string_len(SellerIdentities::Name, 160))
                    .col(string_len(SellerIdentities::LegalForm, 80))
                    .col(big_integer_null(SellerIdentities::ShareCapitalCents))
                    .col(string_len(SellerIdentities::Street, 200))
                    .col(string_len(SellerIdentities::Postcode, 10))
                    .col(string_len(SellerIdentities::City, 80))
                    .col(string_len(SellerIdentities::Country, 2))
                    .col(string_len(SellerIdentities::Siren, 9))
                    .col(string_len(SellerIdentities::Siret, 14))
                    .col(string_len(SellerIdentities::RcsCity, 80))
                    .col(string_len(SellerIdentities::VatNumber, 20))
                    .col(string_len(SellerIdentities::Iban, 34))
                    .col(string_len(SellerIdentities::Bic, 11))
                    .col(integer(SellerIdentities::PenaltyRateBp))
                    .col(integer(SellerIdentities::PaymentDays))
                    .col(boolean(SellerIdentities::VatOnDebits))
                    .col(string_len(SellerIdentities::EarlyDiscount, 300))
                    .col(integer(SellerIdentities::CreatedBy))
                    .col(timestamp_with_time_zone(SellerIdentities::CreatedAt))
                    .check(Expr::col(SellerIdentities::Version).gte(1))
                    .check(Expr::col(SellerIdentities::PenaltyRateBp).between(0, 10_000))
                    // The Code de commerce caps payment terms at 60 days.
                    .check(Expr::col(SellerIdentities::PaymentDays).between(0, 60))
                    .foreign_key(&mut fk(
                        "fk_seller_identities_created_by",
                        (SellerIdentities::Table, SellerIdentities::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_seller_identities_version",
            SellerIdentities::Table,
            [SellerIdentities::Version],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(BillingSettings::Table)
                    .col(pk_auto(BillingSettings::Id))
                    .col(string_len(BillingSettings::ReminderDays, 60))
                    .col(integer(BillingSettings::CancellationVatBp))
                    .col(timestamp_with_time_zone(BillingSettings::UpdatedAt))
                    .check(Expr::col(BillingSettings::Id).eq(1))
                    .check(Expr::col(BillingSettings::CancellationVatBp).between(0, 10_000))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LedgerAccounts::Table)
                    .col(pk_auto(LedgerAccounts::Id))
                    .col(string_len(LedgerAccounts::Key, 40))
                    .col(string_len(LedgerAccounts::Number, 20))
                    .col(string_len(LedgerAccounts::Label, 120))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_ledger_accounts_key",
            LedgerAccounts::Table,
            [LedgerAccounts::Key],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(BillingProfiles::Table)
                    .col(pk_auto(BillingProfiles::Id))
                    .col(integer_null(BillingProfiles::OrganisationId))
                    .col(integer_null(BillingProfiles::UserId))
                    .col(string_len(BillingProfiles::LegalName, 160))
                    .col(string_len(BillingProfiles::Street, 200))
                    .col(string_len(BillingProfiles::Postcode, 10))
                    .col(string_len(BillingProfiles::City, 80))
                    .col(string_len(BillingProfiles::Country, 2))
                    .col(string_len_null(BillingProfiles::Siren, 9))
                    .col(string_len_null(BillingProfiles::VatNumber, 20))
                    .col(string_len(BillingProfiles::Email, 254))
                    .col(boolean(BillingProfiles::IsBusiness))
                    .col(boolean(BillingProfiles::MembersSeeInvoices).default(false))
                    .col(timestamp_with_time_zone(BillingProfiles::UpdatedAt))
                    // An organisation's, or a person's: exactly one of the two.
                    .check(Expr::cust("(organisation_id IS NULL) <> (user_id IS NULL)"))
                    .foreign_key(&mut fk(
                        "fk_billing_profiles_organisation",
                        (BillingProfiles::Table, BillingProfiles::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_billing_profiles_user",
                        (BillingProfiles::Table, BillingProfiles::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_billing_profiles_organisation",
            BillingProfiles::Table,
            [BillingProfiles::OrganisationId],
        )
        .await?;
        unique(
            manager,
            "uq_billing_profiles_user",
            BillingProfiles::Table,
            [BillingProfiles::UserId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(BillingRuns::Table)
                    .col(pk_auto(BillingRuns::Id))
                    .col(date(BillingRuns::PeriodStart))
                    .col(string_len(BillingRuns::Status, 12))
                    .col(date_null(BillingRuns::IssueDate))
                    .col(integer(BillingRuns::CreatedBy))
                    .col(timestamp_with_time_zone(BillingRuns::CreatedAt))
                    .col(integer_null(BillingRuns::IssueStartedBy))
                    .col(timestamp_with_time_zone_null(BillingRuns::IssueStartedAt))
                    .col(timestamp_with_time_zone_null(BillingRuns::IssuedAt))
                    .col(string_len_null(BillingRuns::ClaimedBy, 64))
                    .col(timestamp_with_time_zone_null(BillingRuns::ClaimedUntil))
                    .check(Expr::col(BillingRuns::Status).is_in(["draft", "issuing", "issued"]))
                    .foreign_key(&mut fk(
                        "fk_billing_runs_created_by",
                        (BillingRuns::Table, BillingRuns::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // One run per month: a period is never billed twice.
        unique(
            manager,
            "uq_billing_runs_period",
            BillingRuns::Table,
            [BillingRuns::PeriodStart],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(BillingRunExclusions::Table)
                    .col(pk_auto(BillingRunExclusions::Id))
                    .col(integer(BillingRunExclusions::RunId))
                    .col(integer(BillingRunExclusions::ProfileId))
                    .col(string_len(BillingRunExclusions::Reason, 300))
                    .col(integer(BillingRunExclusions::ByUser))
                    .col(timestamp_with_time_zone(BillingRunExclusions::At))
                    .foreign_key(&mut fk(
                        "fk_billing_run_exclusions_run",
                        (BillingRunExclusions::Table, BillingRunExclusions::RunId),
                        (BillingRuns::Table, BillingRuns::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_billing_run_exclusions_profile",
                        (BillingRunExclusions::Table, BillingRunExclusions::ProfileId),
                        (BillingProfiles::Table, BillingProfiles::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_billing_run_exclusions",
            BillingRunExclusions::Table,
            [BillingRunExclusions::RunId, BillingRunExclusions::ProfileId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(InvoiceSeries::Table)
                    .col(pk_auto(InvoiceSeries::Id))
                    .col(string_len(InvoiceSeries::Series, 4))
                    .col(integer(InvoiceSeries::Year))
                    .col(integer(InvoiceSeries::NextSeq))
                    .check(Expr::col(InvoiceSeries::NextSeq).gte(1))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_invoice_series",
            InvoiceSeries::Table,
            [InvoiceSeries::Series, InvoiceSeries::Year],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(pk_auto(Invoices::Id))
                    .col(integer_null(Invoices::RunId))
                    .col(string_len(Invoices::Kind, 12))
                    .col(string_len(Invoices::Status, 12))
                    .col(string_len(Invoices::Series, 4))
                    .col(integer_null(Invoices::Year))
                    .col(integer_null(Invoices::Seq))
                    .col(string_len_null(Invoices::Number, 20))
                    .col(integer_null(Invoices::SellerId))
                    .col(integer(Invoices::ProfileId))
                    .col(integer_null(Invoices::OrganisationId))
                    .col(integer_null(Invoices::UserId))
                    .col(string_len(Invoices::BuyerName, 160))
                    .col(string_len(Invoices::BuyerStreet, 200))
                    .col(string_len(Invoices::BuyerPostcode, 10))
                    .col(string_len(Invoices::BuyerCity, 80))
                    .col(string_len(Invoices::BuyerCountry, 2))
                    .col(string_len_null(Invoices::BuyerSiren, 9))
                    .col(string_len_null(Invoices::BuyerVat, 20))
                    .col(string_len(Invoices::BuyerEmail, 254))
                    .col(boolean(Invoices::BuyerIsBusiness))
                    .col(string_len_null(Invoices::DeliveryAddress, 300))
                    .col(string_len(Invoices::Nature, 10))
                    .col(date(Invoices::PeriodStart))
                    .col(date(Invoices::PeriodEnd))
                    .col(date_null(Invoices::IssueDate))
                    .col(date_null(Invoices::DueDate))
                    .col(big_integer(Invoices::ExclCents))
                    .col(big_integer(Invoices::VatCents))
                    .col(big_integer(Invoices::InclCents))
                    .col(big_integer(Invoices::CreditedCents).default(0))
                    .col(big_integer(Invoices::PaidCents).default(0))
                    .col(integer_null(Invoices::CorrectsId))
                    .col(string_len(Invoices::Reason, 500))
                    .col(integer(Invoices::CreatedBy))
                    .col(timestamp_with_time_zone(Invoices::CreatedAt))
                    .col(integer_null(Invoices::IssuedBy))
                    .col(timestamp_with_time_zone_null(Invoices::IssuedAt))
                    .check(Expr::col(Invoices::Kind).is_in(["invoice", "credit_note"]))
                    .check(Expr::col(Invoices::Status).is_in(["draft", "issued"]))
                    .check(Expr::col(Invoices::Nature).is_in(["services", "goods", "both"]))
                    .check(Expr::col(Invoices::InclCents).gte(0))
                    .check(Expr::col(Invoices::PaidCents).gte(0))
                    .check(Expr::col(Invoices::CreditedCents).gte(0))
                    .check(Expr::col(Invoices::PaidCents).lte(Expr::col(Invoices::InclCents)))
                    .check(Expr::col(Invoices::CreditedCents).lte(Expr::col(Invoices::InclCents)))
                    .check(Expr::cust(
                        "status <> 'issued' OR (number IS NOT NULL AND seq IS NOT NULL \
                         AND year IS NOT NULL AND issue_date IS NOT NULL \
                         AND due_date IS NOT NULL AND seller_id IS NOT NULL)",
                    ))
                    .check(Expr::cust("kind = 'invoice' OR corrects_id IS NOT NULL"))
                    .foreign_key(&mut fk(
                        "fk_invoices_run",
                        (Invoices::Table, Invoices::RunId),
                        (BillingRuns::Table, BillingRuns::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoices_seller",
                        (Invoices::Table, Invoices::SellerId),
                        (SellerIdentities::Table, SellerIdentities::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoices_profile",
                        (Invoices::Table, Invoices::ProfileId),
                        (BillingProfiles::Table, BillingProfiles::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoices_corrects",
                        (Invoices::Table, Invoices::CorrectsId),
                        (Invoices::Table, Invoices::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_invoices_number",
            Invoices::Table,
            [Invoices::Number],
        )
        .await?;
        unique(
            manager,
            "uq_invoices_seq",
            Invoices::Table,
            [Invoices::Series, Invoices::Year, Invoices::Seq],
        )
        .await?;
        index(
            manager,
            "idx_invoices_run",
            Invoices::Table,
            [Invoices::RunId],
        )
        .await?;
        index(
            manager,
            "idx_invoices_profile",
            Invoices::Table,
            [Invoices::ProfileId],
        )
        .await?;
        index(
            manager,
            "idx_invoices_corrects",
            Invoices::Table,
            [Invoices::CorrectsId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(InvoiceLines::Table)
                    .col(pk_auto(InvoiceLines::Id))
                    .col(integer(InvoiceLines::InvoiceId))
                    .col(integer(InvoiceLines::Position))
                    .col(string_len(InvoiceLines::Kind, 24))
                    .col(string_len(InvoiceLines::Description, 300))
                    .col(date_null(InvoiceLines::PeriodStart))
                    .col(date_null(InvoiceLines::PeriodEnd))
                    .col(big_integer(InvoiceLines::Quantity))
                    .col(big_integer(InvoiceLines::UnitCents))
                    .col(big_integer(InvoiceLines::NetCents))
                    .col(integer(InvoiceLines::VatBp))
                    .col(string_len_null(InvoiceLines::Exemption, 200))
                    .col(string_len_null(InvoiceLines::BillingKey, 80))
                    .col(integer_null(InvoiceLines::CreditsLineId))
                    .col(string_len_null(InvoiceLines::Reason, 300))
                    .check(Expr::col(InvoiceLines::UnitCents).gte(0))
                    .check(Expr::col(InvoiceLines::Quantity).ne(0))
                    .check(Expr::col(InvoiceLines::VatBp).between(0, 10_000))
                    .check(Expr::col(InvoiceLines::NetCents).eq(
                        Expr::col(InvoiceLines::Quantity).mul(Expr::col(InvoiceLines::UnitCents)),
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoice_lines_invoice",
                        (InvoiceLines::Table, InvoiceLines::InvoiceId),
                        (Invoices::Table, Invoices::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoice_lines_credits",
                        (InvoiceLines::Table, InvoiceLines::CreditsLineId),
                        (InvoiceLines::Table, InvoiceLines::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_invoice_lines_invoice",
            InvoiceLines::Table,
            [InvoiceLines::InvoiceId],
        )
        .await?;
        unique(
            manager,
            "uq_invoice_lines_billing_key",
            InvoiceLines::Table,
            [InvoiceLines::BillingKey],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(pk_auto(Payments::Id))
                    .col(integer(Payments::ProfileId))
                    .col(string_len(Payments::Method, 20))
                    .col(date(Payments::ReceivedOn))
                    .col(big_integer(Payments::AmountCents))
                    .col(string_len(Payments::Reference, 120))
                    .col(integer(Payments::RecordedBy))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .check(Expr::col(Payments::AmountCents).gt(0))
                    .foreign_key(&mut fk(
                        "fk_payments_profile",
                        (Payments::Table, Payments::ProfileId),
                        (BillingProfiles::Table, BillingProfiles::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_payments_profile",
            Payments::Table,
            [Payments::ProfileId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PaymentAllocations::Table)
                    .col(pk_auto(PaymentAllocations::Id))
                    .col(integer(PaymentAllocations::PaymentId))
                    .col(integer(PaymentAllocations::InvoiceId))
                    .col(big_integer(PaymentAllocations::AmountCents))
                    .check(Expr::col(PaymentAllocations::AmountCents).gt(0))
                    .foreign_key(&mut fk(
                        "fk_payment_allocations_payment",
                        (PaymentAllocations::Table, PaymentAllocations::PaymentId),
                        (Payments::Table, Payments::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_payment_allocations_invoice",
                        (PaymentAllocations::Table, PaymentAllocations::InvoiceId),
                        (Invoices::Table, Invoices::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_payment_allocations",
            PaymentAllocations::Table,
            [PaymentAllocations::PaymentId, PaymentAllocations::InvoiceId],
        )
        .await?;
        index(
            manager,
            "idx_payment_allocations_invoice",
            PaymentAllocations::Table,
            [PaymentAllocations::InvoiceId],
        )
        .await?;
        let db = manager.get_connection();
        let guards = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_guards(),
            _ => sqlite_guards(),
        };
        for guard in guards {
            db.execute_unprepared(&guard).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                PaymentAllocations::Table.into_iden(),
                Payments::Table.into_iden(),
                InvoiceLines::Table.into_iden(),
                Invoices::Table.into_iden(),
                InvoiceSeries::Table.into_iden(),
                BillingRunExclusions::Table.into_iden(),
                BillingRuns::Table.into_iden(),
                BillingProfiles::Table.into_iden(),
                LedgerAccounts::Table.into_iden(),
                BillingSettings::Table.into_iden(),
                SellerIdentities::Table.into_iden(),
            ],
        )
        .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("DROP FUNCTION IF EXISTS invoices_frozen()")
                .await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS invoice_lines_frozen()")
                .await?;
        }
        Ok(())
    }
}
