use crate::billing::model::{InvoiceKind, InvoiceStatus, Nature};
use sea_orm::entity::prelude::*;

/// An invoice or a credit note: a draft while its run is reviewed, then issued, numbered and
/// frozen (the database refuses to change or delete it; only what is paid and credited moves).
/// The buyer is copied in, so a later change of address leaves issued invoices as they were.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: Option<i32>,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    /// "FA" for invoices, "AV" for credit notes.
    pub series: String,
    pub year: Option<i32>,
    pub seq: Option<i32>,
    pub number: Option<String>,
    pub seller_id: Option<i32>,
    pub profile_id: i32,
    pub organisation_id: Option<i32>,
    pub user_id: Option<i32>,
    pub buyer_name: String,
    pub buyer_street: String,
    pub buyer_postcode: String,
    pub buyer_city: String,
    pub buyer_country: String,
    pub buyer_siren: Option<String>,
    pub buyer_vat: Option<String>,
    pub buyer_email: String,
    pub buyer_is_business: bool,
    /// Where the services are delivered, when it is not the billing address.
    pub delivery_address: Option<String>,
    pub nature: Nature,
    pub period_start: Date,
    pub period_end: Date,
    pub issue_date: Option<Date>,
    pub due_date: Option<Date>,
    pub excl_cents: i64,
    pub vat_cents: i64,
    pub incl_cents: i64,
    pub credited_cents: i64,
    pub paid_cents: i64,
    /// The invoice a credit note corrects.
    pub corrects_id: Option<i32>,
    /// Why a credit note was issued.
    pub reason: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub issued_by: Option<i32>,
    pub issued_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
