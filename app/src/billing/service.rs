//! Billing's database work: the seller's identity, buyers' profiles, runs and their drafts,
//! issuing with gap-free numbers, and reading invoices back. The only billing code that
//! touches the database.
use super::model::{
    Account, Address, Anomaly, BuyerView, EXEMPTION_BARE_PREMISES, ExclusionView, INVOICE_SERIES,
    InvoiceDoc, InvoiceKind, InvoiceRow, InvoiceStatus, LineKind, LineView, ManualLine, Nature,
    PaymentRow, Profile, ProfilePage, RunRow, RunStatus, RunView, Seller, SellerVersion,
};
use super::rules;
use crate::db::{Cas, begin_write, is_conflict};
use crate::entities::{
    billing_profile, billing_run, billing_run_exclusion, billing_setting, charge, event,
    event_payment, invoice, invoice_line, invoice_series, lease, lease_line, lease_version,
    organisation, payment, payment_allocation, seller_identity, space, user,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("not found")]
    NotFound,
    #[error("a run already exists for this month")]
    PeriodBilled,
    #[error("the month is too far ahead")]
    PeriodAhead,
    #[error("no seller identity yet")]
    NoSeller,
    #[error("the run is no longer a draft")]
    RunNotDraft,
    #[error("changed at the same moment by someone else")]
    Concurrent,
    #[error("credit refused: {0:?}")]
    Credit(rules::CreditRefused),
    #[error("payment refused: {0:?}")]
    Payment(rules::PaymentRefused),
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn paris_today(now: DateTime<Utc>) -> NaiveDate {
    crate::bookings::rules::paris_today(now)
}

// ---------------------------------------------------------------------------------------------
// The seller.

fn seller_of(m: &seller_identity::Model) -> Seller {
    Seller {
        name: m.name.clone(),
        legal_form: m.legal_form.clone(),
        share_capital_cents: m.share_capital_cents,
        address: Address {
            street: m.street.clone(),
            postcode: m.postcode.clone(),
            city: m.city.clone(),
            country: m.country.clone(),
        },
        siren: m.siren.clone(),
        siret: m.siret.clone(),
        rcs_city: m.rcs_city.clone(),
        vat_number: m.vat_number.clone(),
        iban: m.iban.clone(),
        bic: m.bic.clone(),
        penalty_rate_bp: m.penalty_rate_bp,
        payment_days: m.payment_days,
        vat_on_debits: m.vat_on_debits,
        early_discount: m.early_discount.clone(),
    }
}

async fn latest_seller(db: &impl ConnectionTrait) -> Result<Option<seller_identity::Model>, DbErr> {
    seller_identity::Entity::find()
        .order_by_desc(seller_identity::Column::Version)
        .one(db)
        .await
}

/// Every version of the seller's identity, newest first.
pub async fn seller_versions(db: &DatabaseConnection) -> Result<Vec<SellerVersion>, DbErr> {
    let rows = seller_identity::Entity::find()
        .order_by_desc(seller_identity::Column::Version)
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().map(|r| r.created_by)).await?;
    Ok(rows
        .iter()
        .map(|r| SellerVersion {
            id: r.id,
            version: r.version,
            seller: seller_of(r),
            created_by: names.get(&r.created_by).cloned().unwrap_or_default(),
            created_at: crate::bookings::rules::to_paris(r.created_at),
        })
        .collect())
}

/// Records a new version of the seller's identity; invoices issued from now on carry it.
/// Two managers saving at once: one version each, in turn, or a clear conflict.
pub async fn save_seller(
    db: &DatabaseConnection,
    s: &Seller,
    by: i32,
    now: DateTime<Utc>,
) -> Result<i32, BillingError> {
    let txn = begin_write(db).await?;
    let version = latest_seller(&txn).await?.map_or(1, |m| m.version + 1);
    let row = seller_identity::ActiveModel {
        version: Set(version),
        name: Set(s.name.clone()),
        legal_form: Set(s.legal_form.clone()),
        share_capital_cents: Set(s.share_capital_cents),
        street: Set(s.address.street.clone()),
        postcode: Set(s.address.postcode.clone()),
        city: Set(s.address.city.clone()),
        country: Set(s.address.country.clone()),
        siren: Set(s.siren.clone()),
        siret: Set(s.siret.clone()),
        rcs_city: Set(s.rcs_city.clone()),
        vat_number: Set(s.vat_number.clone()),
        iban: Set(s.iban.clone()),
        bic: Set(s.bic.clone()),
        penalty_rate_bp: Set(s.penalty_rate_bp),
        payment_days: Set(s.payment_days),
        vat_on_debits: Set(s.vat_on_debits),
        early_discount: Set(s.early_discount.clone()),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(conflict_as_concurrent)?;
    txn.commit().await.map_err(conflict_as_concurrent)?;
    Ok(row.id)
}

fn conflict_as_concurrent(e: DbErr) -> BillingError {
    if is_conflict(&e) {
        BillingError::Concurrent
    } else {
        BillingError::Db(e)
    }
}

async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: HashSet<i32> = ids.collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Buyers.

/// Who is billed: an organisation, or a person without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Buyer {
    Organisation(i32),
    Person(i32),
}

fn profile_of(m: &billing_profile::Model) -> Profile {
    Profile {
        legal_name: m.legal_name.clone(),
        address: Address {
            street: m.street.clone(),
            postcode: m.postcode.clone(),
            city: m.city.clone(),
            country: m.country.clone(),
        },
        siren: m.siren.clone(),
        vat_number: m.vat_number.clone(),
        email: m.email.clone(),
        members_see_invoices: m.members_see_invoices,
    }
}

fn buyer_filter(buyer: Buyer) -> Condition {
    match buyer {
        Buyer::Organisation(id) => {
            Condition::all().add(billing_profile::Column::OrganisationId.eq(id))
        }
        Buyer::Person(id) => Condition::all().add(billing_profile::Column::UserId.eq(id)),
    }
}

/// A buyer's billing identity, if it has one.
pub async fn profile(
    db: &impl ConnectionTrait,
    buyer: Buyer,
) -> Result<Option<(i32, Profile)>, DbErr> {
    Ok(billing_profile::Entity::find()
        .filter(buyer_filter(buyer))
        .one(db)
        .await?
        .map(|m| (m.id, profile_of(&m))))
}

/// Sets a buyer's billing identity. Issued invoices keep the identity they were issued with;
/// drafts not yet issued take the new one when their run is rebuilt.
pub async fn save_profile(
    db: &DatabaseConnection,
    buyer: Buyer,
    p: &Profile,
    now: DateTime<Utc>,
) -> Result<i32, BillingError> {
    let txn = begin_write(db).await?;
    let existing = billing_profile::Entity::find()
        .filter(buyer_filter(buyer))
        .lock_exclusive()
        .one(&txn)
        .await?;
    let (organisation_id, user_id) = match buyer {
        Buyer::Organisation(id) => (Some(id), None),
        Buyer::Person(id) => (None, Some(id)),
    };
    let mut row = billing_profile::ActiveModel {
        organisation_id: Set(organisation_id),
        user_id: Set(user_id),
        legal_name: Set(p.legal_name.clone()),
        street: Set(p.address.street.clone()),
        postcode: Set(p.address.postcode.clone()),
        city: Set(p.address.city.clone()),
        country: Set(p.address.country.clone()),
        siren: Set(p.siren.clone()),
        vat_number: Set(p.vat_number.clone()),
        email: Set(p.email.clone()),
        // An organisation is a business; a person is not.
        is_business: Set(organisation_id.is_some()),
        members_see_invoices: Set(p.members_see_invoices && organisation_id.is_some()),
        updated_at: Set(now),
        ..Default::default()
    };
    let id = match existing {
        Some(m) => {
            row.id = Set(m.id);
            row.update(&txn).await?.id
        }
        None => row.insert(&txn).await.map_err(conflict_as_concurrent)?.id,
    };
    txn.commit().await.map_err(conflict_as_concurrent)?;
    Ok(id)
}

/// An organisation's billing identity for its form; `None` when the organisation does not exist.
pub async fn organisation_profile(
    db: &DatabaseConnection,
    organisation_id: i32,
) -> Result<Option<ProfilePage>, DbErr> {
    let Some(org) = organisation::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let current = profile(db, Buyer::Organisation(org.id)).await?;
    let exists = current.is_some();
    let form = match current {
        Some((_, p)) => p.to_form(),
        // A first identity starts from what the hub knows of the organisation.
        None => super::model::ProfileForm {
            legal_name: org.name.clone(),
            country: "FR".into(),
            siren: org
                .siret
                .as_deref()
                .map(|s| s.chars().take(9).collect())
                .unwrap_or_default(),
            ..Default::default()
        },
    };
    Ok(Some(ProfilePage {
        organisation_id: org.id,
        organisation_name: org.name,
        form,
        exists,
    }))
}

// ---------------------------------------------------------------------------------------------
// What a run bills.

/// A line waiting to be billed to a buyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub buyer: Buyer,
    pub kind: LineKind,
    pub description: String,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub quantity: i64,
    pub unit_cents: i64,
    pub vat_bp: i32,
    pub billing_key: String,
}

impl Pending {
    fn net(&self) -> i64 {
        self.quantity * self.unit_cents
    }
}

fn exemption(vat_bp: i32) -> Option<String> {
    (vat_bp == 0).then(|| EXEMPTION_BARE_PREMISES.to_owned())
}

/// Everything billable in the run of the month starting `month`, not billed yet: the
/// month's lease fees (in advance, prorated, one line per unit), booking charges from
/// before the month, event deposits, balances of events held, and cancellation fees.
pub async fn pending(
    db: &impl ConnectionTrait,
    month: NaiveDate,
    today: NaiveDate,
) -> Result<(Vec<Pending>, Vec<Anomaly>), DbErr> {
    let billed: HashSet<String> = invoice_line::Entity::find()
        .filter(invoice_line::Column::BillingKey.is_not_null())
        .select_only()
        .column(invoice_line::Column::BillingKey)
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut out = Vec::new();
    let mut anomalies = Vec::new();
    lease_fees(db, month, &mut out).await?;
    booking_charges(db, month, &mut out).await?;
    event_items(db, today, &billed, &mut out, &mut anomalies).await?;
    out.retain(|p| !billed.contains(&p.billing_key) && p.unit_cents > 0);
    Ok((out, anomalies))
}

async fn lease_fees(
    db: &impl ConnectionTrait,
    month: NaiveDate,
    out: &mut Vec<Pending>,
) -> Result<(), DbErr> {
    let end = rules::month_end(month);
    let month_days = rules::days_between(month, end);
    let leases = lease::Entity::find()
        .filter(lease::Column::StartsOn.lte(end))
        .filter(
            Condition::any()
                .add(lease::Column::EndsOn.is_null())
                .add(lease::Column::EndsOn.gte(month)),
        )
        .order_by_asc(lease::Column::Id)
        .all(db)
        .await?;
    if leases.is_empty() {
        return Ok(());
    }
    let versions = lease_version::Entity::find()
        .filter(lease_version::Column::LeaseId.is_in(leases.iter().map(|l| l.id)))
        .order_by_asc(lease_version::Column::Number)
        .all(db)
        .await?;
    let lines = lease_line::Entity::find()
        .filter(lease_line::Column::VersionId.is_in(versions.iter().map(|v| v.id)))
        .order_by_asc(lease_line::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = space::Entity::find()
        .filter(space::Column::Id.is_in(lines.iter().map(|l| l.space_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let month_name = crate::format::month_year(
        chrono::Datelike::year(&month),
        chrono::Datelike::month(&month),
        crate::i18n::Locale::fr,
    );
    for l in &leases {
        let own: Vec<&lease_version::Model> =
            versions.iter().filter(|v| v.lease_id == l.id).collect();
        let froms: Vec<NaiveDate> = own.iter().map(|v| v.effective_from).collect();
        for seg in rules::lease_segments(month, l.starts_on, l.ends_on, &froms) {
            let days = rules::days_between(seg.from, seg.to);
            let version = own[seg.version];
            for line in lines.iter().filter(|x| x.version_id == version.id) {
                let amount = rules::prorate(line.fee_cents, days, month_days);
                let unit = names.get(&line.space_id).cloned().unwrap_or_default();
                let description = if days >= month_days {
                    format!("Redevance d'occupation, {unit}, {month_name}")
                } else {
                    format!(
                        "Redevance d'occupation, {unit}, du {} au {} ({days}/{month_days} jours)",
                        seg.from.format("%d/%m/%Y"),
                        seg.to.format("%d/%m/%Y")
                    )
                };
                out.push(Pending {
                    buyer: Buyer::Organisation(l.organisation_id),
                    kind: LineKind::Lease,
                    description,
                    period: Some((seg.from, seg.to)),
                    quantity: 1,
                    unit_cents: amount,
                    vat_bp: line.vat_rate_bp,
                    billing_key: format!("lease:{}:{}:{}", l.id, line.space_id, seg.from),
                });
            }
        }
    }
    Ok(())
}

async fn booking_charges(
    db: &impl ConnectionTrait,
    month: NaiveDate,
    out: &mut Vec<Pending>,
) -> Result<(), DbErr> {
    for c in charge::Entity::find()
        .filter(charge::Column::VoidedAt.is_null())
        .filter(charge::Column::ServiceDate.lt(month))
        .order_by_asc(charge::Column::ServiceDate)
        .order_by_asc(charge::Column::Id)
        .all(db)
        .await?
    {
        out.push(Pending {
            buyer: Buyer::Organisation(c.organisation_id),
            kind: LineKind::Booking,
            description: c.description.clone(),
            period: Some((c.service_date, c.service_date)),
            quantity: 1,
            unit_cents: c.amount_cents,
            vat_bp: c.vat_rate_bp,
            billing_key: format!("charge:{}", c.id),
        });
    }
    Ok(())
}

fn deposit_key(payment_id: i32, vat_bp: i32) -> String {
    format!("event_payment:{payment_id}:{vat_bp}")
}

async fn event_items(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    billed: &HashSet<String>,
    out: &mut Vec<Pending>,
    anomalies: &mut Vec<Anomaly>,
) -> Result<(), DbErr> {
    let payments = event_payment::Entity::find()
        .filter(event_payment::Column::VoidedAt.is_null())
        .order_by_asc(event_payment::Column::Id)
        .all(db)
        .await?;
    if payments.is_empty() {
        return Ok(());
    }
    let events: HashMap<i32, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(payments.iter().map(|p| p.event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    // The deposit of each event, voided or not: a balance or a fee deducts it once billed.
    let deposits: HashMap<i32, event_payment::Model> = event_payment::Entity::find()
        .filter(event_payment::Column::EventId.is_in(events.keys().copied()))
        .filter(event_payment::Column::Kind.eq("deposit"))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.event_id, p))
        .collect();
    let settings = billing_setting::Entity::find_by_id(1).one(db).await?;
    let cancellation_bp = settings.map_or(2000, |s| s.cancellation_vat_bp);
    for p in &payments {
        let Some(e) = events.get(&p.event_id) else {
            continue;
        };
        let buyer = e
            .organisation_id
            .map_or(Buyer::Person(e.organiser_id), Buyer::Organisation);
        let Some((quote, quote_lines)) = crate::events::service::sent_quote(db, e.id).await? else {
            continue;
        };
        let weights = rate_weights(&quote_lines, quote.discount_bp);
        let period = Some((e.first_date, e.last_date));
        let deposit_lines: Vec<(i32, i64)> = deposits
            .get(&e.id)
            .map(|d| rules::split_by_rate(d.amount_cents, &weights))
            .unwrap_or_default();
        let deposit_billed = deposits.get(&e.id).is_some_and(|d| {
            deposit_lines
                .iter()
                .all(|(bp, _)| billed.contains(&deposit_key(d.id, *bp)))
        });
        let deduct = |out: &mut Vec<Pending>, key: &str| {
            for (bp, base) in &deposit_lines {
                out.push(Pending {
                    buyer,
                    kind: LineKind::DepositDeduction,
                    description: format!("Déduction de l'acompte versé, {}", e.name),
                    period,
                    quantity: -1,
                    unit_cents: *base,
                    vat_bp: *bp,
                    billing_key: format!("{key}:deduct:{bp}"),
                });
            }
        };
        match p.kind.as_str() {
            "deposit" => {
                for (bp, base) in &deposit_lines {
                    out.push(Pending {
                        buyer,
                        kind: LineKind::EventDeposit,
                        description: format!("Acompte, {}", e.name),
                        period,
                        quantity: 1,
                        unit_cents: *base,
                        vat_bp: *bp,
                        billing_key: deposit_key(p.id, *bp),
                    });
                }
            }
            "balance" if e.last_date < today && (deposit_billed || deposit_lines.is_empty()) => {
                let key = format!("event_payment:{}", p.id);
                for l in &quote_lines {
                    out.push(Pending {
                        buyer,
                        kind: LineKind::EventBalance,
                        description: format!("{}, {}", l.description, e.name),
                        period,
                        quantity: l.quantity,
                        unit_cents: l.unit_cents,
                        vat_bp: l.vat_bp,
                        billing_key: format!("{key}:line:{}", l.position),
                    });
                }
                for (bp, gross) in rate_bases(&quote_lines) {
                    let discount =
                        rules::mul_div_round(gross, i64::from(quote.discount_bp), 10_000);
                    if discount > 0 {
                        out.push(Pending {
                            buyer,
                            kind: LineKind::EventBalance,
                            description: format!("Remise, {}", e.name),
                            period,
                            quantity: -1,
                            unit_cents: discount,
                            vat_bp: bp,
                            billing_key: format!("{key}:discount:{bp}"),
                        });
                    }
                }
                if deposit_billed {
                    deduct(out, &key);
                }
            }
            "cancellation" => {
                let base = rules::mul_div_round(
                    p.amount_cents,
                    10_000,
                    10_000 + i64::from(cancellation_bp),
                );
                let deposit_incl: i64 = if deposit_billed {
                    rules::totals(deposit_lines.iter().map(|(bp, b)| (*b, *bp))).incl_cents
                } else {
                    0
                };
                if deposit_incl > p.amount_cents {
                    anomalies.push(Anomaly::DepositAboveFee {
                        event_id: e.id,
                        name: e.name.clone(),
                    });
                    continue;
                }
                let key = format!("event_payment:{}", p.id);
                out.push(Pending {
                    buyer,
                    kind: LineKind::Cancellation,
                    description: format!("Frais d'annulation, {}", e.name),
                    period,
                    quantity: 1,
                    unit_cents: base,
                    vat_bp: cancellation_bp,
                    billing_key: format!("{key}:fee"),
                });
                if deposit_billed {
                    deduct(out, &key);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Each VAT rate's base in a quote, before its discount.
fn rate_bases(lines: &[crate::entities::event_quote_line::Model]) -> Vec<(i32, i64)> {
    let mut bases: BTreeMap<i32, i64> = BTreeMap::new();
    for l in lines {
        *bases.entry(l.vat_bp).or_default() += l.quantity * l.unit_cents;
    }
    bases.into_iter().collect()
}

/// Each VAT rate's share of a quote including VAT, after its discount: how a deposit splits.
fn rate_weights(
    lines: &[crate::entities::event_quote_line::Model],
    discount_bp: i32,
) -> Vec<(i32, i64)> {
    rate_bases(lines)
        .into_iter()
        .map(|(bp, gross)| {
            let base = gross - rules::mul_div_round(gross, i64::from(discount_bp), 10_000);
            (bp, base + rules::mul_div_round(base, i64::from(bp), 10_000))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Runs.

/// Opens the run of the month starting `month` and drafts its invoices, in one transaction.
/// A month has one run: a second is refused, and two managers opening it at once get one.
pub async fn create_run(
    db: &DatabaseConnection,
    month: NaiveDate,
    by: i32,
    now: DateTime<Utc>,
) -> Result<i32, BillingError> {
    let today = paris_today(now);
    if month > rules::next_month(rules::month_of(today)) {
        return Err(BillingError::PeriodAhead);
    }
    let txn = begin_write(db).await?;
    let run = billing_run::ActiveModel {
        period_start: Set(month),
        status: Set(RunStatus::Draft),
        issue_date: Set(None),
        created_by: Set(by),
        created_at: Set(now),
        issue_started_by: Set(None),
        issue_started_at: Set(None),
        issued_at: Set(None),
        claimed_by: Set(None),
        claimed_until: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_conflict(&e) {
            BillingError::PeriodBilled
        } else {
            BillingError::Db(e)
        }
    })?;
    draft_invoices(&txn, &run, None, by, now).await?;
    txn.commit().await.map_err(|e| {
        if is_conflict(&e) {
            BillingError::PeriodBilled
        } else {
            BillingError::Db(e)
        }
    })?;
    Ok(run.id)
}

/// Writes the drafts of `run` (only `only`'s, when given), leaving out excluded buyers.
async fn draft_invoices(
    txn: &DatabaseTransaction,
    run: &billing_run::Model,
    only: Option<i32>,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), BillingError> {
    let (items, _) = pending(txn, run.period_start, paris_today(now)).await?;
    let excluded: HashSet<i32> = billing_run_exclusion::Entity::find()
        .filter(billing_run_exclusion::Column::RunId.eq(run.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|x| x.profile_id)
        .collect();
    let profiles = profiles_by_buyer(txn).await?;
    let mut by_profile: BTreeMap<i32, Vec<Pending>> = BTreeMap::new();
    for item in items {
        if let Some(p) = profiles.get(&item.buyer)
            && !excluded.contains(&p.id)
            && only.is_none_or(|o| o == p.id)
        {
            by_profile.entry(p.id).or_default().push(item);
        }
    }
    let by_id: HashMap<i32, &billing_profile::Model> =
        profiles.values().map(|p| (p.id, p)).collect();
    for (profile_id, lines) in by_profile {
        let Some(p) = by_id.get(&profile_id) else {
            continue;
        };
        let t = rules::totals(lines.iter().map(|l| (l.net(), l.vat_bp)));
        if t.incl_cents <= 0 {
            continue;
        }
        let month_end = rules::month_end(run.period_start);
        let from = lines
            .iter()
            .filter_map(|l| l.period.map(|p| p.0))
            .min()
            .unwrap_or(run.period_start);
        let to = lines
            .iter()
            .filter_map(|l| l.period.map(|p| p.1))
            .max()
            .unwrap_or(month_end);
        let inv = new_draft(p, Some(run.id), (from, to), &t, by, now)
            .insert(txn)
            .await?;
        for (i, l) in lines.iter().enumerate() {
            insert_line(txn, inv.id, i as i32 + 1, l).await?;
        }
    }
    Ok(())
}

fn new_draft(
    p: &billing_profile::Model,
    run_id: Option<i32>,
    period: (NaiveDate, NaiveDate),
    t: &rules::Totals,
    by: i32,
    now: DateTime<Utc>,
) -> invoice::ActiveModel {
    invoice::ActiveModel {
        run_id: Set(run_id),
        kind: Set(InvoiceKind::Invoice),
        status: Set(InvoiceStatus::Draft),
        series: Set(INVOICE_SERIES.to_owned()),
        year: Set(None),
        seq: Set(None),
        number: Set(None),
        seller_id: Set(None),
        profile_id: Set(p.id),
        organisation_id: Set(p.organisation_id),
        user_id: Set(p.user_id),
        buyer_name: Set(p.legal_name.clone()),
        buyer_street: Set(p.street.clone()),
        buyer_postcode: Set(p.postcode.clone()),
        buyer_city: Set(p.city.clone()),
        buyer_country: Set(p.country.clone()),
        buyer_siren: Set(p.siren.clone()),
        buyer_vat: Set(p.vat_number.clone()),
        buyer_email: Set(p.email.clone()),
        buyer_is_business: Set(p.is_business),
        delivery_address: Set(None),
        nature: Set(Nature::Services),
        period_start: Set(period.0),
        period_end: Set(period.1),
        issue_date: Set(None),
        due_date: Set(None),
        excl_cents: Set(t.excl_cents),
        vat_cents: Set(t.vat_cents),
        incl_cents: Set(t.incl_cents),
        credited_cents: Set(0),
        paid_cents: Set(0),
        corrects_id: Set(None),
        reason: Set(String::new()),
        created_by: Set(by),
        created_at: Set(now),
        issued_by: Set(None),
        issued_at: Set(None),
        ..Default::default()
    }
}

async fn insert_line(
    txn: &DatabaseTransaction,
    invoice_id: i32,
    position: i32,
    l: &Pending,
) -> Result<(), BillingError> {
    invoice_line::ActiveModel {
        invoice_id: Set(invoice_id),
        position: Set(position),
        kind: Set(l.kind),
        description: Set(l.description.chars().take(300).collect()),
        period_start: Set(l.period.map(|p| p.0)),
        period_end: Set(l.period.map(|p| p.1)),
        quantity: Set(l.quantity),
        unit_cents: Set(l.unit_cents),
        net_cents: Set(l.net()),
        vat_bp: Set(l.vat_bp),
        exemption: Set(exemption(l.vat_bp)),
        billing_key: Set(Some(l.billing_key.clone())),
        credits_line_id: Set(None),
        reason: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(conflict_as_concurrent)?;
    Ok(())
}

async fn profiles_by_buyer(
    db: &impl ConnectionTrait,
) -> Result<HashMap<Buyer, billing_profile::Model>, DbErr> {
    Ok(billing_profile::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| {
            let buyer = match (p.organisation_id, p.user_id) {
                (Some(o), _) => Buyer::Organisation(o),
                (None, Some(u)) => Buyer::Person(u),
                (None, None) => return None,
            };
            Some((buyer, p))
        })
        .collect())
}

/// Re-reads run `id` inside the write transaction, locked, and refuses unless it is a draft.
async fn draft_run(txn: &DatabaseTransaction, id: i32) -> Result<billing_run::Model, BillingError> {
    let run = billing_run::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(BillingError::NotFound)?;
    if run.status != RunStatus::Draft {
        return Err(BillingError::RunNotDraft);
    }
    Ok(run)
}

async fn delete_drafts_of(
    txn: &DatabaseTransaction,
    run_id: i32,
    profile_id: i32,
) -> Result<(), DbErr> {
    let ids: Vec<i32> = invoice::Entity::find()
        .filter(invoice::Column::RunId.eq(run_id))
        .filter(invoice::Column::ProfileId.eq(profile_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Draft))
        .all(txn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    invoice_line::Entity::delete_many()
        .filter(invoice_line::Column::InvoiceId.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    invoice::Entity::delete_many()
        .filter(invoice::Column::Id.is_in(ids))
        .exec(txn)
        .await?;
    Ok(())
}

/// Leaves a buyer out of a draft run, with a reason: its draft goes, and what it would have
/// billed waits for the next run.
pub async fn exclude(
    db: &DatabaseConnection,
    run_id: i32,
    profile_id: i32,
    reason: &str,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), BillingError> {
    let txn = begin_write(db).await?;
    draft_run(&txn, run_id).await?;
    delete_drafts_of(&txn, run_id, profile_id).await?;
    billing_run_exclusion::ActiveModel {
        run_id: Set(run_id),
        profile_id: Set(profile_id),
        reason: Set(reason.to_owned()),
        by_user: Set(by),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(conflict_as_concurrent)?;
    txn.commit().await?;
    Ok(())
}

/// Puts an excluded buyer back into a draft run: its draft is made again from what is due.
pub async fn include(
    db: &DatabaseConnection,
    run_id: i32,
    profile_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), BillingError> {
    let txn = begin_write(db).await?;
    let run = draft_run(&txn, run_id).await?;
    billing_run_exclusion::Entity::delete_many()
        .filter(billing_run_exclusion::Column::RunId.eq(run_id))
        .filter(billing_run_exclusion::Column::ProfileId.eq(profile_id))
        .exec(&txn)
        .await?;
    delete_drafts_of(&txn, run_id, profile_id).await?;
    draft_invoices(&txn, &run, Some(profile_id), by, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Adds a line by hand to a buyer's draft in a run (making the draft if it has none).
pub async fn add_manual_line(
    db: &DatabaseConnection,
    run_id: i32,
    profile_id: i32,
    line: &ManualLine,
    by: i32,
    now: DateTime<Utc>,
) -> Result<i32, BillingError> {
    let txn = begin_write(db).await?;
    let run = draft_run(&txn, run_id).await?;
    let p = billing_profile::Entity::find_by_id(profile_id)
        .one(&txn)
        .await?
        .ok_or(BillingError::NotFound)?;
    let existing = invoice::Entity::find()
        .filter(invoice::Column::RunId.eq(run_id))
        .filter(invoice::Column::ProfileId.eq(profile_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Draft))
        .one(&txn)
        .await?;
    let period = (run.period_start, rules::month_end(run.period_start));
    let inv = match existing {
        Some(i) => i,
        None => {
            let empty = rules::totals([]);
            new_draft(&p, Some(run_id), period, &empty, by, now)
                .insert(&txn)
                .await?
        }
    };
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(inv.id))
        .all(&txn)
        .await?;
    let net = line.quantity * line.unit_cents;
    invoice_line::ActiveModel {
        invoice_id: Set(inv.id),
        position: Set(lines.len() as i32 + 1),
        kind: Set(LineKind::Manual),
        description: Set(line.description.clone()),
        period_start: Set(Some(period.0)),
        period_end: Set(Some(period.1)),
        quantity: Set(line.quantity),
        unit_cents: Set(line.unit_cents),
        net_cents: Set(net),
        vat_bp: Set(line.vat_bp),
        exemption: Set(exemption(line.vat_bp)),
        billing_key: Set(None),
        credits_line_id: Set(None),
        reason: Set(Some(line.reason.clone())),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    retotal(&txn, inv.id).await?;
    txn.commit().await?;
    Ok(inv.id)
}

/// Recomputes a draft's totals from its lines.
async fn retotal(txn: &DatabaseTransaction, invoice_id: i32) -> Result<(), DbErr> {
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(invoice_id))
        .all(txn)
        .await?;
    let t = rules::totals(lines.iter().map(|l| (l.net_cents, l.vat_bp)));
    invoice::Entity::update_many()
        .col_expr(invoice::Column::ExclCents, Expr::value(t.excl_cents))
        .col_expr(invoice::Column::VatCents, Expr::value(t.vat_cents))
        .col_expr(invoice::Column::InclCents, Expr::value(t.incl_cents))
        .filter(invoice::Column::Id.eq(invoice_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Draft))
        .exec(txn)
        .await?;
    Ok(())
}

/// Starts issuing a draft run; the issuing itself goes on in the background
/// ([`issue_next`]), invoice by invoice, and survives the server stopping.
pub async fn start_issuing(
    db: &DatabaseConnection,
    run_id: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), BillingError> {
    let txn = begin_write(db).await?;
    draft_run(&txn, run_id).await?;
    if latest_seller(&txn).await?.is_none() {
        return Err(BillingError::NoSeller);
    }
    let moved = billing_run::Entity::update_many()
        .col_expr(billing_run::Column::Status, Expr::value(RunStatus::Issuing))
        .col_expr(billing_run::Column::IssueStartedBy, Expr::value(by))
        .col_expr(billing_run::Column::IssueStartedAt, Expr::value(now))
        .filter(billing_run::Column::Id.eq(run_id))
        .filter(billing_run::Column::Status.eq(RunStatus::Draft))
        .exec(&txn)
        .await?;
    if Cas::from_rows(moved.rows_affected) == Cas::Stale {
        return Err(BillingError::RunNotDraft);
    }
    txn.commit().await?;
    Ok(())
}

/// How long an instance's claim on a run holds without news.
pub const CLAIM_SECONDS: i64 = 30;

/// Claims run `id` for `instance`, or renews its claim: one instance issues a run at a time.
pub async fn claim(
    db: &DatabaseConnection,
    run_id: i32,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = billing_run::Entity::update_many()
        .col_expr(billing_run::Column::ClaimedBy, Expr::value(instance))
        .col_expr(
            billing_run::Column::ClaimedUntil,
            Expr::value(now + Duration::seconds(CLAIM_SECONDS)),
        )
        .filter(billing_run::Column::Id.eq(run_id))
        .filter(billing_run::Column::Status.eq(RunStatus::Issuing))
        .filter(
            Condition::any()
                .add(billing_run::Column::ClaimedBy.is_null())
                .add(billing_run::Column::ClaimedBy.eq(instance))
                .add(billing_run::Column::ClaimedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Runs being issued, for the background issuer.
pub async fn issuing_runs(db: &DatabaseConnection) -> Result<Vec<i32>, DbErr> {
    Ok(billing_run::Entity::find()
        .filter(billing_run::Column::Status.eq(RunStatus::Issuing))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Takes the next number of `series` for `year`, in the caller's transaction: the counter
/// row is made if missing, locked (`FOR UPDATE` on PostgreSQL; SQLite's write lock is already
/// held) and moved on by a compare-and-set. A rollback gives the number back, so numbers run
/// without gaps.
pub async fn take_number(
    txn: &DatabaseTransaction,
    series: &str,
    year: i32,
) -> Result<i32, BillingError> {
    invoice_series::Entity::insert(invoice_series::ActiveModel {
        series: Set(series.to_owned()),
        year: Set(year),
        next_seq: Set(1),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([invoice_series::Column::Series, invoice_series::Column::Year])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let counter = invoice_series::Entity::find()
        .filter(invoice_series::Column::Series.eq(series))
        .filter(invoice_series::Column::Year.eq(year))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(BillingError::Concurrent)?;
    let moved = invoice_series::Entity::update_many()
        .col_expr(
            invoice_series::Column::NextSeq,
            Expr::value(counter.next_seq + 1),
        )
        .filter(invoice_series::Column::Id.eq(counter.id))
        .filter(invoice_series::Column::NextSeq.eq(counter.next_seq))
        .exec(txn)
        .await?;
    if Cas::from_rows(moved.rows_affected) == Cas::Stale {
        return Err(BillingError::Concurrent);
    }
    Ok(counter.next_seq)
}

/// Issues draft `invoice_id` in the caller's transaction: number, dates, seller; frozen from
/// the commit on.
async fn issue_in(
    txn: &DatabaseTransaction,
    inv: &invoice::Model,
    seller: &seller_identity::Model,
    by: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), BillingError> {
    let today = paris_today(now);
    let year = chrono::Datelike::year(&today);
    let seq = take_number(txn, &inv.series, year).await?;
    let moved = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Issued))
        .col_expr(invoice::Column::Year, Expr::value(year))
        .col_expr(invoice::Column::Seq, Expr::value(seq))
        .col_expr(
            invoice::Column::Number,
            Expr::value(rules::number(&inv.series, year, seq)),
        )
        .col_expr(invoice::Column::SellerId, Expr::value(seller.id))
        .col_expr(invoice::Column::IssueDate, Expr::value(today))
        .col_expr(
            invoice::Column::DueDate,
            Expr::value(rules::due_date(today, seller.payment_days)),
        )
        .col_expr(invoice::Column::IssuedBy, Expr::value(by))
        .col_expr(invoice::Column::IssuedAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Draft))
        .exec(txn)
        .await?;
    if Cas::from_rows(moved.rows_affected) == Cas::Stale {
        return Err(BillingError::Concurrent);
    }
    Ok(())
}

/// Issues the next draft of run `run_id`, in one transaction, if `instance` still holds the
/// run; closes the run when none is left. Some(id): an invoice was issued; None: the run is
/// done, or another instance holds it.
pub async fn issue_next(
    db: &DatabaseConnection,
    run_id: i32,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<Option<i32>, BillingError> {
    let txn = begin_write(db).await?;
    let run = billing_run::Entity::find_by_id(run_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(BillingError::NotFound)?;
    if run.status != RunStatus::Issuing || run.claimed_by.as_deref() != Some(instance) {
        return Ok(None);
    }
    let next = invoice::Entity::find()
        .filter(invoice::Column::RunId.eq(run_id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Draft))
        .filter(invoice::Column::InclCents.gt(0))
        .order_by_asc(invoice::Column::Id)
        .one(&txn)
        .await?;
    let Some(inv) = next else {
        billing_run::Entity::update_many()
            .col_expr(billing_run::Column::Status, Expr::value(RunStatus::Issued))
            .col_expr(billing_run::Column::IssuedAt, Expr::value(now))
            .col_expr(
                billing_run::Column::IssueDate,
                Expr::value(paris_today(now)),
            )
            .filter(billing_run::Column::Id.eq(run_id))
            .filter(billing_run::Column::Status.eq(RunStatus::Issuing))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Ok(None);
    };
    let seller = latest_seller(&txn).await?.ok_or(BillingError::NoSeller)?;
    issue_in(&txn, &inv, &seller, run.issue_started_by, now).await?;
    txn.commit().await?;
    Ok(Some(inv.id))
}

/// The background issuer: every run being issued that this instance can claim, invoice by
/// invoice, renewing its claim as it goes.
pub async fn issue_pending_runs(
    db: &DatabaseConnection,
    instance: &str,
) -> Result<usize, BillingError> {
    let mut issued = 0;
    for run_id in issuing_runs(db).await? {
        if !claim(db, run_id, instance, Utc::now()).await? {
            continue;
        }
        let mut since_claim = 0;
        while issue_next(db, run_id, instance, Utc::now())
            .await?
            .is_some()
        {
            issued += 1;
            since_claim += 1;
            if since_claim >= 50 {
                since_claim = 0;
                if !claim(db, run_id, instance, Utc::now()).await? {
                    break;
                }
            }
        }
    }
    Ok(issued)
}

// ---------------------------------------------------------------------------------------------
// Reading back.

/// The ids of every issued invoice and credit note, in the order they were numbered.
pub async fn issued_ids(db: &DatabaseConnection) -> Result<Vec<i32>, DbErr> {
    Ok(invoice::Entity::find()
        .filter(invoice::Column::Status.eq(InvoiceStatus::Issued))
        .order_by_asc(invoice::Column::Series)
        .order_by_asc(invoice::Column::Year)
        .order_by_asc(invoice::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect())
}

/// Every run, newest month first.
pub async fn runs(db: &DatabaseConnection) -> Result<Vec<RunRow>, DbErr> {
    let runs = billing_run::Entity::find()
        .order_by_desc(billing_run::Column::PeriodStart)
        .all(db)
        .await?;
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::RunId.is_in(runs.iter().map(|r| r.id)))
        .all(db)
        .await?;
    Ok(runs
        .iter()
        .map(|r| {
            let own: Vec<&invoice::Model> =
                invoices.iter().filter(|i| i.run_id == Some(r.id)).collect();
            RunRow {
                id: r.id,
                period_start: r.period_start,
                status: r.status,
                invoices: own.len(),
                issued: own
                    .iter()
                    .filter(|i| i.status == InvoiceStatus::Issued)
                    .count(),
                incl_cents: own.iter().map(|i| i.incl_cents).sum(),
            }
        })
        .collect())
}

fn row_of(i: &invoice::Model, line_count: usize) -> InvoiceRow {
    InvoiceRow {
        id: i.id,
        kind: i.kind,
        status: i.status,
        number: i.number.clone(),
        buyer_name: i.buyer_name.clone(),
        profile_id: i.profile_id,
        issue_date: i.issue_date,
        due_date: i.due_date,
        excl_cents: i.excl_cents,
        vat_cents: i.vat_cents,
        incl_cents: i.incl_cents,
        due_cents: if i.kind == InvoiceKind::Invoice {
            rules::due(i.incl_cents, i.paid_cents, i.credited_cents)
        } else {
            0
        },
        line_count,
    }
}

/// A run with its drafts or invoices, what waits without a billing identity, and its
/// exclusions.
pub async fn run_view(
    db: &DatabaseConnection,
    run_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<RunView>, DbErr> {
    let Some(run) = billing_run::Entity::find_by_id(run_id).one(db).await? else {
        return Ok(None);
    };
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::RunId.eq(run_id))
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await?;
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.is_in(invoices.iter().map(|i| i.id)))
        .all(db)
        .await?;
    let mut anomalies = Vec::new();
    if run.status == RunStatus::Draft {
        let (items, event_anomalies) = pending(db, run.period_start, paris_today(now)).await?;
        anomalies.extend(event_anomalies);
        let profiles = profiles_by_buyer(db).await?;
        let mut waiting: BTreeMap<Buyer, usize> = BTreeMap::new();
        for i in items.iter().filter(|i| !profiles.contains_key(&i.buyer)) {
            *waiting.entry(i.buyer).or_default() += 1;
        }
        for (buyer, count) in waiting {
            let (organisation_id, user_id, name) = match buyer {
                Buyer::Organisation(id) => (
                    Some(id),
                    None,
                    organisation::Entity::find_by_id(id)
                        .one(db)
                        .await?
                        .map(|o| o.name)
                        .unwrap_or_default(),
                ),
                Buyer::Person(id) => (
                    None,
                    Some(id),
                    user::Entity::find_by_id(id)
                        .one(db)
                        .await?
                        .map(|u| u.name)
                        .unwrap_or_default(),
                ),
            };
            anomalies.push(Anomaly::NoBillingProfile {
                organisation_id,
                user_id,
                name,
                items: count,
            });
        }
    }
    let exclusions = billing_run_exclusion::Entity::find()
        .filter(billing_run_exclusion::Column::RunId.eq(run_id))
        .all(db)
        .await?;
    let names = user_names(db, exclusions.iter().map(|x| x.by_user)).await?;
    let profile_names: HashMap<i32, String> = billing_profile::Entity::find()
        .filter(billing_profile::Column::Id.is_in(exclusions.iter().map(|x| x.profile_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.legal_name))
        .collect();
    let rows: Vec<InvoiceRow> = invoices
        .iter()
        .map(|i| row_of(i, lines.iter().filter(|l| l.invoice_id == i.id).count()))
        .collect();
    Ok(Some(RunView {
        id: run.id,
        period_start: run.period_start,
        period_end: rules::month_end(run.period_start),
        status: run.status,
        issued: rows
            .iter()
            .filter(|r| r.status == InvoiceStatus::Issued)
            .count(),
        excl_cents: rows.iter().map(|r| r.excl_cents).sum(),
        vat_cents: rows.iter().map(|r| r.vat_cents).sum(),
        incl_cents: rows.iter().map(|r| r.incl_cents).sum(),
        invoices: rows,
        anomalies,
        exclusions: exclusions
            .iter()
            .map(|x| ExclusionView {
                profile_id: x.profile_id,
                buyer: profile_names
                    .get(&x.profile_id)
                    .cloned()
                    .unwrap_or_default(),
                reason: x.reason.clone(),
                by: names.get(&x.by_user).cloned().unwrap_or_default(),
            })
            .collect(),
        has_seller: latest_seller(db).await?.is_some(),
    }))
}

/// An invoice or credit note as its document shows it.
pub async fn invoice_doc(db: &DatabaseConnection, id: i32) -> Result<Option<InvoiceDoc>, DbErr> {
    let Some(i) = invoice::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(id))
        .order_by_asc(invoice_line::Column::Position)
        .all(db)
        .await?;
    let credit_lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::CreditsLineId.is_in(lines.iter().map(|l| l.id)))
        .all(db)
        .await?;
    let seller = match i.seller_id {
        Some(sid) => seller_identity::Entity::find_by_id(sid).one(db).await?,
        None => latest_seller(db).await?,
    };
    let corrects = match i.corrects_id {
        Some(cid) => invoice::Entity::find_by_id(cid)
            .one(db)
            .await?
            .and_then(|c| Some((c.id, c.number?, c.issue_date?))),
        None => None,
    };
    let credit_notes = invoice::Entity::find()
        .filter(invoice::Column::CorrectsId.eq(id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Issued))
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.id, c.number?, c.incl_cents)))
        .collect();
    let allocations = payment_allocation::Entity::find()
        .filter(payment_allocation::Column::InvoiceId.eq(id))
        .all(db)
        .await?;
    let payments: HashMap<i32, payment::Model> = payment::Entity::find()
        .filter(payment::Column::Id.is_in(allocations.iter().map(|a| a.payment_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let t = rules::totals(lines.iter().map(|l| (l.net_cents, l.vat_bp)));
    Ok(Some(InvoiceDoc {
        id: i.id,
        kind: i.kind,
        status: i.status,
        number: i.number.clone(),
        issue_date: i.issue_date,
        period: (i.period_start, i.period_end),
        due_date: i.due_date,
        seller: seller.as_ref().map(seller_of),
        buyer: BuyerView {
            name: i.buyer_name.clone(),
            address: Address {
                street: i.buyer_street.clone(),
                postcode: i.buyer_postcode.clone(),
                city: i.buyer_city.clone(),
                country: i.buyer_country.clone(),
            },
            siren: i.buyer_siren.clone(),
            vat_number: i.buyer_vat.clone(),
            email: i.buyer_email.clone(),
            is_business: i.buyer_is_business,
        },
        delivery_address: i.delivery_address.clone(),
        nature: i.nature,
        lines: lines
            .iter()
            .map(|l| LineView {
                id: l.id,
                kind: l.kind,
                description: l.description.clone(),
                period: l.period_start.zip(l.period_end),
                quantity: l.quantity,
                unit_cents: l.unit_cents,
                net_cents: l.net_cents,
                vat_bp: l.vat_bp,
                exemption: l.exemption.clone(),
                reason: l.reason.clone(),
                credited_cents: credit_lines
                    .iter()
                    .filter(|c| c.credits_line_id == Some(l.id))
                    .map(|c| c.net_cents)
                    .sum(),
            })
            .collect(),
        vat: t.vat,
        excl_cents: i.excl_cents,
        vat_cents: i.vat_cents,
        incl_cents: i.incl_cents,
        paid_cents: i.paid_cents,
        credited_cents: i.credited_cents,
        due_cents: if i.kind == InvoiceKind::Invoice {
            rules::due(i.incl_cents, i.paid_cents, i.credited_cents)
        } else {
            0
        },
        corrects,
        reason: i.reason.clone(),
        credit_notes,
        payments: allocations
            .iter()
            .filter_map(|a| {
                let p = payments.get(&a.payment_id)?;
                Some(super::model::AllocationView {
                    payment_id: p.id,
                    method: p.method,
                    received_on: p.received_on,
                    reference: p.reference.clone(),
                    amount_cents: a.amount_cents,
                })
            })
            .collect(),
        run_id: i.run_id,
        organisation_id: i.organisation_id,
    }))
}

/// Whether `user` may read invoice `doc`: managers; the organisation's referent, and its
/// members when the referent allows it; the person billed. Drafts are for managers only.
pub async fn may_read(
    db: &DatabaseConnection,
    user: &crate::auth::model::UserView,
    doc: &InvoiceDoc,
) -> Result<bool, DbErr> {
    if user.is_manager() {
        return Ok(true);
    }
    if doc.status != InvoiceStatus::Issued {
        return Ok(false);
    }
    let Some(inv) = invoice::Entity::find_by_id(doc.id).one(db).await? else {
        return Ok(false);
    };
    if inv.user_id == Some(user.id) {
        return Ok(true);
    }
    let Some(org) = inv.organisation_id else {
        return Ok(false);
    };
    if user.organisation.as_ref().is_none_or(|o| o.id != org) {
        return Ok(false);
    }
    if user.is_referent {
        return Ok(true);
    }
    let profile = billing_profile::Entity::find_by_id(inv.profile_id)
        .one(db)
        .await?;
    Ok(profile.is_some_and(|p| p.members_see_invoices))
}

/// The accounts `user` may see: their own as a person billed, and their organisation's when
/// they are its referent or the referent lets members see invoices. Issued documents only.
pub async fn accounts_of(
    db: &DatabaseConnection,
    user: &crate::auth::model::UserView,
) -> Result<Vec<Account>, DbErr> {
    let mut cond = Condition::any().add(billing_profile::Column::UserId.eq(user.id));
    if let Some(org) = &user.organisation {
        let mut own = Condition::all().add(billing_profile::Column::OrganisationId.eq(org.id));
        if !user.is_referent {
            own = own.add(billing_profile::Column::MembersSeeInvoices.eq(true));
        }
        cond = cond.add(own);
    }
    let profiles = billing_profile::Entity::find()
        .filter(cond)
        .order_by_asc(billing_profile::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for p in profiles {
        out.push(account(db, &p).await?);
    }
    Ok(out)
}

/// One buyer's statement of account.
pub async fn account(
    db: &DatabaseConnection,
    p: &billing_profile::Model,
) -> Result<Account, DbErr> {
    let docs = invoice::Entity::find()
        .filter(invoice::Column::ProfileId.eq(p.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Issued))
        .order_by_desc(invoice::Column::IssueDate)
        .order_by_desc(invoice::Column::Id)
        .all(db)
        .await?;
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.is_in(docs.iter().map(|d| d.id)))
        .all(db)
        .await?;
    let documents: Vec<InvoiceRow> = docs
        .iter()
        .map(|d| row_of(d, lines.iter().filter(|l| l.invoice_id == d.id).count()))
        .collect();
    let payments = payment::Entity::find()
        .filter(payment::Column::ProfileId.eq(p.id))
        .order_by_desc(payment::Column::ReceivedOn)
        .order_by_desc(payment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| PaymentRow {
            id: m.id,
            method: m.method,
            received_on: m.received_on,
            reference: m.reference,
            amount_cents: m.amount_cents,
        })
        .collect();
    Ok(Account {
        profile_id: p.id,
        buyer_name: p.legal_name.clone(),
        balance_cents: documents.iter().map(|d| d.due_cents).sum(),
        documents,
        payments,
    })
}

/// The profile an invoice was billed to, for recording its payments.
pub async fn invoice_profile(
    db: &DatabaseConnection,
    invoice_id: i32,
) -> Result<Option<i32>, DbErr> {
    Ok(invoice::Entity::find_by_id(invoice_id)
        .one(db)
        .await?
        .map(|i| i.profile_id))
}

// ---------------------------------------------------------------------------------------------
// Credit notes and payments.

/// Issues a credit note against issued invoice `invoice_id`, in one transaction: its lines
/// (each at most what the invoice line has left), its own gap-free number in the "AV" series,
/// and the invoice's credited amount (at most its total, a check the database keeps too).
pub async fn issue_credit_note(
    db: &DatabaseConnection,
    invoice_id: i32,
    note: &super::model::NewCreditNote,
    by: i32,
    now: DateTime<Utc>,
) -> Result<i32, BillingError> {
    use rules::CreditRefused as R;
    let txn = begin_write(db).await?;
    let inv = invoice::Entity::find_by_id(invoice_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(BillingError::NotFound)?;
    if inv.kind != InvoiceKind::Invoice {
        return Err(BillingError::Credit(R::NotAnInvoice));
    }
    if inv.status != InvoiceStatus::Issued {
        return Err(BillingError::Credit(R::NotIssued));
    }
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(invoice_id))
        .all(&txn)
        .await?;
    let credited = invoice_line::Entity::find()
        .filter(invoice_line::Column::CreditsLineId.is_in(lines.iter().map(|l| l.id)))
        .all(&txn)
        .await?;
    let mut picked = Vec::new();
    for (line_id, cents) in &note.lines {
        let line = lines
            .iter()
            .find(|l| l.id == *line_id)
            .ok_or(BillingError::Credit(R::UnknownLine(*line_id)))?;
        let already: i64 = credited
            .iter()
            .filter(|c| c.credits_line_id == Some(line.id))
            .map(|c| c.net_cents)
            .sum();
        rules::check_credit_line(line.id, line.net_cents, already, *cents)
            .map_err(BillingError::Credit)?;
        picked.push((line, *cents));
    }
    let t = rules::totals(picked.iter().map(|(l, c)| (*c, l.vat_bp)));
    rules::check_credit_total(inv.incl_cents, inv.credited_cents, t.incl_cents)
        .map_err(BillingError::Credit)?;
    let profile = billing_profile::Entity::find_by_id(inv.profile_id)
        .one(&txn)
        .await?
        .ok_or(BillingError::NotFound)?;
    let mut draft = new_draft(
        &profile,
        None,
        (inv.period_start, inv.period_end),
        &t,
        by,
        now,
    );
    draft.kind = Set(InvoiceKind::CreditNote);
    draft.series = Set(super::model::CREDIT_SERIES.to_owned());
    draft.corrects_id = Set(Some(inv.id));
    draft.reason = Set(note.reason.clone());
    // The credit note names the buyer as the invoice did.
    draft.buyer_name = Set(inv.buyer_name.clone());
    draft.buyer_street = Set(inv.buyer_street.clone());
    draft.buyer_postcode = Set(inv.buyer_postcode.clone());
    draft.buyer_city = Set(inv.buyer_city.clone());
    draft.buyer_country = Set(inv.buyer_country.clone());
    draft.buyer_siren = Set(inv.buyer_siren.clone());
    draft.buyer_vat = Set(inv.buyer_vat.clone());
    draft.buyer_is_business = Set(inv.buyer_is_business);
    let credit = draft.insert(&txn).await?;
    for (i, (line, cents)) in picked.iter().enumerate() {
        invoice_line::ActiveModel {
            invoice_id: Set(credit.id),
            position: Set(i as i32 + 1),
            kind: Set(line.kind),
            description: Set(line.description.clone()),
            period_start: Set(line.period_start),
            period_end: Set(line.period_end),
            quantity: Set(1),
            unit_cents: Set(*cents),
            net_cents: Set(*cents),
            vat_bp: Set(line.vat_bp),
            exemption: Set(line.exemption.clone()),
            billing_key: Set(None),
            credits_line_id: Set(Some(line.id)),
            reason: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let seller = latest_seller(&txn).await?.ok_or(BillingError::NoSeller)?;
    issue_in(&txn, &credit, &seller, Some(by), now).await?;
    let moved = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::CreditedCents,
            Expr::value(inv.credited_cents + t.incl_cents),
        )
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::CreditedCents.eq(inv.credited_cents))
        .exec(&txn)
        .await?;
    if Cas::from_rows(moved.rows_affected) == Cas::Stale {
        return Err(BillingError::Concurrent);
    }
    txn.commit().await?;
    Ok(credit.id)
}

/// Records a payment from buyer `profile_id`, spread over its issued invoices, in one
/// transaction: each share at most what its invoice still owes (re-read inside the
/// transaction and moved with a compare-and-set, so two payments recorded at once cannot
/// both take the last euro).
pub async fn record_payment(
    db: &DatabaseConnection,
    profile_id: i32,
    p: &super::model::NewPayment,
    by: i32,
    now: DateTime<Utc>,
) -> Result<i32, BillingError> {
    use rules::PaymentRefused as R;
    let txn = begin_write(db).await?;
    let pay = payment::ActiveModel {
        profile_id: Set(profile_id),
        method: Set(p.method),
        received_on: Set(p.received_on),
        amount_cents: Set(p.amount_cents),
        reference: Set(p.reference.clone()),
        recorded_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (invoice_id, cents) in &p.allocations {
        let inv = invoice::Entity::find_by_id(*invoice_id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .filter(|i| {
                i.profile_id == profile_id
                    && i.kind == InvoiceKind::Invoice
                    && i.status == InvoiceStatus::Issued
            })
            .ok_or(BillingError::Payment(R::UnknownInvoice(*invoice_id)))?;
        let due = rules::due(inv.incl_cents, inv.paid_cents, inv.credited_cents);
        rules::check_allocation(inv.id, due, *cents).map_err(BillingError::Payment)?;
        payment_allocation::ActiveModel {
            payment_id: Set(pay.id),
            invoice_id: Set(inv.id),
            amount_cents: Set(*cents),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(conflict_as_concurrent)?;
        let moved = invoice::Entity::update_many()
            .col_expr(
                invoice::Column::PaidCents,
                Expr::value(inv.paid_cents + cents),
            )
            .filter(invoice::Column::Id.eq(inv.id))
            .filter(invoice::Column::PaidCents.eq(inv.paid_cents))
            .exec(&txn)
            .await?;
        if Cas::from_rows(moved.rows_affected) == Cas::Stale {
            return Err(BillingError::Concurrent);
        }
    }
    txn.commit().await?;
    Ok(pay.id)
}
