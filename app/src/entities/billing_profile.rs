use sea_orm::entity::prelude::*;

/// Who is billed: an organisation's billing identity, or a person's (an organiser without an
/// organisation). Invoices copy it when they are made.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_profiles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: Option<i32>,
    pub user_id: Option<i32>,
    pub legal_name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub siren: Option<String>,
    pub vat_number: Option<String>,
    pub email: String,
    /// A business buyer (B2B): its invoices carry the €40 recovery indemnity.
    pub is_business: bool,
    /// Whether the organisation's members, not only its referent, see its invoices.
    pub members_see_invoices: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
