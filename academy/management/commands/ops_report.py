"""How much work is waiting: the mail outbox and the task queue."""

import json
from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db.models import Count, Min
from django.utils import timezone


def outbox_report() -> dict:
    model = apps.get_model("enrolment", "OutgoingMail")
    counts = dict(model.objects.values_list("status").annotate(n=Count("pk")).order_by())
    waiting = model.objects.filter(status__in=["pending", "sending"])
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    return {
        "pending": counts.get("pending", 0),
        "sending": counts.get("sending", 0),
        "failed": counts.get("failed", 0),
        "sent": counts.get("sent", 0),
        "oldest_waiting_minutes": _minutes_since(oldest),
    }


def task_report() -> dict:
    try:
        model = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return {}
    counts = dict(model.objects.values_list("status").annotate(n=Count("pk")).order_by())
    oldest = model.objects.filter(status="READY").aggregate(oldest=Min("enqueued_at"))["oldest"]
    return {
        "ready": counts.get("READY", 0),
        "running": counts.get("RUNNING", 0),
        "failed": counts.get("FAILED", 0),
        "successful": counts.get("SUCCESSFUL", 0),
        "oldest_ready_minutes": _minutes_since(oldest),
    }


def _minutes_since(moment) -> int | None:
    if moment is None:
        return None
    return int((timezone.now() - moment) / timedelta(minutes=1))


class Command(BaseCommand):
    help = "Zeigt, was wartet: E-Mails im Postausgang und Aufgaben in der Warteschlange."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Ausgabe als JSON")
        parser.add_argument(
            "--fail-above",
            type=int,
            default=None,
            help="Exit-Code 1, wenn mehr als so viele E-Mails oder Aufgaben warten",
        )

    def handle(self, *args, **options):
        report = {"outbox": outbox_report(), "tasks": task_report()}
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            box, tasks = report["outbox"], report["tasks"]
            self.stdout.write(
                f"Postausgang: {box['pending']} wartend, {box['sending']} im Versand, "
                f"{box['failed']} fehlgeschlagen, {box['sent']} gesendet; "
                f"älteste wartende: {_age(box['oldest_waiting_minutes'])}"
            )
            if tasks:
                self.stdout.write(
                    f"Aufgaben: {tasks['ready']} wartend, {tasks['running']} laufend, "
                    f"{tasks['failed']} fehlgeschlagen; älteste wartende: "
                    f"{_age(tasks['oldest_ready_minutes'])}"
                )
        limit = options["fail_above"]
        waiting = report["outbox"]["pending"] + report["tasks"].get("ready", 0)
        if limit is not None and waiting > limit:
            raise SystemExit(1)


def _age(minutes) -> str:
    return "–" if minutes is None else f"{minutes} min"
