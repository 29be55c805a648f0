"""The invoice as a PDF (fpdf2, PDF/A-3b where the DejaVu fonts are installed).

It carries everything § 14 Abs. 4 UStG asks of an invoice: the full name and
address of the academy and of the recipient, the academy's tax number or VAT id,
the issue date, the invoice number, quantity and kind of the service, the time of
the service (the course date's days), the net amount by tax rate, the tax rate and
tax amount or the exemption wording, plus the payment terms and bank details. A
credit note names the invoice it corrects. Everything printed comes from the
invoice row itself (the academy's data too, copied when it was issued), so the PDF
of an old invoice is the one that was sent.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from home.pdf import PdfText

from .invoice_models import Invoice


def money(amount: Decimal) -> str:
    """1234.5 → "1.234,50 €"."""
    text = f"{Decimal(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"


def percent(rate: Decimal) -> str:
    return f"{Decimal(rate).normalize():f}".replace(".", ",") + " %"


def date_text(value) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def period_text(invoice: Invoice) -> str:
    if invoice.service_start == invoice.service_end:
        return date_text(invoice.service_start)
    return f"{date_text(invoice.service_start)} – {date_text(invoice.service_end)}"


def title_of(invoice: Invoice) -> str:
    return _("Stornorechnung") if invoice.is_credit_note else _("Rechnung")


def render_invoice_pdf(invoice: Invoice) -> bytes:
    from fpdf import FPDF

    from home.pdf import FONT_DIR

    issuer = invoice.issuer or {}
    compliant = (FONT_DIR / "DejaVuSans.ttf").exists()
    pdf = FPDF(format="A4", enforce_compliance="PDFA_3B" if compliant else None)
    pdf.set_lang("de-DE")
    pdf.set_title(f"{title_of(invoice)} {invoice.number}")
    pdf.set_author(issuer.get("name", ""))
    pdf.set_creator(_("Innovationsakademie Handwerk"))
    pdf.set_auto_page_break(auto=True, margin=28)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    text = PdfText(pdf)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(value, size=10, style="", height=5, w=None, align="L"):
        text.font(size, style)
        pdf.multi_cell(
            w or width, height, text.clean(value), align=align, new_x="LMARGIN", new_y="NEXT"
        )

    # the academy (sender line and letterhead)
    sender = " · ".join(
        part
        for part in (issuer.get("name"), issuer.get("street"), issuer.get("postcode_city"))
        if part
    )
    line(issuer.get("name", ""), 14, "B", 7)
    line(sender, 8, height=4)
    pdf.ln(8)

    # recipient left, invoice facts right
    top = pdf.get_y()
    for value in invoice.recipient_lines:
        line(value, 10, w=90)
    if invoice.recipient_country and invoice.recipient_country != "DE":
        line(invoice.recipient_country, 10, w=90)
    bottom = pdf.get_y()
    facts = [
        (_("Rechnungsnummer"), invoice.number),
        (_("Rechnungsdatum"), date_text(invoice.issue_date)),
        (_("Leistungszeitraum"), period_text(invoice)),
    ]
    if invoice.is_credit_note and invoice.corrects_id:
        facts.append(
            (
                _("Korrigiert Rechnung"),
                _("%(number)s vom %(date)s")
                % {
                    "number": invoice.corrects.number,
                    "date": date_text(invoice.corrects.issue_date),
                },
            )
        )
    if invoice.order_reference:
        facts.append((_("Ihr Bestellzeichen"), invoice.order_reference))
    if invoice.recipient_vat_id:
        facts.append((_("Ihre USt-IdNr."), invoice.recipient_vat_id))
    pdf.set_y(top)
    for label, value in facts:
        pdf.set_x(pdf.l_margin + 95)
        text.font(9)
        pdf.cell(38, 5, text.clean(label + ":"))
        text.font(9, "B")
        pdf.multi_cell(width - 95 - 38, 5, text.clean(value), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()) + 10)

    heading = f"{title_of(invoice)} {invoice.number}"
    line(heading, 15, "B", 8)
    if invoice.is_credit_note and invoice.corrects_id:
        line(
            _("Diese Stornorechnung korrigiert die Rechnung %(number)s vom %(date)s.")
            % {"number": invoice.corrects.number, "date": date_text(invoice.corrects.issue_date)}
        )
    pdf.ln(4)

    # lines
    columns = [
        (_("Pos."), 11, "L"),
        (_("Leistung"), width - 11 - 16 - 27 - 17 - 27, "L"),
        (_("Menge"), 16, "R"),
        (_("Einzelpreis"), 27, "R"),
        (_("USt"), 17, "R"),
        (_("Betrag"), 27, "R"),
    ]
    text.font(9, "B")
    for label, w, align in columns:
        pdf.cell(w, 6, text.clean(label), border="B", align=align)
    pdf.ln(7)
    for item in invoice.lines.all():
        quantity = f"{item.quantity.normalize():f}".replace(".", ",")
        values = [
            str(item.position),
            item.description,
            quantity,
            money(item.unit_price),
            percent(item.vat_rate),
            money(item.gross),
        ]
        text.font(9)
        described = pdf.multi_cell(
            columns[1][1], 5, text.clean(item.description), dry_run=True, output="LINES"
        )
        height = 5 * max(len(described), 1)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        x = pdf.l_margin
        for index, ((_label, w, align), value) in enumerate(zip(columns, values, strict=True)):
            pdf.set_xy(x, y)
            if index == 1:
                pdf.multi_cell(w, 5, text.clean(value), align=align)
            else:
                pdf.cell(w, 5, text.clean(value), align=align)
            x += w
        pdf.set_y(y + height + 1)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(2)

    # totals by rate
    def total(label, amount, style=""):
        text.font(10, style)
        pdf.set_x(pdf.l_margin + width - 110)
        pdf.cell(83, 6, text.clean(label), align="R")
        pdf.cell(27, 6, text.clean(money(amount)), align="R", new_x="LMARGIN", new_y="NEXT")

    for rate, net, vat in invoice.vat_breakdown():
        if rate:
            total(_("Nettobetrag zu %(rate)s") % {"rate": percent(rate)}, net)
            total(_("Umsatzsteuer %(rate)s") % {"rate": percent(rate)}, vat)
        else:
            total(_("Nettobetrag, umsatzsteuerfrei"), net)
            total(_("Umsatzsteuer"), Decimal("0.00"))
    total(_("Gesamtbetrag"), invoice.gross_total, "B")
    pdf.ln(4)
    line(invoice.vat_note, 9)
    pdf.ln(3)

    # payment
    if invoice.is_credit_note:
        line(
            _("Der Betrag von %(amount)s wird mit Ihrer Zahlung verrechnet oder erstattet.")
            % {"amount": money(-invoice.gross_total)},
            10,
        )
    else:
        line(
            _(
                "Bitte überweisen Sie %(amount)s bis zum %(due)s ohne Abzug unter Angabe der "
                "Rechnungsnummer %(number)s."
            )
            % {
                "amount": money(invoice.gross_total),
                "due": date_text(invoice.due_date),
                "number": invoice.number,
            },
            10,
        )

    # footer: tax and bank data
    pdf.ln(8)
    tax = []
    if issuer.get("tax_number"):
        tax.append(_("Steuernummer: %(number)s") % {"number": issuer["tax_number"]})
    if issuer.get("vat_id"):
        tax.append(_("USt-IdNr.: %(number)s") % {"number": issuer["vat_id"]})
    bank = []
    if issuer.get("bank_name"):
        bank.append(issuer["bank_name"])
    if issuer.get("iban"):
        bank.append(f"IBAN {format_iban(issuer['iban'])}")
    if issuer.get("bic"):
        bank.append(f"BIC {issuer['bic']}")
    contact = [value for value in (issuer.get("phone"), issuer.get("email")) if value]
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(2)
    line(sender, 8, height=4)
    for part in (tax, bank, contact):
        if part:
            line(" · ".join(part), 8, height=4)
    return bytes(pdf.output())


def format_iban(iban: str) -> str:
    iban = iban.replace(" ", "")
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
