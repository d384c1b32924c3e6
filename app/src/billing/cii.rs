//! The e-invoice: an issued invoice or credit note as UN/CEFACT Cross Industry Invoice XML
//! (D16B), profile EN 16931, the XML that a Factur-X PDF carries. Written with quick-xml's
//! writer, which escapes text and attributes; the order of the elements is the schema's.
use super::model::{EXEMPTION_BARE_PREMISES, InvoiceDoc, InvoiceKind, LineView, Seller};
use super::rules::RECOVERY_INDEMNITY_CENTS;
use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// The Factur-X profile this XML follows, as its XMP metadata names it.
pub const CONFORMANCE_LEVEL: &str = "EN 16931";
/// The name Factur-X gives the attached XML.
pub const FILE_NAME: &str = "factur-x.xml";

/// Why an invoice has no e-invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiiError {
    /// A draft has no number yet: only issued documents are e-invoices.
    NotIssued,
    /// The invoice names no seller identity (none was ever saved).
    NoSeller,
    Write(String),
}

impl std::fmt::Display for CiiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CiiError::NotIssued => f.write_str("the invoice is not issued"),
            CiiError::NoSeller => f.write_str("the invoice has no seller identity"),
            CiiError::Write(e) => write!(f, "writing the XML: {e}"),
        }
    }
}

/// Cents as a CII amount: 12345 → "123.45", -5 → "-0.05".
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Basis points as a CII percentage: 2000 → "20.00", 550 → "5.50".
pub fn percent(bp: i32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// EN 16931's VAT category of a rate: standard when VAT is charged, exempt otherwise (the hub
/// charges no zero-rated or reverse-charge services).
fn category(vat_bp: i32) -> &'static str {
    if vat_bp > 0 { "S" } else { "E" }
}

/// A line's quantity and net price as the e-invoice states them. A price is never negative
/// (BR-27): a deduction is a negative quantity at a positive price. A prorated line, whose net
/// is not quantity × price in whole cents, is one unit at its net amount.
pub fn quantity_and_price(l: &LineView) -> (i64, i64) {
    if l.quantity.checked_mul(l.unit_cents) == Some(l.net_cents) && l.quantity != 0 {
        if l.unit_cents < 0 {
            (-l.quantity, -l.unit_cents)
        } else {
            (l.quantity, l.unit_cents)
        }
    } else if l.net_cents < 0 {
        (-1, -l.net_cents)
    } else {
        (1, l.net_cents)
    }
}

/// The legal notes French law puts on a business invoice, each with its UNTDID 4451 subject.
pub fn notes(doc: &InvoiceDoc, seller: &Seller) -> Vec<(String, &'static str)> {
    let mut notes = Vec::new();
    if doc.kind == InvoiceKind::CreditNote && !doc.reason.is_empty() {
        notes.push((format!("Motif de l'avoir : {}", doc.reason), "ACB"));
    }
    if doc.kind == InvoiceKind::Invoice {
        notes.push((
            format!(
                "Pénalités de retard : taux annuel de {} %, exigibles dès le lendemain de l'échéance.",
                crate::billing::model::bp_text(seller.penalty_rate_bp)
            ),
            "PMD",
        ));
        if doc.buyer.is_business {
            notes.push((
                format!(
                    "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : {} € (article L441-10 du Code de commerce).",
                    RECOVERY_INDEMNITY_CENTS / 100
                ),
                "PMT",
            ));
        }
        notes.push((format!("Escompte : {}", seller.early_discount), "AAB"));
    }
    if seller.vat_on_debits {
        notes.push((
            "Option pour le paiement de la TVA d'après les débits.".to_owned(),
            "TXD",
        ));
    }
    notes
}

/// The seller's legal form, capital and registry, as BT-33 carries them.
fn legal_information(s: &Seller) -> String {
    let mut out = s.legal_form.clone();
    if let Some(c) = s.share_capital_cents {
        out.push_str(&format!(
            " au capital de {}",
            crate::format::money(c, crate::i18n::Locale::fr)
        ));
    }
    if !s.rcs_city.is_empty() {
        out.push_str(&format!(" · RCS {} {}", s.rcs_city, s.siren));
    }
    out
}

/// A thin layer over quick-xml's writer: open, close and leaf elements.
struct Xml(Writer<Vec<u8>>);

type W = Result<(), std::io::Error>;

impl Xml {
    fn open(&mut self, name: &str) -> W {
        self.0.write_event(Event::Start(BytesStart::new(name)))
    }

    fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) -> W {
        let mut start = BytesStart::new(name);
        for a in attrs {
            start.push_attribute(*a);
        }
        self.0.write_event(Event::Start(start))
    }

    fn close(&mut self, name: &str) -> W {
        self.0.write_event(Event::End(BytesEnd::new(name)))
    }

    fn leaf(&mut self, name: &str, text: &str) -> W {
        self.leaf_with(name, &[], text)
    }

    fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> W {
        self.open_with(name, attrs)?;
        self.0.write_event(Event::Text(BytesText::new(text)))?;
        self.close(name)
    }

    /// A date element: `<name><udt:DateTimeString format="102">20261201</…></name>`.
    fn date(&mut self, name: &str, prefix: &str, d: NaiveDate) -> W {
        self.open(name)?;
        self.leaf_with(
            &format!("{prefix}:DateTimeString"),
            &[("format", "102")],
            &day(d),
        )?;
        self.close(name)
    }

    fn period(&mut self, from: NaiveDate, until: NaiveDate) -> W {
        self.open("ram:BillingSpecifiedPeriod")?;
        self.date("ram:StartDateTime", "udt", from)?;
        self.date("ram:EndDateTime", "udt", until)?;
        self.close("ram:BillingSpecifiedPeriod")
    }

    fn address(&mut self, a: &super::model::Address) -> W {
        self.open("ram:PostalTradeAddress")?;
        self.leaf("ram:PostcodeCode", &a.postcode)?;
        self.leaf("ram:LineOne", &a.street)?;
        self.leaf("ram:CityName", &a.city)?;
        let country = if a.country.is_empty() {
            "FR"
        } else {
            &a.country
        };
        self.leaf("ram:CountryID", country)?;
        self.close("ram:PostalTradeAddress")
    }
}

/// The CII XML of an issued invoice or credit note.
pub fn xml(doc: &InvoiceDoc) -> Result<Vec<u8>, CiiError> {
    let (Some(number), Some(issued)) = (doc.number.as_deref(), doc.issue_date) else {
        return Err(CiiError::NotIssued);
    };
    let seller = doc.seller.as_ref().ok_or(CiiError::NoSeller)?;
    let mut x = Xml(Writer::new_with_indent(Vec::new(), b' ', 1));
    write(&mut x, doc, number, issued, seller).map_err(|e| CiiError::Write(e.to_string()))?;
    Ok(x.0.into_inner())
}

fn write(x: &mut Xml, doc: &InvoiceDoc, number: &str, issued: NaiveDate, s: &Seller) -> W {
    x.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.open_with(
        "rsm:CrossIndustryInvoice",
        &[
            (
                "xmlns:rsm",
                "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
            ),
            (
                "xmlns:qdt",
                "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
            ),
            (
                "xmlns:ram",
                "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
            ),
            (
                "xmlns:udt",
                "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
            ),
        ],
    )?;
    x.open("rsm:ExchangedDocumentContext")?;
    x.open("ram:GuidelineSpecifiedDocumentContextParameter")?;
    x.leaf("ram:ID", "urn:cen.eu:en16931:2017")?;
    x.close("ram:GuidelineSpecifiedDocumentContextParameter")?;
    x.close("rsm:ExchangedDocumentContext")?;

    x.open("rsm:ExchangedDocument")?;
    x.leaf("ram:ID", number)?;
    // UNTDID 1001: 380 commercial invoice, 381 credit note.
    x.leaf(
        "ram:TypeCode",
        match doc.kind {
            InvoiceKind::Invoice => "380",
            InvoiceKind::CreditNote => "381",
        },
    )?;
    x.date("ram:IssueDateTime", "udt", issued)?;
    for (content, subject) in notes(doc, s) {
        x.open("ram:IncludedNote")?;
        x.leaf("ram:Content", &content)?;
        x.leaf("ram:SubjectCode", subject)?;
        x.close("ram:IncludedNote")?;
    }
    x.close("rsm:ExchangedDocument")?;

    x.open("rsm:SupplyChainTradeTransaction")?;
    for (i, l) in doc.lines.iter().enumerate() {
        line(x, i + 1, l)?;
    }

    x.open("ram:ApplicableHeaderTradeAgreement")?;
    x.open("ram:SellerTradeParty")?;
    x.leaf("ram:Name", &s.name)?;
    x.leaf("ram:Description", &legal_information(s))?;
    x.open("ram:SpecifiedLegalOrganization")?;
    // ISO 6523 ICD 0002: the French SIRENE register.
    x.leaf_with("ram:ID", &[("schemeID", "0002")], &s.siren)?;
    x.close("ram:SpecifiedLegalOrganization")?;
    x.address(&s.address)?;
    x.open("ram:SpecifiedTaxRegistration")?;
    x.leaf_with("ram:ID", &[("schemeID", "VA")], &s.vat_number)?;
    x.close("ram:SpecifiedTaxRegistration")?;
    x.close("ram:SellerTradeParty")?;
    x.open("ram:BuyerTradeParty")?;
    x.leaf("ram:Name", &doc.buyer.name)?;
    if let Some(siren) = &doc.buyer.siren {
        x.open("ram:SpecifiedLegalOrganization")?;
        x.leaf_with("ram:ID", &[("schemeID", "0002")], siren)?;
        x.close("ram:SpecifiedLegalOrganization")?;
    }
    x.address(&doc.buyer.address)?;
    if !doc.buyer.email.is_empty() {
        x.open("ram:URIUniversalCommunication")?;
        x.leaf_with("ram:URIID", &[("schemeID", "EM")], &doc.buyer.email)?;
        x.close("ram:URIUniversalCommunication")?;
    }
    if let Some(vat) = &doc.buyer.vat_number {
        x.open("ram:SpecifiedTaxRegistration")?;
        x.leaf_with("ram:ID", &[("schemeID", "VA")], vat)?;
        x.close("ram:SpecifiedTaxRegistration")?;
    }
    x.close("ram:BuyerTradeParty")?;
    x.close("ram:ApplicableHeaderTradeAgreement")?;

    x.open("ram:ApplicableHeaderTradeDelivery")?;
    if let Some(place) = &doc.delivery_address {
        // A one-line address (an event's venue): the whole of it on the first line.
        x.open("ram:ShipToTradeParty")?;
        x.open("ram:PostalTradeAddress")?;
        x.leaf("ram:LineOne", place)?;
        x.leaf("ram:CountryID", "FR")?;
        x.close("ram:PostalTradeAddress")?;
        x.close("ram:ShipToTradeParty")?;
    }
    x.close("ram:ApplicableHeaderTradeDelivery")?;

    x.open("ram:ApplicableHeaderTradeSettlement")?;
    x.leaf("ram:PaymentReference", number)?;
    x.leaf("ram:InvoiceCurrencyCode", "EUR")?;
    x.open("ram:SpecifiedTradeSettlementPaymentMeans")?;
    // UNTDID 4461: 58, SEPA credit transfer.
    x.leaf("ram:TypeCode", "58")?;
    x.open("ram:PayeePartyCreditorFinancialAccount")?;
    x.leaf("ram:IBANID", &s.iban)?;
    x.close("ram:PayeePartyCreditorFinancialAccount")?;
    x.open("ram:PayeeSpecifiedCreditorFinancialInstitution")?;
    x.leaf("ram:BICID", &s.bic)?;
    x.close("ram:PayeeSpecifiedCreditorFinancialInstitution")?;
    x.close("ram:SpecifiedTradeSettlementPaymentMeans")?;
    for v in &doc.vat {
        x.open("ram:ApplicableTradeTax")?;
        x.leaf("ram:CalculatedAmount", &amount(v.vat_cents))?;
        x.leaf("ram:TypeCode", "VAT")?;
        if v.vat_bp == 0 {
            let reason = doc
                .lines
                .iter()
                .filter(|l| l.vat_bp == 0)
                .find_map(|l| l.exemption.clone())
                .unwrap_or_else(|| EXEMPTION_BARE_PREMISES.to_owned());
            x.leaf("ram:ExemptionReason", &reason)?;
        }
        x.leaf("ram:BasisAmount", &amount(v.base_cents))?;
        x.leaf("ram:CategoryCode", category(v.vat_bp))?;
        // UNTDID 2475: VAT falls due on the invoice date (debits) or on payment (services).
        if v.vat_bp > 0 {
            x.leaf(
                "ram:DueDateTypeCode",
                if s.vat_on_debits { "5" } else { "72" },
            )?;
        }
        x.leaf("ram:RateApplicablePercent", &percent(v.vat_bp))?;
        x.close("ram:ApplicableTradeTax")?;
    }
    x.period(doc.period.0, doc.period.1)?;
    // A positive amount due needs terms or a due date (BR-CO-25), a credit note's too.
    x.open("ram:SpecifiedTradePaymentTerms")?;
    let terms = match (&doc.kind, &doc.corrects) {
        (InvoiceKind::CreditNote, Some((_, corrected, _))) => format!(
            "Montant porté au crédit du client : déduit de ce qui reste dû sur la facture {corrected}, ou remboursé par virement."
        ),
        _ => format!(
            "Paiement à {} jours par virement. Escompte : {}",
            s.payment_days, s.early_discount
        ),
    };
    x.leaf("ram:Description", &terms)?;
    if doc.kind == InvoiceKind::Invoice
        && let Some(due) = doc.due_date
    {
        x.date("ram:DueDateDateTime", "udt", due)?;
    }
    x.close("ram:SpecifiedTradePaymentTerms")?;
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")?;
    let lines_total: i64 = doc.lines.iter().map(|l| l.net_cents).sum();
    x.leaf("ram:LineTotalAmount", &amount(lines_total))?;
    x.leaf("ram:TaxBasisTotalAmount", &amount(doc.excl_cents))?;
    x.leaf_with(
        "ram:TaxTotalAmount",
        &[("currencyID", "EUR")],
        &amount(doc.vat_cents),
    )?;
    x.leaf("ram:GrandTotalAmount", &amount(doc.incl_cents))?;
    // The document as issued: what was paid later is on the statement of account, not here.
    x.leaf("ram:DuePayableAmount", &amount(doc.incl_cents))?;
    x.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation")?;
    if let Some((_, corrected, on)) = &doc.corrects {
        x.open("ram:InvoiceReferencedDocument")?;
        x.leaf("ram:IssuerAssignedID", corrected)?;
        x.date("ram:FormattedIssueDateTime", "qdt", *on)?;
        x.close("ram:InvoiceReferencedDocument")?;
    }
    x.close("ram:ApplicableHeaderTradeSettlement")?;
    x.close("rsm:SupplyChainTradeTransaction")?;
    x.close("rsm:CrossIndustryInvoice")
}

fn line(x: &mut Xml, n: usize, l: &LineView) -> W {
    let (quantity, price) = quantity_and_price(l);
    x.open("ram:IncludedSupplyChainTradeLineItem")?;
    x.open("ram:AssociatedDocumentLineDocument")?;
    x.leaf("ram:LineID", &n.to_string())?;
    if let Some(reason) = &l.reason {
        x.open("ram:IncludedNote")?;
        x.leaf("ram:Content", reason)?;
        x.close("ram:IncludedNote")?;
    }
    x.close("ram:AssociatedDocumentLineDocument")?;
    x.open("ram:SpecifiedTradeProduct")?;
    x.leaf("ram:Name", &l.description)?;
    x.close("ram:SpecifiedTradeProduct")?;
    x.open("ram:SpecifiedLineTradeAgreement")?;
    x.open("ram:NetPriceProductTradePrice")?;
    x.leaf("ram:ChargeAmount", &amount(price))?;
    x.close("ram:NetPriceProductTradePrice")?;
    x.close("ram:SpecifiedLineTradeAgreement")?;
    x.open("ram:SpecifiedLineTradeDelivery")?;
    // UN/ECE rec. 20: C62, one (a unit of service).
    x.leaf_with(
        "ram:BilledQuantity",
        &[("unitCode", "C62")],
        &quantity.to_string(),
    )?;
    x.close("ram:SpecifiedLineTradeDelivery")?;
    x.open("ram:SpecifiedLineTradeSettlement")?;
    x.open("ram:ApplicableTradeTax")?;
    x.leaf("ram:TypeCode", "VAT")?;
    x.leaf("ram:CategoryCode", category(l.vat_bp))?;
    x.leaf("ram:RateApplicablePercent", &percent(l.vat_bp))?;
    x.close("ram:ApplicableTradeTax")?;
    if let Some((from, until)) = l.period {
        x.period(from, until)?;
    }
    x.open("ram:SpecifiedTradeSettlementLineMonetarySummation")?;
    x.leaf("ram:LineTotalAmount", &amount(l.net_cents))?;
    x.close("ram:SpecifiedTradeSettlementLineMonetarySummation")?;
    x.close("ram:SpecifiedLineTradeSettlement")?;
    x.close("ram:IncludedSupplyChainTradeLineItem")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::billing::model::{Address, BuyerView, InvoiceStatus, LineKind, Nature, VatLine};

    fn seller() -> Seller {
        Seller {
            name: "SCIC Pôle & Co <Nantes>".into(),
            legal_form: "SCIC SAS".into(),
            share_capital_cents: Some(1_000_000),
            address: Address {
                street: "8 rue Saint-Domingue".into(),
                postcode: "44200".into(),
                city: "Nantes".into(),
                country: "FR".into(),
            },
            siren: "123456782".into(),
            siret: "12345678200018".into(),
            rcs_city: "Nantes".into(),
            vat_number: "FR32123456782".into(),
            iban: "FR7630006000011234567890189".into(),
            bic: "AGRIFRPP".into(),
            penalty_rate_bp: 1_215,
            payment_days: 30,
            vat_on_debits: false,
            early_discount: "Pas d'escompte pour paiement anticipé.".into(),
        }
    }

    fn line(id: i32, q: i64, unit: i64, net: i64, vat_bp: i32) -> LineView {
        LineView {
            id,
            kind: LineKind::Lease,
            description: format!("Ligne {id}"),
            period: None,
            quantity: q,
            unit_cents: unit,
            net_cents: net,
            vat_bp,
            exemption: None,
            reason: None,
            credited_cents: 0,
        }
    }

    /// An issued invoice to a business: a month's office and a deduction, at 20 %.
    pub(crate) fn doc() -> InvoiceDoc {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        InvoiceDoc {
            id: 1,
            kind: InvoiceKind::Invoice,
            status: InvoiceStatus::Issued,
            number: Some("FA-2026-000001".into()),
            issue_date: Some(d),
            period: (d, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            due_date: Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            seller: Some(seller()),
            buyer: BuyerView {
                name: "Asso \"Vélo\" & Cie".into(),
                address: seller().address,
                siren: Some("987654321".into()),
                vat_number: None,
                email: "compta@velo.example".into(),
                is_business: true,
            },
            delivery_address: None,
            nature: Nature::Services,
            lines: vec![
                line(1, 1, 40_000, 40_000, 2_000),
                line(2, 1, -5_000, -5_000, 2_000),
            ],
            vat: vec![VatLine {
                vat_bp: 2_000,
                base_cents: 35_000,
                vat_cents: 7_000,
            }],
            excl_cents: 35_000,
            vat_cents: 7_000,
            incl_cents: 42_000,
            paid_cents: 0,
            credited_cents: 0,
            due_cents: 42_000,
            corrects: None,
            reason: String::new(),
            credit_notes: vec![],
            payments: vec![],
            run_id: None,
            organisation_id: None,
        }
    }

    #[test]
    fn amounts_and_rates_are_written_as_cii_decimals() {
        assert_eq!(amount(12_345), "123.45");
        assert_eq!(amount(-5), "-0.05");
        assert_eq!(amount(0), "0.00");
        assert_eq!(percent(2_000), "20.00");
        assert_eq!(percent(550), "5.50");
    }

    #[test]
    fn a_deduction_is_a_negative_quantity_at_a_positive_price() {
        assert_eq!(
            quantity_and_price(&line(1, 1, -5_000, -5_000, 2_000)),
            (-1, 5_000)
        );
        assert_eq!(
            quantity_and_price(&line(1, 3, 1_000, 3_000, 2_000)),
            (3, 1_000)
        );
        // Prorated: 12 days of a month are not a whole number of unit prices.
        assert_eq!(
            quantity_and_price(&line(1, 1, 40_000, 15_484, 2_000)),
            (1, 15_484)
        );
    }

    #[test]
    fn the_xml_carries_the_mentions_escaped() {
        let xml = String::from_utf8(xml(&doc()).unwrap()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<ram:ID>FA-2026-000001</ram:ID>"));
        assert!(xml.contains("<ram:TypeCode>380</ram:TypeCode>"));
        assert!(xml.contains("SCIC Pôle &amp; Co &lt;Nantes&gt;"));
        assert!(xml.contains("<ram:ID schemeID=\"0002\">987654321</ram:ID>"));
        assert!(xml.contains("<ram:BilledQuantity unitCode=\"C62\">-1</ram:BilledQuantity>"));
        assert!(xml.contains("<ram:GrandTotalAmount>420.00</ram:GrandTotalAmount>"));
        assert!(xml.contains("<ram:SubjectCode>PMT</ram:SubjectCode>"));
        assert!(xml.contains("<ram:DueDateTypeCode>72</ram:DueDateTypeCode>"));
    }

    #[test]
    fn a_credit_note_references_its_invoice_and_a_draft_has_no_xml() {
        let mut d = doc();
        d.kind = InvoiceKind::CreditNote;
        d.number = Some("AV-2026-000001".into());
        d.corrects = Some((9, "FA-2026-000009".into(), d.period.0));
        d.reason = "Geste commercial".into();
        let xml = String::from_utf8(xml(&d).unwrap()).unwrap();
        assert!(xml.contains("<ram:TypeCode>381</ram:TypeCode>"));
        assert!(xml.contains("<ram:IssuerAssignedID>FA-2026-000009</ram:IssuerAssignedID>"));
        assert!(!xml.contains("PMT"));
        d.number = None;
        assert_eq!(super::xml(&d), Err(CiiError::NotIssued));
    }
}
