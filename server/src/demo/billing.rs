//! The demo's invoicing: the operator's identity, a billing identity for every organisation
//! but two (whose charges then wait, flagged in the preview), this month's run issued (one
//! invoice half paid and partly credited), and next month's run as a draft to preview. What the hub already has is kept.
use super::DemoError;
use chrono::{DateTime, Utc};
use coopole_app::billing::model::{
    Address, InvoiceStatus, NewCreditNote, NewPayment, PaymentMethod, Profile, Seller,
};
use coopole_app::billing::rules;
use coopole_app::billing::service::{self as billing, Buyer};
use coopole_app::bookings::rules::paris_today;
use coopole_app::entities::{
    billing_run, invoice, invoice_line, organisation, seller_identity, user,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// The organisations left without a billing identity, to show the preview's anomaly.
const WITHOUT_PROFILE: usize = 2;

fn seller() -> Seller {
    Seller {
        name: "Coopole, pôle de coopération de l'ESS".into(),
        legal_form: "Société coopérative d'intérêt collectif (SCIC) SAS à capital variable".into(),
        share_capital_cents: Some(4_250_000),
        address: Address {
            street: "2 boulevard Léon Bureau".into(),
            postcode: "44200".into(),
            city: "Nantes".into(),
            country: "FR".into(),
        },
        siren: "404833048".into(),
        siret: "40483304800022".into(),
        rcs_city: "Nantes".into(),
        vat_number: "FR83404833048".into(),
        iban: "FR7630006000011234567890189".into(),
        bic: "AGRIFRPP847".into(),
        penalty_rate_bp: 1_215,
        payment_days: 30,
        vat_on_debits: false,
        early_discount: "Pas d'escompte pour paiement anticipé.".into(),
    }
}

/// "Pôle Coopole, 2 boulevard Léon Bureau, 44200 Nantes" → street, postcode, city.
fn address_of(raw: &str) -> Option<Address> {
    let (street, rest) = raw.rsplit_once(", ")?;
    let (postcode, city) = rest.split_once(' ')?;
    Address::parse(street, postcode, city, "FR").ok()
}

pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, DemoError> {
    if seller_identity::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let manager = user::Entity::find()
        .filter(user::Column::Email.eq("gestion@coopole.example"))
        .one(db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| {
            DemoError::Inconsistent("billing: no manager account gestion@coopole.example".into())
        })?;
    billing::save_seller(db, &seller(), manager, now).await?;
    let orgs = organisation::Entity::find()
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    let skip = orgs.len().saturating_sub(WITHOUT_PROFILE);
    for o in orgs.iter().take(skip) {
        let Some(address) = o.address.as_deref().and_then(address_of) else {
            continue;
        };
        let profile = Profile {
            legal_name: o.name.clone(),
            address,
            siren: o.siret.as_ref().map(|s| s[..9.min(s.len())].to_owned()),
            vat_number: None,
            email: format!("compta@{}.example", super::ascii_slug(&o.name)),
            members_see_invoices: o.id % 3 == 0,
        };
        billing::save_profile(db, Buyer::Organisation(o.id), &profile, now).await?;
    }
    // This month's run, issued now; next month's, a draft to preview.
    let month = rules::month_of(paris_today(now));
    let run = billing::create_run(db, month, manager, now).await?;
    billing::start_issuing(db, run, manager, now).await?;
    if billing::claim(db, run, "demo", now).await? {
        while billing::issue_next(db, run, "demo", now).await?.is_some() {}
    }
    settle_one(db, run, manager, now).await?;
    billing::create_run(db, rules::next_month(month), manager, now).await?;
    Ok(billing_run::Entity::find().count(db).await? as usize)
}

/// Half of the run's last invoice paid by transfer, and a tenth of its first line credited:
/// the demo then shows a payment, a balance and a credit note (whose e-invoice is checked
/// with the invoices').
async fn settle_one(
    db: &DatabaseConnection,
    run: i32,
    manager: i32,
    now: DateTime<Utc>,
) -> Result<(), DemoError> {
    let Some(inv) = invoice::Entity::find()
        .filter(invoice::Column::RunId.eq(run))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Issued))
        .filter(invoice::Column::InclCents.gt(2_000))
        .order_by_desc(invoice::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(line) = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(inv.id))
        .filter(invoice_line::Column::NetCents.gt(1_000))
        .order_by_asc(invoice_line::Column::Position)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let half = inv.incl_cents / 2;
    let payment = NewPayment {
        method: PaymentMethod::Transfer,
        received_on: paris_today(now),
        amount_cents: half,
        reference: format!("VIR SEPA {}", inv.number.clone().unwrap_or_default()),
        allocations: vec![(inv.id, half)],
    };
    billing::record_payment(db, inv.profile_id, &payment, manager, now).await?;
    let note = NewCreditNote {
        reason: "Geste commercial : bureau sans chauffage deux jours".into(),
        lines: vec![(line.id, line.net_cents / 10)],
    };
    billing::issue_credit_note(db, inv.id, &note, manager, now).await?;
    Ok(())
}
