use sea_orm::entity::prelude::*;

/// One version of the hub operator's legal identity as invoices print it. Append-only: an
/// invoice points at the version it was issued under, so old invoices keep theirs.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seller_identities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub version: i32,
    pub name: String,
    pub legal_form: String,
    pub share_capital_cents: Option<i64>,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub siren: String,
    pub siret: String,
    pub rcs_city: String,
    pub vat_number: String,
    pub iban: String,
    pub bic: String,
    /// The late-payment penalty rate, per year, in basis points.
    pub penalty_rate_bp: i32,
    /// Days from the issue date to the due date.
    pub payment_days: i32,
    /// The option for VAT on debits (« option pour le paiement de la TVA d'après les débits »).
    pub vat_on_debits: bool,
    /// The early-payment discount terms, as printed.
    pub early_discount: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
