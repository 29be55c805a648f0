"""Electronic invoices for businesses: ZUGFeRD 2 / Factur-X, profile EN 16931 (COMFORT).

Built with ``drafthorse``, which checks the XML against the Factur-X EN 16931 schema
it ships whenever it serialises (an invalid invoice raises instead of being sent).
The XML goes into the invoice PDF (PDF/A-3 with ``factur-x.xml`` attached, a
"hybrid" invoice that people read and software imports) and is offered on its own
in the admin. Private persons get the plain PDF.

Choices:

- Profile EN 16931 (``urn:cen.eu:en16931:2017``), the core standard every German
  recipient must accept since 2025; not the XRechnung CIUS, whose mandatory BT-10
  Leitweg-ID matters only for public buyers.
- Buyer reference (BT-10): the booker's order reference ("Bestellzeichen") when they
  gave one, else "n/a" (the usual placeholder, so that recipients whose software
  insists on BT-10 can read the file). The order reference goes into BT-13 too.
- VAT: exempt courses as category "E" with the legal wording (BT-120) and the code
  VATEX-EU-132-1I (Art. 132(1)(i) of the VAT directive: education and vocational
  training, which § 4 Nr. 21 and Nr. 22 UStG transpose); taxed courses as "S" 19 %.
  Prices on the price list are gross; each line's net is split from it
  (``courses.pricing.split_gross``), and the tax per rate is the sum of the lines'.
- A Stornorechnung is a credit note (type 381) with the amounts of its lines turned
  positive (a fee kept becomes a line with quantity -1), naming the invoice it
  corrects (BT-25/BT-26).
- Payment: SEPA credit transfer (58) to the academy's IBAN, due date (BT-9).
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .invoice_models import Invoice

SCHEMA = "FACTUR-X_EN16931"
GUIDELINE = "urn:cen.eu:en16931:2017"
EXEMPTION_CODE = "VATEX-EU-132-1I"


def _split_postcode_city(text: str) -> tuple[str, str]:
    parts = (text or "").strip().split(" ", 1)
    if len(parts) == 2 and parts[0].isdigit():
        return parts[0], parts[1]
    return "", (text or "").strip()


def _category(rate: Decimal) -> str:
    return "S" if rate else "E"


def build_document(invoice: Invoice):
    from drafthorse.models.accounting import ApplicableTradeTax
    from drafthorse.models.document import Document
    from drafthorse.models.note import IncludedNote
    from drafthorse.models.party import TaxRegistration
    from drafthorse.models.payment import PaymentMeans, PaymentTerms
    from drafthorse.models.tradelines import LineItem

    issuer = invoice.issuer or {}
    credit = invoice.is_credit_note
    sign = Decimal(-1) if credit else Decimal(1)

    doc = Document()
    doc.context.guideline_parameter.id = GUIDELINE
    doc.header.id = invoice.number
    doc.header.type_code = "381" if credit else "380"
    doc.header.issue_date_time = invoice.issue_date
    note = IncludedNote()
    note.content = invoice.vat_note
    doc.header.notes.add(note)

    agreement = doc.trade.agreement
    agreement.buyer_reference = invoice.order_reference or "n/a"
    seller = agreement.seller
    seller.name = issuer.get("name") or "Innovationsakademie Handwerk"
    postcode, city = _split_postcode_city(issuer.get("postcode_city", ""))
    seller.address.line_one = issuer.get("street", "")
    seller.address.postcode = postcode
    seller.address.city_name = city
    seller.address.country_id = "DE"
    if issuer.get("email"):
        seller.electronic_address.uri_ID = ("EM", issuer["email"])
    if issuer.get("vat_id"):
        seller.tax_registrations.add(TaxRegistration(id=("VA", issuer["vat_id"])))
    if issuer.get("tax_number"):
        seller.tax_registrations.add(TaxRegistration(id=("FC", issuer["tax_number"])))

    buyer = agreement.buyer
    buyer.name = invoice.recipient_company or invoice.recipient_name
    buyer.address.line_one = invoice.recipient_street
    if invoice.recipient_company and invoice.recipient_name:
        buyer.address.line_two = invoice.recipient_name
    buyer.address.postcode = invoice.recipient_postcode
    buyer.address.city_name = invoice.recipient_city
    buyer.address.country_id = invoice.recipient_country or "DE"
    if invoice.recipient_email:
        buyer.electronic_address.uri_ID = ("EM", invoice.recipient_email)
    if invoice.recipient_vat_id:
        buyer.tax_registrations.add(TaxRegistration(id=("VA", invoice.recipient_vat_id)))
    if invoice.order_reference:
        agreement.buyer_order.issuer_assigned_id = invoice.order_reference

    doc.trade.delivery.event.occurrence = invoice.service_start

    settlement = doc.trade.settlement
    settlement.currency_code = "EUR"
    settlement.payment_reference = invoice.number
    settlement.period.start = invoice.service_start
    settlement.period.end = invoice.service_end
    if credit and invoice.corrects_id:
        settlement.invoice_referenced_document.issuer_assigned_id = invoice.corrects.number
        settlement.invoice_referenced_document.issue_date_time = invoice.corrects.issue_date
    if issuer.get("iban"):
        means = PaymentMeans()
        means.type_code = "58"
        means.payee_account.iban = issuer["iban"]
        if issuer.get("bic"):
            means.payee_institution.bic = issuer["bic"]
        settlement.payment_means.add(means)
    terms = PaymentTerms()
    if credit:
        terms.description = _("Der Betrag wird mit Ihrer Zahlung verrechnet oder erstattet.")
    else:
        terms.description = _("Zahlbar ohne Abzug bis %(due)s.") % {
            "due": f"{invoice.due_date:%d.%m.%Y}"
        }
        terms.due = invoice.due_date
    settlement.terms.add(terms)

    for line in invoice.lines.all():
        net = line.net * sign
        quantity = line.quantity
        if net < 0:  # a fee kept on a credit note: never a negative price
            quantity = -quantity
        unit_net = (abs(net) / abs(quantity)).quantize(Decimal("0.01"))
        item = LineItem()
        item.document.line_id = str(line.position)
        item.product.name = line.description
        item.agreement.net.amount = unit_net
        item.delivery.billed_quantity = (quantity, "C62")
        item.settlement.trade_tax.type_code = "VAT"
        item.settlement.trade_tax.category_code = _category(line.vat_rate)
        item.settlement.trade_tax.rate_applicable_percent = line.vat_rate
        item.settlement.monetary_summation.total_amount = net
        doc.trade.items.add(item)

    for rate, net, vat in invoice.vat_breakdown():
        tax = ApplicableTradeTax()
        tax.type_code = "VAT"
        tax.basis_amount = net * sign
        tax.calculated_amount = vat * sign
        tax.category_code = _category(rate)
        tax.rate_applicable_percent = rate
        if not rate:
            tax.exemption_reason = invoice.vat_note
            tax.exemption_reason_code = EXEMPTION_CODE
        settlement.trade_tax.add(tax)

    totals = settlement.monetary_summation
    totals.line_total = invoice.net_total * sign
    totals.charge_total = Decimal("0.00")
    totals.allowance_total = Decimal("0.00")
    totals.tax_basis_total = (invoice.net_total * sign, "EUR")
    totals.tax_total = (invoice.vat_total * sign, "EUR")
    totals.grand_total = (invoice.gross_total * sign, "EUR")
    totals.due_amount = invoice.gross_total * sign
    return doc


def invoice_xml(invoice: Invoice) -> bytes:
    """The invoice as Factur-X EN 16931 XML, checked against the schema (raises if not)."""
    return build_document(invoice).serialize(schema=SCHEMA)


def hybrid_pdf(invoice: Invoice, pdf: bytes) -> bytes:
    """The PDF with the XML attached as ``factur-x.xml`` (ZUGFeRD / Factur-X)."""
    from drafthorse.pdf import attach_xml

    return attach_xml(
        pdf,
        invoice_xml(invoice),
        level="EN 16931",
        metadata={
            "author": (invoice.issuer or {}).get("name", ""),
            "keywords": "Factur-X, ZUGFeRD, Rechnung",
            "title": f"{invoice.get_kind_display()} {invoice.number}",
            "subject": _("%(kind)s %(number)s vom %(date)s")
            % {
                "kind": invoice.get_kind_display(),
                "number": invoice.number,
                "date": f"{invoice.issue_date:%d.%m.%Y}",
            },
        },
        lang="de-DE",
    )
