"""Checks Factur-X PDFs with the PyPI package factur-x: the embedded XML is found where
Factur-X puts it and passes the Factur-X XSD of its profile; the PDF's XMP metadata names
that XML, its profile (EN 16931) and PDF/A-3; the attachment is associated with the document.
Usage: python facturx_check.py FILE.pdf...  Exit 1 at the first failure, after printing it."""
import logging
import sys
import xml.etree.ElementTree as ET

import facturx
from lxml import etree
from pypdf import PdfReader

# factur-x logs every step at INFO: only its warnings and errors are shown.
logging.disable(logging.INFO)

FX = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    name, xml = facturx.get_xml_from_pdf(data, check_xsd=False)
    assert name == "factur-x.xml", f"embedded file is {name!r}"
    # Raises, saying which element, when the XML fails the Factur-X XSD of its profile.
    facturx.xml_check_xsd(xml, flavor="factur-x")
    level = facturx.get_level(etree.fromstring(xml))
    assert level == "en16931", f"profile is {level!r}"
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    meta = root["/Metadata"].get_object().get_data().decode("utf-8")
    x = ET.fromstring(meta[meta.index("<x:xmpmeta"): meta.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")])
    def value(ns, prop):
        for d in x.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
            el = d.find(f"{{{ns}}}{prop}")
            if el is not None:
                return el.text
            if f"{{{ns}}}{prop}" in d.attrib:
                return d.attrib[f"{{{ns}}}{prop}"]
        return None
    assert value(FX, "DocumentFileName") == "factur-x.xml"
    assert value(FX, "ConformanceLevel") == "EN 16931"
    assert value(FX, "DocumentType") in ("INVOICE", "CREDIT_NOTE")
    assert value(FX, "Version") == "1.0"
    assert value(PDFAID, "part") == "3", "not PDF/A-3"
    assert "fx" in meta and FX in meta
    af = root["/AF"]
    spec = af[0].get_object()
    assert spec["/F"] == "factur-x.xml" and spec["/AFRelationship"] in ("/Alternative", "/Data")


failed = 0
for path in sys.argv[1:]:
    try:
        check(path)
    except Exception as e:  # report every file, then fail
        failed += 1
        print(f"{path}: FAILED: {type(e).__name__}: {e}")
print(f"Factur-X: {len(sys.argv) - 1 - failed} of {len(sys.argv) - 1} PDFs pass")
sys.exit(1 if failed or len(sys.argv) < 2 else 0)
