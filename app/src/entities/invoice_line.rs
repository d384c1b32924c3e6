use crate::billing::model::LineKind;
use sea_orm::entity::prelude::*;

/// A line of an invoice or credit note. `net_cents = quantity × unit_cents`, excluding VAT.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub invoice_id: i32,
    pub position: i32,
    pub kind: LineKind,
    pub description: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    /// Negative for a deduction (a deposit already invoiced).
    pub quantity: i64,
    pub unit_cents: i64,
    pub net_cents: i64,
    pub vat_bp: i32,
    /// The legal mention of a VAT-exempt line.
    pub exemption: Option<String>,
    /// What the line bills, unique across all invoices: nothing is billed twice.
    pub billing_key: Option<String>,
    /// The invoice line a credit-note line credits.
    pub credits_line_id: Option<i32>,
    /// Why a manager added the line by hand.
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
