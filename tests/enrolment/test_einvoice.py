"""The electronic invoice for businesses: Factur-X EN 16931 XML that validates against
the schema, embedded in the PDF/A-3 that is mailed; private persons get a plain PDF."""

import base64
import io
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from enrolment import einvoice, signals
from enrolment.models import Booking, Invoice, OutgoingMail
from tests.enrolment.builders import course_date
from tests.enrolment.invoice_helpers import academy_settings, booking, paid_course, participants

pytestmark = pytest.mark.django_db

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


@pytest.fixture(autouse=True)
def academy(db):
    return academy_settings()


def confirm(order):
    signals.booking_confirmed.send(
        sender=Booking, booking=order, enrolments=list(participants(order))
    )


def schema():
    import os

    import drafthorse

    path = os.path.join(
        os.path.dirname(drafthorse.__file__), "schema", "Factur-X_1.0.07_EN16931.xsd"
    )
    return etree.XMLSchema(file=path)


def parsed(xml: bytes):
    root = etree.fromstring(xml)
    schema().assertValid(root)
    return root


def text(root, path):
    return root.xpath(f"string({path})", namespaces=NS)


def test_an_exempt_invoice_validates_and_names_the_exemption():
    order = booking(participants=2)
    confirm(order)
    root = parsed(einvoice.invoice_xml(Invoice.objects.get()))

    assert text(root, "//rsm:ExchangedDocument/ram:TypeCode") == "380"
    assert text(root, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == (
        "urn:cen.eu:en16931:2017"
    )
    tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert text(root, f"{tax}/ram:CategoryCode") == "E"
    assert text(root, f"{tax}/ram:ExemptionReasonCode") == "VATEX-EU-132-1I"
    assert "§ 4 Nr. 21" in text(root, f"{tax}/ram:ExemptionReason")
    assert text(root, "//ram:GrandTotalAmount") == "480.00"
    assert text(root, "//ram:BuyerReference") == "B-2026-17"
    assert text(root, "//ram:BuyerTradeParty/ram:Name") == "Tischlerei Bauer GmbH"
    assert text(root, "//ram:BuyerTradeParty//ram:ID[@schemeID='VA']") == "DE987654321"
    assert text(root, "//ram:SellerTradeParty//ram:ID[@schemeID='VA']") == "DE123456789"
    assert text(root, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == (
        "DE89370400440532013000"
    )
    assert text(root, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == "58"
    assert len(root.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)) == 2


def test_a_taxed_invoice_validates_with_standard_rate():
    date = course_date(paid_course("119.00", vat_treatment="taxed_19"))
    order = booking(date, participants=1, unit_price="119.00", vat_rate="19", order_reference="")
    confirm(order)
    root = parsed(einvoice.invoice_xml(Invoice.objects.get()))
    tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert text(root, f"{tax}/ram:CategoryCode") == "S"
    assert Decimal(text(root, f"{tax}/ram:RateApplicablePercent")) == Decimal("19")
    assert text(root, f"{tax}/ram:CalculatedAmount") == "19.00"
    assert text(root, "//ram:TaxBasisTotalAmount") == "100.00"
    assert text(root, "//ram:BuyerReference") == "n/a"


def test_a_credit_note_validates_and_names_the_invoice_it_corrects():
    order = booking(participants=1)
    confirm(order)
    signals.booking_participant_cancelled.send(
        sender=Booking,
        booking=order,
        enrolment=participants(order)[0],
        fee=Decimal("40.00"),
        by_academy=False,
    )
    original = Invoice.objects.invoices().get()
    root = parsed(einvoice.invoice_xml(Invoice.objects.credit_notes().get()))
    assert text(root, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert text(root, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == original.number
    assert text(root, "//ram:GrandTotalAmount") == "200.00"


def test_businesses_get_the_xml_inside_a_pdf_a3_consumers_a_plain_pdf():
    business = booking(participants=1)
    confirm(business)
    private = booking(business.course_date, participants=1, is_consumer=True, start=200)
    confirm(private)
    business_mail, private_mail = OutgoingMail.objects.filter(kind="invoice").order_by("pk")

    reader = PdfReader(io.BytesIO(base64.b64decode(business_mail.attachments[0]["content"])))
    assert "factur-x.xml" in reader.attachments
    (xml,) = reader.attachments["factur-x.xml"]
    root = parsed(xml)
    assert text(root, "//rsm:ExchangedDocument/ram:ID") == business.invoices.get().number
    assert "pdfaid:part" in reader.xmp_metadata.stream.get_data().decode()

    reader = PdfReader(io.BytesIO(base64.b64decode(private_mail.attachments[0]["content"])))
    assert not reader.attachments
