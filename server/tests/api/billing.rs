//! Invoicing's guarantees that live in the database, written straight to it as any code
//! could: an issued invoice cannot change or go, a charge is billed once, a number is given
//! once, and nothing is paid or credited beyond an invoice's worth. On both backends.
use crate::helpers::*;
use chrono::{NaiveDate, Utc};
use coopole_app::billing::model::{InvoiceKind, InvoiceStatus, LineKind, Nature};
use coopole_app::entities::{
    billing_profile, invoice, invoice_line, organisation, seller_identity,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

struct Fixture {
    app: TestApp,
    manager: i32,
    seller: i32,
    profile: i32,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    app.load_demo().await;
    let manager = app.user("gestion@coopole.example").await.id;
    let org = organisation::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    let seller = seller_identity::ActiveModel {
        version: Set(1),
        name: Set("Pôle de coopération".into()),
        legal_form: Set("Association loi 1901".into()),
        share_capital_cents: Set(None),
        street: Set("8 rue Saint-Domingue".into()),
        postcode: Set("44200".into()),
        city: Set("Nantes".into()),
        country: Set("FR".into()),
        siren: Set("404833048".into()),
        siret: Set("40483304800022".into()),
        rcs_city: Set(String::new()),
        vat_number: Set("FR83404833048".into()),
        iban: Set("FR7630006000011234567890189".into()),
        bic: Set("AGRIFRPP847".into()),
        penalty_rate_bp: Set(1_215),
        payment_days: Set(30),
        vat_on_debits: Set(false),
        early_discount: Set("Pas d'escompte pour paiement anticipé".into()),
        created_by: Set(manager),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    let profile = billing_profile::ActiveModel {
        organisation_id: Set(Some(org.id)),
        user_id: Set(None),
        legal_name: Set(org.name.clone()),
        street: Set("2 rue de la Tour d'Auvergne".into()),
        postcode: Set("44200".into()),
        city: Set("Nantes".into()),
        country: Set("FR".into()),
        siren: Set(None),
        vat_number: Set(None),
        email: Set("compta@example.org".into()),
        is_business: Set(true),
        members_see_invoices: Set(false),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    Fixture {
        app,
        manager,
        seller,
        profile,
    }
}

fn draft(f: &Fixture) -> invoice::ActiveModel {
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    invoice::ActiveModel {
        run_id: Set(None),
        kind: Set(InvoiceKind::Invoice),
        status: Set(InvoiceStatus::Draft),
        series: Set("FA".into()),
        year: Set(None),
        seq: Set(None),
        number: Set(None),
        seller_id: Set(None),
        profile_id: Set(f.profile),
        organisation_id: Set(None),
        user_id: Set(None),
        buyer_name: Set("Acheteur".into()),
        buyer_street: Set("1 rue".into()),
        buyer_postcode: Set("44200".into()),
        buyer_city: Set("Nantes".into()),
        buyer_country: Set("FR".into()),
        buyer_siren: Set(None),
        buyer_vat: Set(None),
        buyer_email: Set("a@example.org".into()),
        buyer_is_business: Set(true),
        delivery_address: Set(None),
        nature: Set(Nature::Services),
        period_start: Set(day),
        period_end: Set(day),
        issue_date: Set(None),
        due_date: Set(None),
        excl_cents: Set(10_000),
        vat_cents: Set(2_000),
        incl_cents: Set(12_000),
        credited_cents: Set(0),
        paid_cents: Set(0),
        corrects_id: Set(None),
        reason: Set(String::new()),
        created_by: Set(f.manager),
        created_at: Set(Utc::now()),
        issued_by: Set(None),
        issued_at: Set(None),
        ..Default::default()
    }
}

fn line(invoice_id: i32, key: Option<&str>) -> invoice_line::ActiveModel {
    invoice_line::ActiveModel {
        invoice_id: Set(invoice_id),
        position: Set(1),
        kind: Set(LineKind::Lease),
        description: Set("Bureau 1.01, décembre 2026".into()),
        period_start: Set(None),
        period_end: Set(None),
        quantity: Set(1),
        unit_cents: Set(10_000),
        net_cents: Set(10_000),
        vat_bp: Set(2000),
        exemption: Set(None),
        billing_key: Set(key.map(str::to_owned)),
        credits_line_id: Set(None),
        reason: Set(None),
        ..Default::default()
    }
}

/// Issues invoice `id` with number `seq` of 2026, straight in the database.
async fn issue(f: &Fixture, id: i32, seq: i32) -> Result<u64, sea_orm::DbErr> {
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Issued))
        .col_expr(invoice::Column::Year, Expr::value(2026))
        .col_expr(invoice::Column::Seq, Expr::value(seq))
        .col_expr(
            invoice::Column::Number,
            Expr::value(format!("FA-2026-{seq:06}")),
        )
        .col_expr(invoice::Column::SellerId, Expr::value(f.seller))
        .col_expr(invoice::Column::IssueDate, Expr::value(day))
        .col_expr(invoice::Column::DueDate, Expr::value(day))
        .filter(invoice::Column::Id.eq(id))
        .exec(&f.app.db)
        .await
        .map(|r| r.rows_affected)
}

#[tokio::test]
async fn an_issued_invoice_cannot_be_changed_or_deleted_only_paid_and_credited() {
    let f = fixture().await;
    let db = &f.app.db;
    let id = draft(&f).insert(db).await.unwrap().id;
    line(id, Some("lease:1:1:2026-12-01"))
        .insert(db)
        .await
        .unwrap();
    // A draft may change, and be issued.
    invoice::Entity::update_many()
        .col_expr(invoice::Column::BuyerName, Expr::value("Acheteur corrigé"))
        .filter(invoice::Column::Id.eq(id))
        .exec(db)
        .await
        .expect("a draft changes");
    assert_eq!(issue(&f, id, 1).await.unwrap(), 1);

    // Issued: its amounts, buyer and number are frozen, and it cannot be deleted.
    for (column, value) in [
        (invoice::Column::InclCents, Expr::value(1_i64)),
        (invoice::Column::BuyerName, Expr::value("Autre")),
        (invoice::Column::Number, Expr::value("FA-2026-000099")),
        (invoice::Column::Status, Expr::value(InvoiceStatus::Draft)),
    ] {
        let err = invoice::Entity::update_many()
            .col_expr(column, value)
            .filter(invoice::Column::Id.eq(id))
            .exec(db)
            .await
            .expect_err("an issued invoice is frozen");
        assert!(err.to_string().contains("invoices_frozen"), "{err}");
    }
    let err = invoice::Entity::delete_by_id(id)
        .exec(db)
        .await
        .expect_err("an issued invoice stays");
    assert!(err.to_string().contains("invoices_frozen"), "{err}");
    // Its lines neither change, go, nor grow.
    let err = invoice_line::Entity::update_many()
        .col_expr(
            invoice_line::Column::Description,
            Expr::value("Autre chose"),
        )
        .filter(invoice_line::Column::InvoiceId.eq(id))
        .exec(db)
        .await
        .expect_err("an issued line is frozen");
    assert!(err.to_string().contains("invoices_frozen"), "{err}");
    let err = invoice_line::Entity::delete_many()
        .filter(invoice_line::Column::InvoiceId.eq(id))
        .exec(db)
        .await
        .expect_err("an issued line stays");
    assert!(err.to_string().contains("invoices_frozen"), "{err}");
    let err = line(id, None)
        .insert(db)
        .await
        .expect_err("no line is added");
    assert!(err.to_string().contains("invoices_frozen"), "{err}");

    // What is paid moves, up to what the invoice is worth and no further.
    invoice::Entity::update_many()
        .col_expr(invoice::Column::PaidCents, Expr::value(12_000_i64))
        .filter(invoice::Column::Id.eq(id))
        .exec(db)
        .await
        .expect("a payment is recorded");
    for (column, cents) in [
        (invoice::Column::PaidCents, 12_001_i64),
        (invoice::Column::CreditedCents, 12_001),
        (invoice::Column::PaidCents, -1),
    ] {
        invoice::Entity::update_many()
            .col_expr(column, Expr::value(cents))
            .filter(invoice::Column::Id.eq(id))
            .exec(db)
            .await
            .expect_err("never beyond the invoice's worth");
    }
    let kept = invoice::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (kept.incl_cents, kept.paid_cents, kept.buyer_name.as_str()),
        (12_000, 12_000, "Acheteur corrigé")
    );
}

#[tokio::test]
async fn a_charge_is_billed_once_and_a_number_is_given_once() {
    let f = fixture().await;
    let db = &f.app.db;
    let a = draft(&f).insert(db).await.unwrap().id;
    let b = draft(&f).insert(db).await.unwrap().id;
    line(a, Some("charge:7")).insert(db).await.unwrap();
    let err = line(b, Some("charge:7"))
        .insert(db)
        .await
        .expect_err("a charge on two invoices");
    assert!(coopole_app::db::is_conflict(&err), "{err}");
    // Lines without a key (manual lines) may be many.
    line(a, None).insert(db).await.unwrap();
    line(b, None).insert(db).await.unwrap();

    assert_eq!(issue(&f, a, 1).await.unwrap(), 1);
    let err = issue(&f, b, 1).await.expect_err("number 1 twice");
    assert!(coopole_app::db::is_conflict(&err), "{err}");
    // An issued invoice without its number, date or seller is refused as well.
    let err = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Issued))
        .filter(invoice::Column::Id.eq(b))
        .exec(db)
        .await
        .expect_err("issued without a number");
    assert!(!coopole_app::db::is_conflict(&err), "{err}");
    assert_eq!(issue(&f, b, 2).await.unwrap(), 1);
    // A credit note must say which invoice it corrects.
    let mut credit = draft(&f);
    credit.kind = Set(InvoiceKind::CreditNote);
    credit.series = Set("AV".into());
    credit
        .insert(db)
        .await
        .expect_err("a credit note corrects an invoice");
    let mut credit = draft(&f);
    credit.kind = Set(InvoiceKind::CreditNote);
    credit.series = Set("AV".into());
    credit.corrects_id = Set(Some(a));
    credit.insert(db).await.expect("a credit note of invoice a");
}
