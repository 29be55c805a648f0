import json

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_ops_report_counts_outbox_and_tasks(capsys):
    from enrolment.models import OutgoingMail

    OutgoingMail.objects.create(kind="x", to="a@example.org", subject="s", text="t")
    OutgoingMail.objects.create(
        kind="x", to="b@example.org", subject="s", text="t", status="failed"
    )
    call_command("ops_report", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["outbox"]["pending"] == 1
    assert report["outbox"]["failed"] == 1
    assert report["tasks"]["ready"] == 0
    call_command("ops_report")
    out = capsys.readouterr().out
    assert "Postausgang: 1 wartend" in out


@pytest.mark.django_db
def test_ops_report_fails_above_a_threshold():
    from enrolment.models import OutgoingMail

    OutgoingMail.objects.create(kind="x", to="a@example.org", subject="s", text="t")
    with pytest.raises(SystemExit):
        call_command("ops_report", "--fail-above", "0")
