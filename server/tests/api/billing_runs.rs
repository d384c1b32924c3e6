//! Invoicing as managers and buyers use it, on the demo hub: a month's run issued with
//! numbers that follow each other, every line billed once, the permission matrix on each
//! invoice, payments and credit notes within their limits, and two managers issuing at once.
//! On both backends.
use crate::helpers::*;
use chrono::{Datelike, Utc};
use coopole_app::billing::model::{InvoiceKind, InvoiceStatus, LineKind, RunStatus};
use coopole_app::billing::{rules, service as billing};
use coopole_app::bookings::rules::paris_today;
use coopole_app::entities::{
    billing_profile, billing_run, invoice, invoice_line, organisation, payment,
};
use coopole_app::events::service::EventTerms;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;
use std::time::Duration;

/// The demo hub with its activity, whose seed issues this month's run and opens next month's.
async fn demo_hub() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    let report = coopole_server::demo::seed_activity(&app.db, &EventTerms::default(), Utc::now())
        .await
        .unwrap();
    assert_eq!(report.billing_runs, 2, "{report}");
    app
}

async fn runs(app: &TestApp) -> Vec<billing_run::Model> {
    billing_run::Entity::find()
        .order_by_asc(billing_run::Column::PeriodStart)
        .all(&app.db)
        .await
        .unwrap()
}

async fn invoices_of(app: &TestApp, run: i32) -> Vec<invoice::Model> {
    invoice::Entity::find()
        .filter(invoice::Column::RunId.eq(run))
        .order_by_asc(invoice::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// Every issued number of a series this year, in order: they must be 1..=N.
async fn assert_gap_free(app: &TestApp, series: &str) -> usize {
    let year = paris_today(Utc::now()).year();
    let issued = invoice::Entity::find()
        .filter(invoice::Column::Series.eq(series))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Issued))
        .order_by_asc(invoice::Column::Seq)
        .all(&app.db)
        .await
        .unwrap();
    for (i, inv) in issued.iter().enumerate() {
        let seq = i as i32 + 1;
        assert_eq!(inv.seq, Some(seq), "numbers of {series} run without gaps");
        assert_eq!(
            inv.number.as_deref(),
            Some(rules::number(series, year, seq).as_str())
        );
    }
    issued.len()
}

/// The billing keys of every line: each charge, lease month or event payment appears once.
async fn assert_billed_once(app: &TestApp) {
    let keys: Vec<String> = invoice_line::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|l| l.billing_key)
        .collect();
    let distinct: HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "no charge is on two lines");
}

async fn wait_issued(app: &TestApp, run: i32) {
    for _ in 0..150 {
        let r = billing_run::Entity::find_by_id(run)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        if r.status == RunStatus::Issued {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("run {run} was not issued in 30 s");
}

/// Whether the page shows `text`, whichever way its apostrophes are escaped.
async fn org_named(app: &TestApp, name: &str) -> i32 {
    organisation::Entity::find()
        .filter(organisation::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("the demo has {name}"))
        .id
}

/// The invoice of `run` to organisation `org`.
async fn run_invoice_of(app: &TestApp, run: i32, org: i32) -> invoice::Model {
    invoice::Entity::find()
        .filter(invoice::Column::RunId.eq(run))
        .filter(invoice::Column::OrganisationId.eq(org))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo bills both organisations")
}

fn shows(page: &str, text: &str) -> bool {
    ["'", "&#x27;", "&#39;"]
        .iter()
        .any(|q| page.contains(&text.replace('\'', q)))
}

async fn ok(res: reqwest::Response) {
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );
}

#[tokio::test]
async fn the_demo_month_is_issued_whole_with_every_mention_and_numbers_in_sequence() {
    let app = demo_hub().await;
    let all = runs(&app).await;
    let (this, next) = (&all[0], &all[1]);
    assert_eq!(this.status, RunStatus::Issued);
    assert_eq!(next.status, RunStatus::Draft);
    assert_eq!(next.period_start, rules::next_month(this.period_start));

    let issued: Vec<invoice::Model> = invoices_of(&app, this.id)
        .await
        .into_iter()
        .filter(|i| i.status == InvoiceStatus::Issued)
        .collect();
    assert!(
        issued.len() >= 20,
        "a month of leases bills most residents: {}",
        issued.len()
    );
    assert_eq!(assert_gap_free(&app, "FA").await, issued.len());
    assert_billed_once(&app).await;

    let mut kinds = HashSet::new();
    for inv in &issued {
        let lines = invoice_line::Entity::find()
            .filter(invoice_line::Column::InvoiceId.eq(inv.id))
            .all(&app.db)
            .await
            .unwrap();
        assert!(!lines.is_empty(), "{:?} has its lines", inv.number);
        kinds.extend(lines.iter().map(|l| l.kind));
        // EN 16931's totals (BR-CO-10, -13, -15): lines add up to the total excluding VAT,
        // VAT is rounded once per rate, and the total including VAT is their sum.
        let t = rules::totals(lines.iter().map(|l| (l.net_cents, l.vat_bp)));
        assert_eq!(
            (t.excl_cents, t.vat_cents, t.incl_cents),
            (inv.excl_cents, inv.vat_cents, inv.incl_cents),
            "{:?}",
            inv.number
        );
        assert_eq!(inv.incl_cents, inv.excl_cents + inv.vat_cents);
        assert!(
            inv.seller_id.is_some() && inv.issue_date.is_some() && inv.due_date > inv.issue_date
        );
    }
    assert!(kinds.contains(&LineKind::Lease), "{kinds:?}");

    // The document carries every mandatory mention, and so does its page.
    let doc = billing::invoice_doc(&app.db, issued[0].id)
        .await
        .unwrap()
        .unwrap();
    let seller = doc.seller.clone().expect("the seller as issued");
    assert!(!seller.siret.is_empty() && !seller.vat_number.is_empty() && !seller.iban.is_empty());
    assert!(doc.buyer.is_business && !doc.buyer.address.street.is_empty());
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let page = manager
        .get(app.url(&format!("/factures/{}", issued[0].id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for mention in [
        doc.number.clone().unwrap(),
        seller.siret.clone(),
        "40,00".to_owned(),
        "Pénalités de retard".to_owned(),
        "Indemnité forfaitaire".to_owned(),
        doc.buyer.name.clone(),
    ] {
        assert!(shows(&page, &mention), "the invoice page shows {mention}");
    }

    // Next month's preview: lease months are not billed twice, and what waits without a
    // billing identity is flagged.
    let view = billing::run_view(&app.db, next.id, Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert!(!view.invoices.is_empty());
    assert!(
        view.invoices
            .iter()
            .all(|i| i.status == InvoiceStatus::Draft && i.number.is_none())
    );
    let page = manager
        .get(app.url(&format!("/gestion/facturation/{}", next.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shows(&page, &view.invoices[0].buyer_name));

    // A month already billed is refused with a message, and nothing is made.
    let month = this.period_start.format("%Y-%m").to_string();
    let message = assert_error(
        post(&app, &manager, "billing/create-run", &[("month", month)]).await,
        400,
        "validation",
        Some("month"),
    )
    .await;
    assert!(message.contains("déjà"), "{message}");
    assert_eq!(runs(&app).await.len(), 2);
}

#[tokio::test]
async fn each_invoice_is_read_by_managers_and_its_buyer_only() {
    let app = demo_hub().await;
    let this = runs(&app).await[0].clone();
    let (own_org, other_org) = (
        org_named(&app, "La Ressourcerie de l'Île").await,
        org_named(&app, "Vélocité Solidaire").await,
    );
    let invoice_of = |org: i32| run_invoice_of(&app, this.id, org);
    let (own, other) = (invoice_of(own_org).await, invoice_of(other_org).await);
    let members_see = |allowed: bool| {
        let db = app.db.clone();
        async move {
            billing_profile::Entity::update_many()
                .col_expr(
                    billing_profile::Column::MembersSeeInvoices,
                    Expr::value(allowed),
                )
                .filter(billing_profile::Column::OrganisationId.eq(own_org))
                .exec(&db)
                .await
                .unwrap();
        }
    };
    let referent = app
        .client_for(app.user("referent@coopole.example").await.id)
        .await;
    let member = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let neighbour = app
        .client_for(app.user("voisin@coopole.example").await.id)
        .await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let read = |client: reqwest::Client, id: i32| {
        let url = app.url("/api/billing/invoice");
        async move {
            client
                .post(url)
                .form(&[("id", id.to_string())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // The demo records one payment of its own.
    let payments_before = payment::Entity::find().count(&app.db).await.unwrap();
    members_see(false).await;
    assert_eq!(read(client(), own.id).await, 401);
    assert_eq!(read(manager.clone(), own.id).await, 200);
    assert_eq!(read(manager.clone(), other.id).await, 200);
    assert_eq!(read(referent.clone(), own.id).await, 200);
    // Another organisation's invoice does not exist for them, whatever the id typed.
    assert_eq!(read(referent.clone(), other.id).await, 404);
    assert_eq!(read(neighbour.clone(), own.id).await, 404);
    assert_eq!(read(member.clone(), own.id).await, 404);
    members_see(true).await;
    assert_eq!(read(member.clone(), own.id).await, 200);
    assert_eq!(read(member.clone(), other.id).await, 404);
    // Drafts are for managers.
    let draft = invoices_of(&app, runs(&app).await[1].id)
        .await
        .into_iter()
        .find(|i| i.organisation_id == Some(own_org))
        .expect("a draft next month");
    assert_eq!(read(referent.clone(), draft.id).await, 404);
    assert_eq!(read(manager.clone(), draft.id).await, 200);
    // The page says so too, and shows nothing of the other organisation's invoice.
    let page = referent
        .get(app.url(&format!("/factures/{}", other.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains(other.number.as_deref().unwrap()),
        "another organisation's invoice stays hidden"
    );
    // The referent's account lists their invoices and their balance, not the neighbour's.
    let accounts = json(post(&app, &referent, "billing/my-accounts", &[]).await).await;
    let accounts = accounts.as_array().unwrap();
    assert_eq!(accounts.len(), 1);
    let numbers: Vec<&str> = accounts[0]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["number"].as_str())
        .collect();
    assert!(numbers.contains(&own.number.as_deref().unwrap()));
    assert!(!numbers.contains(&other.number.as_deref().unwrap()));
    let own_due = billing::invoice_doc(&app.db, own.id)
        .await
        .unwrap()
        .unwrap()
        .due_cents;
    assert_eq!(accounts[0]["balance_cents"].as_i64(), Some(own_due));
    let neighbours = json(post(&app, &neighbour, "billing/my-accounts", &[]).await).await;
    let neighbours_profile = billing::profile(&app.db, billing::Buyer::Organisation(other_org))
        .await
        .unwrap()
        .unwrap()
        .0;
    let sees_own = neighbours
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["profile_id"] == neighbours_profile);
    let allowed = billing_profile::Entity::find_by_id(neighbours_profile)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .members_see_invoices;
    assert_eq!(
        sees_own, allowed,
        "a member sees the invoices when the referent allows it"
    );

    // Everything that runs billing is for managers: members and referents are told no.
    let id = own.id.to_string();
    let run_id = this.id.to_string();
    for (endpoint, form) in [
        ("billing/runs", vec![]),
        ("billing/seller", vec![]),
        ("billing/create-run", vec![("month", "2027-01".to_owned())]),
        ("billing/run", vec![("id", run_id.clone())]),
        ("billing/issue-run", vec![("run", run_id.clone())]),
        (
            "billing/profile",
            vec![("organisation", own_org.to_string())],
        ),
        (
            "billing/record-payment",
            vec![
                ("invoice", id.clone()),
                ("method", "transfer".into()),
                ("date", paris_today(Utc::now()).to_string()),
                ("amount", "10".into()),
            ],
        ),
        (
            "billing/credit-note",
            vec![
                ("invoice", id.clone()),
                ("credit_line", "all".into()),
                ("credit_reason", "Geste".into()),
            ],
        ),
    ] {
        for who in [&referent, &member] {
            let res = post(&app, who, endpoint, &form).await;
            assert_eq!(res.status(), 403, "{endpoint}");
        }
        assert_eq!(
            post(&app, &client(), endpoint, &form).await.status(),
            401,
            "{endpoint}"
        );
    }
    assert_eq!(
        payment::Entity::find().count(&app.db).await.unwrap(),
        payments_before
    );
}

#[tokio::test]
async fn each_invoice_downloads_as_factur_x_to_its_readers_only() {
    let app = demo_hub().await;
    let all = runs(&app).await;
    let own_org = org_named(&app, "La Ressourcerie de l'Île").await;
    let own = run_invoice_of(&app, all[0].id, own_org).await;
    let other = run_invoice_of(&app, all[0].id, org_named(&app, "Vélocité Solidaire").await).await;
    let draft = run_invoice_of(&app, all[1].id, own_org).await;
    let note = invoice::Entity::find()
        .filter(invoice::Column::Kind.eq(InvoiceKind::CreditNote))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Issued))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo issues a credit note");
    let referent = app
        .client_for(app.user("referent@coopole.example").await.id)
        .await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let get = |client: &reqwest::Client, path: String| {
        let req = client.get(app.url(&path));
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let kind = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (status, kind, res.bytes().await.unwrap().to_vec())
        }
    };
    let pdf = |id: i32| format!("/factures/{id}/facture.pdf");
    let xml = |id: i32| format!("/factures/{id}/factur-x.xml");

    let (status, kind, body) = get(&referent, pdf(own.id)).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(body.starts_with(b"%PDF-"));
    let has = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"factur-x.xml"), "the XML is attached");
    assert!(has(b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
    assert!(has(b"<pdfaid:part>3</pdfaid:part>") || has(b"pdfaid:part=\"3\""));
    let (status, _, body) = get(&referent, xml(own.id)).await;
    assert_eq!(status, 200);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains(own.number.as_deref().unwrap()));
    assert!(body.contains("urn:cen.eu:en16931:2017"));
    // The credit note has its own e-invoice, typed 381, naming the invoice it corrects.
    let (status, _, body) = get(&manager, xml(note.id)).await;
    assert_eq!(status, 200);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("<ram:TypeCode>381</ram:TypeCode>"), "{body}");
    assert_eq!(get(&manager, pdf(note.id)).await.0, 200);

    // Nobody reaches another organisation's files by changing the id; a draft has none.
    for path in [pdf(other.id), xml(other.id), pdf(draft.id), xml(draft.id)] {
        assert_eq!(get(&referent, path.clone()).await.0, 404, "{path}");
    }
    for path in [pdf(own.id), xml(own.id)] {
        assert_eq!(get(&client(), path.clone()).await.0, 401, "{path}");
    }
    assert_eq!(get(&manager, pdf(other.id)).await.0, 200);
    let (status, _, body) = get(&manager, pdf(draft.id)).await;
    assert_eq!(status, 409);
    assert!(String::from_utf8(body).unwrap().contains("brouillon"));
    for path in [
        "/factures/abc/facture.pdf",
        "/factures/99999999/facture.pdf",
        "/factures/%00/factur-x.xml",
    ] {
        assert_eq!(get(&manager, path.to_owned()).await.0, 404, "{path}");
    }
}

#[tokio::test]
async fn payments_and_credit_notes_stay_within_what_an_invoice_owes() {
    let app = demo_hub().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let this = runs(&app).await[0].clone();
    let inv = invoices_of(&app, this.id)
        .await
        .into_iter()
        .find(|i| {
            i.status == InvoiceStatus::Issued
                && i.incl_cents > 10_000
                && i.paid_cents == 0
                && i.credited_cents == 0
        })
        .expect("an invoice above 100 €, neither paid nor credited");
    // The demo pays and credits another invoice: counts start from there.
    let payments_before = payment::Entity::find().count(&app.db).await.unwrap();
    let notes_before = assert_gap_free(&app, "AV").await;
    let id = inv.id.to_string();
    let today = paris_today(Utc::now()).to_string();
    let pay = |amount: &str| {
        vec![
            ("invoice", id.clone()),
            ("method", "transfer".to_owned()),
            ("date", today.clone()),
            ("amount", amount.to_owned()),
            ("reference", "VIR 2026-12".to_owned()),
        ]
    };
    let euros = |cents: i64| format!("{},{:02}", cents / 100, cents % 100);
    // A credit note on `line` ("all": the whole invoice) for `amount` excluding VAT.
    let credit = |line: String, amount: String, reason: &str| {
        let form = vec![
            ("invoice", id.clone()),
            ("credit_line", line),
            ("credit", amount),
            ("credit_reason", reason.to_owned()),
        ];
        let (app, manager) = (&app, &manager);
        async move { post(app, manager, "billing/credit-note", &form).await }
    };

    // Above what is due: refused with the amount due, nothing written.
    let message = assert_error(
        post(
            &app,
            &manager,
            "billing/record-payment",
            &pay(&euros(inv.incl_cents + 1)),
        )
        .await,
        400,
        "validation",
        Some("amount"),
    )
    .await;
    assert!(message.contains("reste dû"), "{message}");
    // Bad amounts, methods and dates: each named, nothing written.
    for (field, form) in [
        ("amount", pay("-5")),
        ("amount", pay("douze")),
        ("method", {
            let mut f = pay("10");
            f[1].1 = "bitcoin".into();
            f
        }),
        ("date", {
            let mut f = pay("10");
            f[2].1 = "2099-01-01".into();
            f
        }),
    ] {
        assert_error(
            post(&app, &manager, "billing/record-payment", &form).await,
            400,
            "validation",
            Some(field),
        )
        .await;
    }
    assert_eq!(
        payment::Entity::find().count(&app.db).await.unwrap(),
        payments_before
    );

    // A partial payment, then the rest: the invoice shows what is paid and due.
    ok(post(&app, &manager, "billing/record-payment", &pay("100")).await).await;
    let doc = billing::invoice_doc(&app.db, inv.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (doc.paid_cents, doc.due_cents),
        (10_000, inv.incl_cents - 10_000)
    );
    assert_eq!(doc.payments.len(), 1);

    // A credit note above what the line has left is refused, and so is one without a reason.
    let line = &doc.lines[0];
    let message = assert_error(
        credit(
            line.id.to_string(),
            euros(line.net_cents + 1),
            "Erreur de surface",
        )
        .await,
        400,
        "validation",
        Some("credit"),
    )
    .await;
    assert!(message.contains("reste"), "{message}");
    assert_error(
        credit("all".into(), String::new(), " ").await,
        400,
        "validation",
        Some("credit_reason"),
    )
    .await;
    assert_eq!(assert_gap_free(&app, "AV").await, notes_before);

    // A partial credit note: its own series, referencing the invoice.
    ok(credit(line.id.to_string(), "10".into(), "Geste commercial").await).await;
    assert_eq!(assert_gap_free(&app, "AV").await, notes_before + 1);
    let note = invoice::Entity::find()
        .filter(invoice::Column::Kind.eq(InvoiceKind::CreditNote))
        .filter(invoice::Column::CorrectsId.eq(inv.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(note.corrects_id, Some(inv.id));
    assert_eq!(note.excl_cents, 1_000);
    let doc = billing::invoice_doc(&app.db, inv.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc.credited_cents, note.incl_cents);
    assert_eq!(doc.due_cents, inv.incl_cents - 10_000 - note.incl_cents);

    // The rest of the invoice credited in whole: beyond what is paid, due drops to zero, and
    // a further payment is then refused.
    ok(credit("all".into(), String::new(), "Bail annulé").await).await;
    assert_eq!(assert_gap_free(&app, "AV").await, notes_before + 2);
    let doc = billing::invoice_doc(&app.db, inv.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((doc.credited_cents, doc.due_cents), (inv.incl_cents, 0));
    assert_error(
        credit("all".into(), String::new(), "Encore").await,
        400,
        "validation",
        None,
    )
    .await;
    assert_error(
        post(&app, &manager, "billing/record-payment", &pay("1")).await,
        400,
        "validation",
        Some("amount"),
    )
    .await;
    assert_eq!(assert_gap_free(&app, "AV").await, notes_before + 2);
    assert_eq!(
        payment::Entity::find().count(&app.db).await.unwrap(),
        payments_before + 1
    );
}

#[tokio::test]
async fn a_buyer_without_an_address_is_flagged_and_a_bad_identity_is_refused() {
    let app = demo_hub().await;
    let manager = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let with_profile: HashSet<i32> = billing_profile::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|p| p.organisation_id)
        .collect();
    let without = organisation::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|o| !with_profile.contains(&o.id))
        .expect("the demo leaves organisations without a billing identity");
    let org = without.id.to_string();
    let form = |street: &str, siren: &str, email: &str| {
        vec![
            ("organisation", org.clone()),
            ("legal_name", without.name.clone()),
            ("street", street.to_owned()),
            ("postcode", "44200".to_owned()),
            ("city", "Nantes".to_owned()),
            ("country", "FR".to_owned()),
            ("siren", siren.to_owned()),
            ("email", email.to_owned()),
        ]
    };
    for (field, f) in [
        ("street", form("", "", "compta@example.org")),
        (
            "siren",
            form("3 rue Arthur III", "123456789", "compta@example.org"),
        ),
        ("email", form("3 rue Arthur III", "", "pas-une-adresse")),
    ] {
        assert_error(
            post(&app, &manager, "billing/save-profile", &f).await,
            400,
            "validation",
            Some(field),
        )
        .await;
    }
    assert!(
        billing::profile(&app.db, billing::Buyer::Organisation(without.id))
            .await
            .unwrap()
            .is_none()
    );
    let mut unknown = form("3 rue Arthur III", "", "compta@example.org");
    unknown[0].1 = "999999".into();
    assert_error(
        post(&app, &manager, "billing/save-profile", &unknown).await,
        404,
        "not_found",
        None,
    )
    .await;
    ok(post(
        &app,
        &manager,
        "billing/save-profile",
        &form("3 rue Arthur III", "", "compta@example.org"),
    )
    .await)
    .await;
    let page = manager
        .get(app.url(&format!("/gestion/structures/{}/facturation", without.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("3 rue Arthur III"));
    assert!(
        billing::profile(&app.db, billing::Buyer::Organisation(without.id))
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn two_managers_issuing_at_once_make_one_sequence_and_bill_each_charge_once() {
    let app = demo_hub().await;
    let before = assert_gap_free(&app, "FA").await;
    let next = runs(&app).await[1].clone();
    let drafts = invoices_of(&app, next.id)
        .await
        .into_iter()
        .filter(|i| i.incl_cents > 0)
        .count();
    assert!(drafts > 0);
    let first = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;
    let second = app
        .client_for(app.user("gestion2@coopole.example").await.id)
        .await;
    let form = [("run", next.id.to_string())];
    let answers = all_at_once(vec![
        first.post(app.url("/api/billing/issue-run")).form(&form),
        second.post(app.url("/api/billing/issue-run")).form(&form),
    ])
    .await;
    let started = answers
        .iter()
        .filter(|(s, _)| *s == 302 || *s == 200)
        .count();
    assert_eq!(started, 1, "{answers:?}");
    assert!(answers.iter().any(|(s, _)| *s == 409), "{answers:?}");
    // Two more issuers race the server's own on the same run: one holds it at a time.
    let (db1, db2) = (app.db.clone(), app.db.clone());
    let (a, b) = tokio::join!(
        billing::issue_pending_runs(&db1, "test-a"),
        billing::issue_pending_runs(&db2, "test-b"),
    );
    a.unwrap();
    b.unwrap();
    wait_issued(&app, next.id).await;
    assert_eq!(assert_gap_free(&app, "FA").await, before + drafts);
    assert_billed_once(&app).await;
    // Issuing again is refused: the run no longer changes.
    assert_error(
        post(
            &app,
            &first,
            "billing/issue-run",
            &[("run", next.id.to_string())],
        )
        .await,
        409,
        "conflict",
        None,
    )
    .await;
}
