//! Factur-X: an issued invoice or credit note as a PDF/A-3b that reads well on paper, in
//! French, with its CII XML attached as `factur-x.xml` and the XMP metadata Factur-X asks for.
//! krilla writes the PDF/A; it cannot add an XMP schema of one's own, so lopdf opens the file
//! once more and quick-xml adds the `fx:` properties and their PDF/A extension schema.
use super::cii::{self, CONFORMANCE_LEVEL, FILE_NAME};
use super::model::{InvoiceDoc, InvoiceKind, Nature};
use super::rules::RECOVERY_INDEMNITY_CENTS;
use crate::format;
use crate::i18n::{Locale, td_string};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

const FX_NS: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";
const PDFA_SCHEMA_NS: &str = "http://www.aiim.org/pdfa/ns/schema#";
const PDFA_PROPERTY_NS: &str = "http://www.aiim.org/pdfa/ns/property#";
const PDFA_EXTENSION_NS: &str = "http://www.aiim.org/pdfa/ns/extension/";

/// The document's lines for the PDF, in French (the language of the invoice as a legal
/// document), the same mentions as the invoice page.
pub fn lines(d: &InvoiceDoc) -> Vec<(u8, String)> {
    let l = Locale::fr;
    let money = |c: i64| format::money(c, l);
    let kind = match d.kind {
        InvoiceKind::Invoice => td_string!(l, billing.invoice.invoice),
        InvoiceKind::CreditNote => td_string!(l, billing.invoice.credit_note),
    };
    let mut out: Vec<(u8, String)> = Vec::new();
    out.push((
        1,
        format!("{kind} {}", d.number.clone().unwrap_or_default()),
    ));
    if let Some(day) = d.issue_date {
        out.push((
            0,
            td_string!(l, billing.invoice.issued_on, date = format::date(day, l)).to_string(),
        ));
    }
    out.push((
        0,
        td_string!(
            l,
            billing.invoice.period,
            from = format::date(d.period.0, l),
            until = format::date(d.period.1, l)
        )
        .to_string(),
    ));
    let nature = match d.nature {
        Nature::Services => td_string!(l, billing.nature.services),
        Nature::Goods => td_string!(l, billing.nature.goods),
        Nature::Both => td_string!(l, billing.nature.both),
    };
    out.push((
        0,
        td_string!(l, billing.invoice.nature, nature = nature).to_string(),
    ));
    if let Some((_, number, day)) = &d.corrects {
        out.push((
            0,
            format!(
                "{} {number} ({})",
                td_string!(l, billing.invoice.corrects),
                format::date(*day, l)
            ),
        ));
    }
    if !d.reason.is_empty() {
        out.push((
            0,
            td_string!(l, billing.invoice.reason, reason = d.reason.clone()).to_string(),
        ));
    }
    if let Some(s) = &d.seller {
        out.push((2, td_string!(l, billing.invoice.seller).to_string()));
        out.push((3, s.name.clone()));
        let mut legal = s.legal_form.clone();
        if let Some(c) = s.share_capital_cents {
            legal.push_str(&format!(
                ", {} {}",
                td_string!(l, billing.invoice.capital),
                money(c)
            ));
        }
        out.push((0, legal));
        out.push((0, s.address.one_line()));
        let mut ids = format!("SIRET {}", s.siret);
        if !s.rcs_city.is_empty() {
            ids.push_str(&format!(" · RCS {}", s.rcs_city));
        }
        out.push((0, ids));
        out.push((
            0,
            td_string!(l, billing.invoice.vat_number, number = s.vat_number.clone()).to_string(),
        ));
    }
    out.push((2, td_string!(l, billing.invoice.buyer).to_string()));
    out.push((3, d.buyer.name.clone()));
    out.push((0, d.buyer.address.one_line()));
    if let Some(siren) = &d.buyer.siren {
        out.push((0, format!("SIREN {siren}")));
    }
    if let Some(vat) = &d.buyer.vat_number {
        out.push((
            0,
            td_string!(l, billing.invoice.vat_number, number = vat.clone()).to_string(),
        ));
    }
    if let Some(a) = &d.delivery_address {
        out.push((
            0,
            td_string!(l, billing.invoice.delivery, address = a.clone()).to_string(),
        ));
    }
    out.push((2, td_string!(l, billing.invoice.lines).to_string()));
    for line in &d.lines {
        out.push((3, line.description.clone()));
        out.push((
            0,
            format!(
                "{} × {} HT · TVA {} · {} HT",
                line.quantity,
                money(line.unit_cents),
                format::percent_bp(line.vat_bp, l),
                money(line.net_cents)
            ),
        ));
        if let Some(e) = &line.exemption {
            out.push((0, e.clone()));
        }
        if let Some(r) = &line.reason {
            out.push((
                0,
                td_string!(l, billing.invoice.reason, reason = r.clone()).to_string(),
            ));
        }
    }
    out.push((2, td_string!(l, billing.invoice.vat_totals).to_string()));
    for v in &d.vat {
        out.push((
            0,
            format!(
                "TVA {} : {} sur une base de {}",
                format::percent_bp(v.vat_bp, l),
                money(v.vat_cents),
                money(v.base_cents)
            ),
        ));
    }
    out.push((
        0,
        format!(
            "{} : {}",
            td_string!(l, billing.fields.excl),
            money(d.excl_cents)
        ),
    ));
    out.push((
        0,
        format!(
            "{} : {}",
            td_string!(l, billing.invoice.vat),
            money(d.vat_cents)
        ),
    ));
    out.push((
        3,
        format!(
            "{} : {}",
            td_string!(l, billing.fields.incl),
            money(d.incl_cents)
        ),
    ));
    if d.kind == InvoiceKind::Invoice {
        out.push((2, td_string!(l, billing.invoice.terms).to_string()));
        if let Some(day) = d.due_date {
            out.push((
                3,
                td_string!(l, billing.invoice.due_on, date = format::date(day, l)).to_string(),
            ));
        }
        if let Some(s) = &d.seller {
            out.push((
                0,
                td_string!(
                    l,
                    billing.invoice.penalties,
                    rate = format::percent_bp(s.penalty_rate_bp, l)
                )
                .to_string(),
            ));
            if d.buyer.is_business {
                out.push((
                    0,
                    td_string!(
                        l,
                        billing.invoice.indemnity,
                        amount = money(RECOVERY_INDEMNITY_CENTS)
                    )
                    .to_string(),
                ));
            }
            out.push((0, s.early_discount.clone()));
            if s.vat_on_debits {
                out.push((0, td_string!(l, billing.invoice.vat_on_debits).to_string()));
            }
            out.push((
                0,
                td_string!(
                    l,
                    billing.invoice.pay_to,
                    iban = s.iban.clone(),
                    bic = s.bic.clone()
                )
                .to_string(),
            ));
        }
    }
    out
}

/// The Factur-X PDF of an issued invoice or credit note.
pub fn pdf(d: &InvoiceDoc) -> Result<Vec<u8>, String> {
    let xml = cii::xml(d).map_err(|e| e.to_string())?;
    let (Some(number), Some(issued)) = (d.number.clone(), d.issue_date) else {
        return Err("the invoice is not issued".into());
    };
    let seller = d
        .seller
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let pdf = crate::pdf::render_archival(
        &number,
        "fr",
        &lines(d),
        &format!("{seller} · {number}"),
        issued,
        crate::pdf::Attachment {
            name: FILE_NAME.to_owned(),
            mime: "text/xml",
            description: "Factur-X invoice".to_owned(),
            data: xml,
        },
    )?;
    let kind = match d.kind {
        InvoiceKind::Invoice => "INVOICE",
        InvoiceKind::CreditNote => "CREDIT_NOTE",
    };
    with_facturx_metadata(&pdf, kind)
}

/// Adds the Factur-X XMP properties to a PDF/A's metadata stream.
fn with_facturx_metadata(pdf: &[u8], document_type: &str) -> Result<Vec<u8>, String> {
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| format!("reading the PDF: {e}"))?;
    let meta = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(lopdf::Object::as_reference)
        .map_err(|e| format!("the PDF has no metadata: {e}"))?;
    let stream = doc
        .get_object_mut(meta)
        .and_then(lopdf::Object::as_stream_mut)
        .map_err(|e| format!("the metadata is not a stream: {e}"))?;
    let xmp = String::from_utf8(stream.content.clone()).map_err(|e| e.to_string())?;
    let extended = add_fx(&xmp, document_type).map_err(|e| format!("the XMP: {e}"))?;
    stream.set_content(extended);
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    doc.save_to(&mut out)
        .map_err(|e| format!("writing the PDF: {e}"))?;
    Ok(out)
}

type W = Result<(), std::io::Error>;

fn leaf(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> W {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// The `fx:` schema's description, one `rdf:li` of `pdfaExtension:schemas` (PDF/A requires
/// every non-standard XMP property to be declared this way).
fn fx_schema(w: &mut Writer<Vec<u8>>) -> W {
    let mut li = BytesStart::new("rdf:li");
    li.push_attribute(("rdf:parseType", "Resource"));
    li.push_attribute(("xmlns:pdfaSchema", PDFA_SCHEMA_NS));
    li.push_attribute(("xmlns:pdfaProperty", PDFA_PROPERTY_NS));
    w.write_event(Event::Start(li))?;
    leaf(w, "pdfaSchema:schema", "Factur-X PDFA Extension Schema")?;
    leaf(w, "pdfaSchema:namespaceURI", FX_NS)?;
    leaf(w, "pdfaSchema:prefix", "fx")?;
    w.write_event(Event::Start(BytesStart::new("pdfaSchema:property")))?;
    w.write_event(Event::Start(BytesStart::new("rdf:Seq")))?;
    for (name, description) in [
        ("DocumentFileName", "The name of the embedded XML document"),
        (
            "DocumentType",
            "The type of the hybrid document in capital letters",
        ),
        (
            "Version",
            "The actual version of the standard applying to the embedded XML document",
        ),
        (
            "ConformanceLevel",
            "The conformance level of the embedded XML document",
        ),
    ] {
        let mut p = BytesStart::new("rdf:li");
        p.push_attribute(("rdf:parseType", "Resource"));
        w.write_event(Event::Start(p))?;
        leaf(w, "pdfaProperty:name", name)?;
        leaf(w, "pdfaProperty:valueType", "Text")?;
        leaf(w, "pdfaProperty:category", "external")?;
        leaf(w, "pdfaProperty:description", description)?;
        w.write_event(Event::End(BytesEnd::new("rdf:li")))?;
    }
    w.write_event(Event::End(BytesEnd::new("rdf:Seq")))?;
    w.write_event(Event::End(BytesEnd::new("pdfaSchema:property")))?;
    w.write_event(Event::End(BytesEnd::new("rdf:li")))
}

/// Copies the XMP packet event by event, adding the `fx:` schema to the PDF/A extension
/// schemas (or a list of its own when there is none) and the `fx:` properties before the end
/// of `rdf:RDF`.
pub fn add_fx(xmp: &str, document_type: &str) -> Result<Vec<u8>, String> {
    let mut reader = Reader::from_str(xmp);
    let mut w = Writer::new(Vec::with_capacity(xmp.len() + 3000));
    let mut stack: Vec<String> = Vec::new();
    let mut schema_added = false;
    let mut fx_added = false;
    let io = |e: std::io::Error| e.to_string();
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match &event {
            Event::Start(s) => stack.push(s.name().as_ref().to_owned()),
            Event::End(e) => {
                let name = e.name();
                let parent = stack.len().checked_sub(2).and_then(|i| stack.get(i));
                if name.as_ref() == "rdf:Bag"
                    && parent.is_some_and(|p| p == "pdfaExtension:schemas")
                {
                    fx_schema(&mut w).map_err(io)?;
                    schema_added = true;
                }
                if name.as_ref() == "rdf:RDF" {
                    if !schema_added {
                        let mut d = BytesStart::new("rdf:Description");
                        d.push_attribute(("rdf:about", ""));
                        d.push_attribute(("xmlns:pdfaExtension", PDFA_EXTENSION_NS));
                        w.write_event(Event::Start(d)).map_err(io)?;
                        w.write_event(Event::Start(BytesStart::new("pdfaExtension:schemas")))
                            .map_err(io)?;
                        w.write_event(Event::Start(BytesStart::new("rdf:Bag")))
                            .map_err(io)?;
                        fx_schema(&mut w).map_err(io)?;
                        w.write_event(Event::End(BytesEnd::new("rdf:Bag")))
                            .map_err(io)?;
                        w.write_event(Event::End(BytesEnd::new("pdfaExtension:schemas")))
                            .map_err(io)?;
                        w.write_event(Event::End(BytesEnd::new("rdf:Description")))
                            .map_err(io)?;
                        schema_added = true;
                    }
                    let mut d = BytesStart::new("rdf:Description");
                    d.push_attribute(("rdf:about", ""));
                    d.push_attribute(("xmlns:fx", FX_NS));
                    w.write_event(Event::Start(d)).map_err(io)?;
                    leaf(&mut w, "fx:DocumentType", document_type).map_err(io)?;
                    leaf(&mut w, "fx:DocumentFileName", FILE_NAME).map_err(io)?;
                    leaf(&mut w, "fx:Version", "1.0").map_err(io)?;
                    leaf(&mut w, "fx:ConformanceLevel", CONFORMANCE_LEVEL).map_err(io)?;
                    w.write_event(Event::End(BytesEnd::new("rdf:Description")))
                        .map_err(io)?;
                    fx_added = true;
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        w.write_event(event).map_err(io)?;
    }
    if !fx_added {
        return Err("no rdf:RDF element".into());
    }
    Ok(w.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::cii::tests::doc;

    #[test]
    fn the_pdf_lines_carry_the_mentions_in_french() {
        let text: Vec<String> = lines(&doc()).into_iter().map(|(_, t)| t).collect();
        let all = text.join("\n");
        for needle in [
            "FA-2026-000001",
            "SIREN 987654321",
            "SIRET 12345678200018",
            "FR32123456782",
            "Pénalités de retard",
            "40,00",
            "FR7630006000011234567890189",
            "Ligne 2",
        ] {
            assert!(all.contains(needle), "{needle} missing from:\n{all}");
        }
    }

    #[test]
    fn an_invoice_renders_as_pdf_a_3_with_its_xml_and_the_fx_metadata() {
        let pdf = pdf(&doc()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"factur-x.xml"));
        assert!(has(b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
        assert!(has(b"<fx:DocumentType>INVOICE</fx:DocumentType>"));
        assert!(has(b"Factur-X PDFA Extension Schema"));
        // The same document gives the same file: it is dated by its issue date.
        assert_eq!(super::pdf(&doc()).unwrap().len(), pdf.len());
        let mut draft = doc();
        draft.number = None;
        assert!(super::pdf(&draft).is_err());
    }

    #[test]
    fn the_fx_schema_joins_the_extension_schemas_and_the_properties_follow() {
        let xmp = concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
            "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\">",
            "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\"/></rdf:Bag></pdfaExtension:schemas>",
            "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>"
        );
        let out = String::from_utf8(add_fx(xmp, "INVOICE").unwrap()).unwrap();
        let schema = out
            .find("<pdfaSchema:prefix>fx</pdfaSchema:prefix>")
            .unwrap();
        let bag_end = out.find("</rdf:Bag>").unwrap();
        assert!(schema < bag_end, "{out}");
        assert_eq!(out.matches("<pdfaExtension:schemas>").count(), 1);
        let level = out
            .find("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>")
            .unwrap();
        assert!(level < out.find("</rdf:RDF>").unwrap());
        assert!(out.contains("<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>"));
        assert!(out.ends_with("<?xpacket end=\"r\"?>"));
        // Without extension schemas, the fx schema brings its own list.
        let bare =
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"r\"></rdf:RDF></x:xmpmeta>";
        let out = String::from_utf8(add_fx(bare, "INVOICE").unwrap()).unwrap();
        assert_eq!(out.matches("<pdfaExtension:schemas>").count(), 1);
        assert!(add_fx("<x/>", "INVOICE").is_err());
    }
}
