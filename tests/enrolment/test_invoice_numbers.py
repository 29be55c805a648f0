"""Invoice numbers: one gapless series per year, shared by invoices and credit notes,
without duplicates under concurrency; a rolled-back issue gives its number back."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from enrolment import invoicing
from enrolment.models import Invoice, InvoiceCounter
from tests.enrolment.builders import course_date
from tests.enrolment.invoice_helpers import academy_settings, paid_course
from tests.factories import ensure_wagtail_roots


def draft(date, n=0):
    return invoicing.InvoiceDraft(
        course_date=date,
        recipient={"recipient_name": f"Person {n}", "recipient_email": f"p{n}@example.org"},
        lines=[invoicing.LineDraft(f"Teilnahme {n}", Decimal("240.00"), Decimal("0"))],
        vat_note="Umsatzsteuerfrei nach § 4 Nr. 21 Buchst. a UStG.",
    )


@pytest.mark.django_db
def test_numbers_count_up_per_year_and_start_again_in_a_new_year():
    import datetime

    academy_settings()
    date = course_date(paid_course())
    first = invoicing.issue(draft(date))
    second = invoicing.issue(draft(date, 1))
    year = first.issue_date.year
    assert (first.number, second.number) == (f"R-{year}-00001", f"R-{year}-00002")
    later = draft(date, 2)
    later.issue_date = datetime.date(year + 1, 1, 2)
    assert invoicing.issue(later).number == f"R-{year + 1}-00001"


@pytest.mark.django_db
def test_a_rolled_back_issue_leaves_no_gap():
    academy_settings()
    date = course_date(paid_course())
    first = invoicing.issue(draft(date))
    with pytest.raises(RuntimeError), transaction.atomic():
        invoicing.issue(draft(date, 1))
        raise RuntimeError("the booking's transaction fails after the invoice")
    after = invoicing.issue(draft(date, 2))
    year = first.issue_date.year
    assert after.number == f"R-{year}-00002"
    assert InvoiceCounter.objects.get(year=year).last == 2
    assert Invoice.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_issues_get_fifty_consecutive_numbers():
    ensure_wagtail_roots()
    academy_settings()
    date = course_date(paid_course())
    barrier = threading.Barrier(50)
    numbers, errors = [], []

    def worker(n):
        try:
            barrier.wait()
            numbers.append(invoicing.issue(draft(date, n)).number)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    year = Invoice.objects.first().issue_date.year
    assert sorted(numbers) == [f"R-{year}-{n:05d}" for n in range(1, 51)]
    assert Invoice.objects.count() == 50
    assert InvoiceCounter.objects.get(year=year).last == 50
