//! Invoicing: the types that parse the seller's and buyers' identities, manual lines,
//! payments and credit notes, and the views the pages show.
use crate::hosting::model::CompanyNumber;
use crate::input::{self, Money, Percent, TextError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(
                #[cfg_attr(feature = "ssr", sea_orm(string_value = $code))]
                $variant,
            )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code.trim())
            }
        }
    };
}

string_enum! {
    /// Where a billing run stands: drafts to review, being issued, issued.
    RunStatus { Draft = "draft", Issuing = "issuing", Issued = "issued" }
}

string_enum! {
    /// An invoice, or a credit note (avoir) that corrects one.
    InvoiceKind { Invoice = "invoice", CreditNote = "credit_note" }
}

string_enum! {
    /// A draft is reviewed in its run; issued, it is numbered and frozen.
    InvoiceStatus { Draft = "draft", Issued = "issued" }
}

string_enum! {
    /// The nature of the operation, a mandatory mention: services, goods, or both.
    Nature { Services = "services", Goods = "goods", Both = "both" }
}

string_enum! {
    /// What a line bills; the accounting export books each kind to its own revenue account.
    LineKind {
        Lease = "lease",
        Booking = "booking",
        EventDeposit = "event_deposit",
        EventBalance = "event_balance",
        DepositDeduction = "deposit_deduction",
        Cancellation = "cancellation",
        Manual = "manual",
    }
}

string_enum! {
    /// How a payment came in.
    PaymentMethod {
        Transfer = "transfer",
        Cheque = "cheque",
        Card = "card",
        Cash = "cash",
        DirectDebit = "direct_debit",
    }
}

/// The numbering series: invoices and credit notes each run without gaps, per year.
pub const INVOICE_SERIES: &str = "FA";
pub const CREDIT_SERIES: &str = "AV";

/// The mention printed on a VAT-exempt line (bare premises let without the option for VAT).
pub const EXEMPTION_BARE_PREMISES: &str =
    "Exonération de TVA, article 261 D 2° du CGI (location de locaux nus)";

/// Why a billing form was refused; each names its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingFormError {
    Text(&'static str, TextError),
    /// Not a SIREN, or a SIRET, with a valid key.
    Siren,
    Siret,
    /// The SIRET does not start with the SIREN.
    SiretNotSiren,
    VatNumber,
    Iban,
    Bic,
    Postcode,
    Country,
    ShareCapital,
    PenaltyRate,
    PaymentDays,
    Email,
    Amount,
    Quantity,
    VatRate,
    Method,
    Date,
    Month,
    ReminderDays,
    NoAllocation,
    AllocationSum,
}

impl BillingFormError {
    pub fn field(self) -> &'static str {
        use BillingFormError as E;
        match self {
            E::Text(field, _) => field,
            E::Siren => "siren",
            E::Siret | E::SiretNotSiren => "siret",
            E::VatNumber => "vat_number",
            E::Iban => "iban",
            E::Bic => "bic",
            E::Postcode => "postcode",
            E::Country => "country",
            E::ShareCapital => "share_capital",
            E::PenaltyRate => "penalty_rate",
            E::PaymentDays => "payment_days",
            E::Email => "email",
            E::Amount | E::AllocationSum => "amount",
            E::Quantity => "quantity",
            E::VatRate => "vat_rate",
            E::Method => "method",
            E::Date => "date",
            E::Month => "month",
            E::ReminderDays => "reminder_days",
            E::NoAllocation => "allocations",
        }
    }
}

fn required(field: &'static str, raw: &str, max: usize) -> Result<String, BillingFormError> {
    input::required(raw, max, false).map_err(|e| BillingFormError::Text(field, e))
}

fn optional(field: &'static str, raw: &str, max: usize) -> Result<String, BillingFormError> {
    input::line(raw, max).map_err(|e| BillingFormError::Text(field, e))
}

/// An intra-EU VAT number. A French one ("FR" + 2-digit key + SIREN) has its key checked;
/// another member state's is checked for shape only.
pub fn vat_number(raw: &str) -> Result<String, BillingFormError> {
    let v: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let shaped = v.is_ascii()
        && v.len() >= 4
        && v.len() <= 14
        && v[..2].bytes().all(|b| b.is_ascii_uppercase())
        && v[2..].bytes().all(|b| b.is_ascii_alphanumeric());
    if !shaped {
        return Err(BillingFormError::VatNumber);
    }
    if let Some(rest) = v.strip_prefix("FR") {
        let valid = rest.len() == 11
            && rest.bytes().all(|b| b.is_ascii_digit())
            && CompanyNumber::parse(&rest[2..]).is_ok()
            && rest[..2].parse::<u64>().ok() == fr_vat_key(&rest[2..]);
        if !valid {
            return Err(BillingFormError::VatNumber);
        }
    }
    Ok(v)
}

/// The key of a French VAT number from its SIREN: (12 + 3 × (SIREN mod 97)) mod 97.
pub fn fr_vat_key(siren: &str) -> Option<u64> {
    let n: u64 = siren.parse().ok()?;
    Some((12 + 3 * (n % 97)) % 97)
}

/// An IBAN, checked with its mod-97 key (ISO 13616); kept without spaces.
pub fn iban(raw: &str) -> Result<String, BillingFormError> {
    let v: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if !(15..=34).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(BillingFormError::Iban);
    }
    let rearranged = v[4..].bytes().chain(v[..4].bytes());
    let mut rem: u32 = 0;
    for b in rearranged {
        let d = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        rem = if d >= 10 {
            (rem * 100 + d) % 97
        } else {
            (rem * 10 + d) % 97
        };
    }
    if rem == 1 {
        Ok(v)
    } else {
        Err(BillingFormError::Iban)
    }
}

/// A BIC: 4 letters (bank), 2 letters (country), 2 alphanumerics, and an optional branch.
pub fn bic(raw: &str) -> Result<String, BillingFormError> {
    let v = raw.trim().to_uppercase();
    let b = v.as_bytes();
    let ok = (v.len() == 8 || v.len() == 11)
        && b[..6].iter().all(|c| c.is_ascii_uppercase())
        && b[6..].iter().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(v)
    } else {
        Err(BillingFormError::Bic)
    }
}

fn country(raw: &str) -> Result<String, BillingFormError> {
    let v = raw.trim().to_uppercase();
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(v)
    } else {
        Err(BillingFormError::Country)
    }
}

/// A postcode: five digits in France, a short code elsewhere.
fn postcode(raw: &str, country: &str) -> Result<String, BillingFormError> {
    let v = raw.trim().to_owned();
    let ok = if country == "FR" {
        v.len() == 5 && v.bytes().all(|b| b.is_ascii_digit())
    } else {
        !v.is_empty()
            && v.len() <= 10
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
    };
    if ok {
        Ok(v)
    } else {
        Err(BillingFormError::Postcode)
    }
}

fn email(raw: &str) -> Result<String, BillingFormError> {
    let v = required("email", raw, input::limits::EMAIL)?;
    match v.split_once('@') {
        Some((user, domain))
            if !user.is_empty() && domain.contains('.') && !v.contains(char::is_whitespace) =>
        {
            Ok(v)
        }
        _ => Err(BillingFormError::Email),
    }
}

/// A postal address, as invoices and the e-invoice carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

impl Address {
    pub fn parse(
        street: &str,
        postcode_raw: &str,
        city: &str,
        country_raw: &str,
    ) -> Result<Address, BillingFormError> {
        let country = country(if country_raw.trim().is_empty() {
            "FR"
        } else {
            country_raw
        })?;
        Ok(Address {
            street: required("street", street, 200)?,
            postcode: postcode(postcode_raw, &country)?,
            city: required("city", city, 80)?,
            country,
        })
    }

    /// One line: "8 rue Saint-Domingue, 44200 Nantes".
    pub fn one_line(&self) -> String {
        let mut s = format!("{}, {} {}", self.street, self.postcode, self.city);
        if self.country != "FR" {
            s.push_str(", ");
            s.push_str(&self.country);
        }
        s
    }
}

/// The operator's legal identity, as the settings form sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SellerForm {
    pub name: String,
    pub legal_form: String,
    pub share_capital: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub siret: String,
    pub rcs_city: String,
    pub vat_number: String,
    pub iban: String,
    pub bic: String,
    pub penalty_rate: String,
    pub payment_days: String,
    pub vat_on_debits: bool,
    pub early_discount: String,
}

/// The operator's legal identity, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub name: String,
    pub legal_form: String,
    pub share_capital_cents: Option<i64>,
    pub address: Address,
    pub siren: String,
    pub siret: String,
    pub rcs_city: String,
    pub vat_number: String,
    pub iban: String,
    pub bic: String,
    pub penalty_rate_bp: i32,
    pub payment_days: i32,
    pub vat_on_debits: bool,
    pub early_discount: String,
}

impl SellerForm {
    pub fn parse(&self) -> Result<Seller, BillingFormError> {
        let siret = CompanyNumber::parse(&self.siret).map_err(|_| BillingFormError::Siret)?;
        if siret.as_str().len() != 14 {
            return Err(BillingFormError::Siret);
        }
        let vat = vat_number(&self.vat_number)?;
        if vat.starts_with("FR") && vat[4..] != *siret.siren() {
            return Err(BillingFormError::VatNumber);
        }
        let share_capital_cents = if self.share_capital.trim().is_empty() {
            None
        } else {
            Some(
                Money::parse(&self.share_capital)
                    .ok_or(BillingFormError::ShareCapital)?
                    .cents(),
            )
        };
        let penalty_rate_bp = Percent::parse(&self.penalty_rate, 10_000)
            .ok_or(BillingFormError::PenaltyRate)?
            .bp();
        let payment_days: i32 = self
            .payment_days
            .trim()
            .parse()
            .ok()
            .filter(|d| (0..=60).contains(d))
            .ok_or(BillingFormError::PaymentDays)?;
        Ok(Seller {
            name: required("name", &self.name, 160)?,
            legal_form: required("legal_form", &self.legal_form, 80)?,
            share_capital_cents,
            address: Address::parse(&self.street, &self.postcode, &self.city, &self.country)?,
            siren: siret.siren().to_owned(),
            siret: siret.as_str().to_owned(),
            rcs_city: optional("rcs_city", &self.rcs_city, 80)?,
            vat_number: vat,
            iban: iban(&self.iban)?,
            bic: bic(&self.bic)?,
            penalty_rate_bp,
            payment_days,
            vat_on_debits: self.vat_on_debits,
            early_discount: required("early_discount", &self.early_discount, 300)?,
        })
    }
}

impl Seller {
    /// The form filled in with this identity, for the settings page.
    pub fn to_form(&self) -> SellerForm {
        SellerForm {
            name: self.name.clone(),
            legal_form: self.legal_form.clone(),
            share_capital: self
                .share_capital_cents
                .map(|c| format!("{},{:02}", c / 100, c % 100))
                .unwrap_or_default(),
            street: self.address.street.clone(),
            postcode: self.address.postcode.clone(),
            city: self.address.city.clone(),
            country: self.address.country.clone(),
            siret: self.siret.clone(),
            rcs_city: self.rcs_city.clone(),
            vat_number: self.vat_number.clone(),
            iban: self.iban.clone(),
            bic: self.bic.clone(),
            penalty_rate: bp_text(self.penalty_rate_bp),
            payment_days: self.payment_days.to_string(),
            vat_on_debits: self.vat_on_debits,
            early_discount: self.early_discount.clone(),
        }
    }
}

/// Basis points as a form shows them: 1234 → "12,34", 2000 → "20".
pub fn bp_text(bp: i32) -> String {
    if bp % 100 == 0 {
        (bp / 100).to_string()
    } else {
        format!("{},{:02}", bp / 100, bp % 100)
    }
}

/// A seller identity version, as the settings page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerVersion {
    pub id: i32,
    pub version: i32,
    pub seller: Seller,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
}

/// A buyer's billing identity, as its form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub legal_name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub siren: String,
    pub vat_number: String,
    pub email: String,
    pub members_see_invoices: bool,
}

/// A buyer's billing identity, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub legal_name: String,
    pub address: Address,
    pub siren: Option<String>,
    pub vat_number: Option<String>,
    pub email: String,
    pub members_see_invoices: bool,
}

impl ProfileForm {
    pub fn parse(&self) -> Result<Profile, BillingFormError> {
        let siren = if self.siren.trim().is_empty() {
            None
        } else {
            let n = CompanyNumber::parse(&self.siren).map_err(|_| BillingFormError::Siren)?;
            Some(n.siren().to_owned())
        };
        let vat_number = if self.vat_number.trim().is_empty() {
            None
        } else {
            Some(vat_number(&self.vat_number)?)
        };
        Ok(Profile {
            legal_name: required("legal_name", &self.legal_name, 160)?,
            address: Address::parse(&self.street, &self.postcode, &self.city, &self.country)?,
            siren,
            vat_number,
            email: email(&self.email)?,
            members_see_invoices: self.members_see_invoices,
        })
    }
}

impl Profile {
    pub fn to_form(&self) -> ProfileForm {
        ProfileForm {
            legal_name: self.legal_name.clone(),
            street: self.address.street.clone(),
            postcode: self.address.postcode.clone(),
            city: self.address.city.clone(),
            country: self.address.country.clone(),
            siren: self.siren.clone().unwrap_or_default(),
            vat_number: self.vat_number.clone().unwrap_or_default(),
            email: self.email.clone(),
            members_see_invoices: self.members_see_invoices,
        }
    }
}

/// A month typed as "2026-12": its first day.
pub fn month(raw: &str) -> Result<NaiveDate, BillingFormError> {
    let raw = raw.trim();
    let (y, m) = raw.split_once('-').ok_or(BillingFormError::Month)?;
    let (y, m): (i32, u32) = (
        y.parse().map_err(|_| BillingFormError::Month)?,
        m.parse().map_err(|_| BillingFormError::Month)?,
    );
    if !(2000..=2100).contains(&y) {
        return Err(BillingFormError::Month);
    }
    NaiveDate::from_ymd_opt(y, m, 1).ok_or(BillingFormError::Month)
}

/// A line a manager adds to a draft by hand, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualLine {
    pub description: String,
    pub quantity: i64,
    pub unit_cents: i64,
    pub vat_bp: i32,
    pub reason: String,
}

impl ManualLine {
    pub fn parse(
        description: &str,
        quantity: &str,
        unit_price: &str,
        vat_rate: &str,
        reason: &str,
    ) -> Result<ManualLine, BillingFormError> {
        let quantity: i64 = quantity
            .trim()
            .parse()
            .ok()
            .filter(|q| (1..=10_000).contains(q))
            .ok_or(BillingFormError::Quantity)?;
        let unit_cents = Money::parse(unit_price)
            .filter(|m| m.cents() > 0 && m.cents() <= 10_000_000)
            .ok_or(BillingFormError::Amount)?
            .cents();
        Ok(ManualLine {
            description: required("description", description, 300)?,
            quantity,
            unit_cents,
            vat_bp: Percent::parse(vat_rate, 10_000)
                .ok_or(BillingFormError::VatRate)?
                .bp(),
            reason: required("reason", reason, 300)?,
        })
    }
}

/// A payment as a manager records it: the amount goes to the invoices listed, each with its
/// share; the shares add up to the amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub method: PaymentMethod,
    pub received_on: NaiveDate,
    pub amount_cents: i64,
    pub reference: String,
    pub allocations: Vec<(i32, i64)>,
}

impl NewPayment {
    /// `allocations`: "invoice id:amount" pairs, one per invoice paid ("12:150,00").
    pub fn parse(
        method: &str,
        received_on: &str,
        amount: &str,
        reference: &str,
        allocations: &[(i32, String)],
        today: NaiveDate,
    ) -> Result<NewPayment, BillingFormError> {
        let method = PaymentMethod::from_code(method).ok_or(BillingFormError::Method)?;
        let received_on = NaiveDate::parse_from_str(received_on.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= today && *d >= today - chrono::Duration::days(3_650))
            .ok_or(BillingFormError::Date)?;
        let amount_cents = Money::parse(amount)
            .filter(|m| m.cents() > 0)
            .ok_or(BillingFormError::Amount)?
            .cents();
        let mut shares = Vec::new();
        for (invoice_id, raw) in allocations {
            if raw.trim().is_empty() {
                continue;
            }
            let cents = Money::parse(raw).ok_or(BillingFormError::Amount)?.cents();
            if cents > 0 {
                shares.push((*invoice_id, cents));
            }
        }
        if shares.is_empty() {
            return Err(BillingFormError::NoAllocation);
        }
        if shares.iter().map(|(_, c)| c).sum::<i64>() != amount_cents {
            return Err(BillingFormError::AllocationSum);
        }
        Ok(NewPayment {
            method,
            received_on,
            amount_cents,
            reference: optional("reference", reference, 120)?,
            allocations: shares,
        })
    }
}

/// A credit note as a manager asks for it: for each invoice line, the amount excluding VAT
/// to credit (the whole invoice when every line's remaining amount is asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCreditNote {
    pub reason: String,
    pub lines: Vec<(i32, i64)>,
}

impl NewCreditNote {
    pub fn parse(reason: &str, lines: &[(i32, String)]) -> Result<NewCreditNote, BillingFormError> {
        let mut out = Vec::new();
        for (line_id, raw) in lines {
            if raw.trim().is_empty() {
                continue;
            }
            let cents = Money::parse(raw).ok_or(BillingFormError::Amount)?.cents();
            if cents > 0 {
                out.push((*line_id, cents));
            }
        }
        Self::checked(reason, out)
    }

    /// A credit note for what each line has left: the whole invoice, or what earlier credit
    /// notes left of it.
    pub fn whole(reason: &str, left: &[(i32, i64)]) -> Result<NewCreditNote, BillingFormError> {
        Self::checked(
            reason,
            left.iter().copied().filter(|(_, c)| *c > 0).collect(),
        )
    }

    fn checked(reason: &str, lines: Vec<(i32, i64)>) -> Result<NewCreditNote, BillingFormError> {
        if lines.is_empty() {
            return Err(BillingFormError::Amount);
        }
        Ok(NewCreditNote {
            reason: required("reason", reason, 500)?,
            lines,
        })
    }
}

/// The reminder schedule: days after the due date, rising ("7,21,45").
pub fn reminder_days(raw: &str) -> Result<Vec<i32>, BillingFormError> {
    let mut days = Vec::new();
    for part in raw.split(',') {
        let d: i32 = part
            .trim()
            .parse()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or(BillingFormError::ReminderDays)?;
        if days.last().is_some_and(|last| *last >= d) {
            return Err(BillingFormError::ReminderDays);
        }
        days.push(d);
    }
    if days.is_empty() || days.len() > 6 {
        return Err(BillingFormError::ReminderDays);
    }
    Ok(days)
}

// ---------------------------------------------------------------------------------------------
// Views.

/// One line as a document or a preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub id: i32,
    pub kind: LineKind,
    pub description: String,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub quantity: i64,
    pub unit_cents: i64,
    pub net_cents: i64,
    pub vat_bp: i32,
    pub exemption: Option<String>,
    pub reason: Option<String>,
    /// What credit notes already took off this line (excluding VAT).
    pub credited_cents: i64,
}

/// VAT for one rate: the base it is computed on and the VAT, rounded once per rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub vat_bp: i32,
    pub base_cents: i64,
    pub vat_cents: i64,
}

/// A party of an invoice as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerView {
    pub name: String,
    pub address: Address,
    pub siren: Option<String>,
    pub vat_number: Option<String>,
    pub email: String,
    pub is_business: bool,
}

/// An invoice or credit note as its document shows it: every mandatory mention is a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDoc {
    pub id: i32,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub number: Option<String>,
    pub issue_date: Option<NaiveDate>,
    pub period: (NaiveDate, NaiveDate),
    pub due_date: Option<NaiveDate>,
    /// The seller's identity the invoice was issued under (the current one for a draft).
    pub seller: Option<Seller>,
    pub buyer: BuyerView,
    pub delivery_address: Option<String>,
    pub nature: Nature,
    pub lines: Vec<LineView>,
    pub vat: Vec<VatLine>,
    pub excl_cents: i64,
    pub vat_cents: i64,
    pub incl_cents: i64,
    pub paid_cents: i64,
    pub credited_cents: i64,
    /// What remains to pay (never below zero).
    pub due_cents: i64,
    /// For a credit note: the invoice it corrects (id, number, issue date).
    pub corrects: Option<(i32, String, NaiveDate)>,
    pub reason: String,
    /// Credit notes issued against this invoice: (id, number, amount including VAT).
    pub credit_notes: Vec<(i32, String, i64)>,
    pub payments: Vec<AllocationView>,
    pub run_id: Option<i32>,
    pub organisation_id: Option<i32>,
}

/// A payment's share of one invoice, as the invoice lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationView {
    pub payment_id: i32,
    pub method: PaymentMethod,
    pub received_on: NaiveDate,
    pub reference: String,
    pub amount_cents: i64,
}

/// An invoice in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub id: i32,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub number: Option<String>,
    pub buyer_name: String,
    pub profile_id: i32,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub excl_cents: i64,
    pub vat_cents: i64,
    pub incl_cents: i64,
    pub due_cents: i64,
    pub line_count: usize,
}

/// What a run's preview warns about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Anomaly {
    /// Charges wait for an organisation or person without a billing identity (no address):
    /// nothing can be billed to them until a manager fills it in.
    NoBillingProfile {
        organisation_id: Option<i32>,
        user_id: Option<i32>,
        name: String,
        items: usize,
    },
    /// A draft whose total is zero or less: nothing to bill (it is not issued).
    NothingDue { invoice_id: i32, buyer: String },
    /// The event's deposit is more than its cancellation fee: a credit note must settle it.
    DepositAboveFee { event_id: i32, name: String },
}

/// A buyer left out of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionView {
    pub profile_id: i32,
    pub buyer: String,
    pub reason: String,
    pub by: String,
}

/// A billing run with its drafts, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub id: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub status: RunStatus,
    pub invoices: Vec<InvoiceRow>,
    pub issued: usize,
    pub anomalies: Vec<Anomaly>,
    pub exclusions: Vec<ExclusionView>,
    pub excl_cents: i64,
    pub vat_cents: i64,
    pub incl_cents: i64,
    /// Whether a seller's identity is set (issuing needs one).
    pub has_seller: bool,
}

/// A run in the list of runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRow {
    pub id: i32,
    pub period_start: NaiveDate,
    pub status: RunStatus,
    pub invoices: usize,
    pub issued: usize,
    pub incl_cents: i64,
}

/// An organisation's billing identity as its page shows it (empty for one without).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilePage {
    pub organisation_id: i32,
    pub organisation_name: String,
    pub form: ProfileForm,
    pub exists: bool,
}

/// A payment in a statement of account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub id: i32,
    pub method: PaymentMethod,
    pub received_on: NaiveDate,
    pub reference: String,
    pub amount_cents: i64,
}

/// A buyer's account: its issued invoices and credit notes, its payments, and what it owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub profile_id: i32,
    pub buyer_name: String,
    pub documents: Vec<InvoiceRow>,
    pub payments: Vec<PaymentRow>,
    /// What the buyer still owes over all its invoices.
    pub balance_cents: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_vat_numbers_have_their_key_checked() {
        // Key of SIREN 404 833 048: (12 + 3 × (404833048 mod 97)) mod 97 = 83.
        assert_eq!(fr_vat_key("404833048"), Some(83));
        assert_eq!(
            vat_number("FR 83 404833048").as_deref(),
            Ok("FR83404833048")
        );
        assert_eq!(
            vat_number("FR84404833048"),
            Err(BillingFormError::VatNumber)
        );
        assert_eq!(vat_number("DE123456789").as_deref(), Ok("DE123456789"));
        assert_eq!(vat_number("12"), Err(BillingFormError::VatNumber));
        assert_eq!(vat_number("éé123456"), Err(BillingFormError::VatNumber));
    }

    #[test]
    fn ibans_have_their_key_checked() {
        assert_eq!(
            iban("FR76 3000 6000 0112 3456 7890 189").as_deref(),
            Ok("FR7630006000011234567890189")
        );
        assert_eq!(
            iban("FR76 3000 6000 0112 3456 7890 188"),
            Err(BillingFormError::Iban)
        );
        assert_eq!(iban("FR76"), Err(BillingFormError::Iban));
    }

    #[test]
    fn bics_have_their_shape_checked() {
        assert_eq!(bic("agrifrpp847").as_deref(), Ok("AGRIFRPP847"));
        assert_eq!(bic("CCOPFRPP").as_deref(), Ok("CCOPFRPP"));
        assert_eq!(bic("CCOP1RPP"), Err(BillingFormError::Bic));
    }

    #[test]
    fn addresses_need_a_french_postcode_in_france() {
        assert!(Address::parse("8 rue Saint-Domingue", "44200", "Nantes", "").is_ok());
        assert_eq!(
            Address::parse("8 rue Saint-Domingue", "4420", "Nantes", "FR"),
            Err(BillingFormError::Postcode)
        );
        assert!(Address::parse("Rue de la Loi 16", "1000", "Bruxelles", "be").is_ok());
        assert_eq!(
            Address::parse("", "44200", "Nantes", "FR"),
            Err(BillingFormError::Text("street", TextError::Missing))
        );
    }

    #[test]
    fn a_payment_must_be_spread_exactly_over_invoices() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let ok = NewPayment::parse(
            "transfer",
            "2026-12-02",
            "150,00",
            "VIR 42",
            &[(1, "100".into()), (2, "50".into()), (3, "".into())],
            today,
        )
        .unwrap();
        assert_eq!(ok.allocations, vec![(1, 10_000), (2, 5_000)]);
        let short = NewPayment::parse(
            "transfer",
            "2026-12-02",
            "150",
            "",
            &[(1, "100".into())],
            today,
        );
        assert_eq!(short, Err(BillingFormError::AllocationSum));
        let future = NewPayment::parse("cash", "2026-12-04", "10", "", &[(1, "10".into())], today);
        assert_eq!(future, Err(BillingFormError::Date));
        let unknown = NewPayment::parse(
            "bitcoin",
            "2026-12-02",
            "10",
            "",
            &[(1, "10".into())],
            today,
        );
        assert_eq!(unknown, Err(BillingFormError::Method));
    }

    #[test]
    fn reminder_days_rise() {
        assert_eq!(reminder_days("7, 21,45"), Ok(vec![7, 21, 45]));
        assert_eq!(reminder_days("21,7"), Err(BillingFormError::ReminderDays));
        assert_eq!(reminder_days(""), Err(BillingFormError::ReminderDays));
        assert_eq!(reminder_days("0"), Err(BillingFormError::ReminderDays));
    }

    #[test]
    fn months_are_typed_as_year_dash_month() {
        assert_eq!(
            month("2026-12"),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        );
        assert_eq!(month("2026-13"), Err(BillingFormError::Month));
        assert_eq!(month("décembre"), Err(BillingFormError::Month));
    }
}
