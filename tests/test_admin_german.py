"""Every admin address the project adds, walked as a superuser with the demo content:
German words and local times only.

The addresses are collected from the project's own hooks (menu items, admin URLs,
viewsets and snippet viewsets), not from Wagtail's: index, add, edit and inspect of
an existing object, reports and their CSV/XLSX downloads, exports. A page fails on
"None" shown as a value, a sheet called "Sheet1", "Home" as a title, or an English
enum value ("confirmed", "waitlisted", "pending" …) shown as text.
"""

import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

PROJECT_APPS = ("home", "news", "courses", "enrolment", "learning", "staffauth", "academy")


def _project(obj) -> bool:
    module = getattr(obj, "__module__", "") or type(obj).__module__
    return module.split(".")[0] in PROJECT_APPS


def english_enum_values() -> set[str]:
    """The stored values of every choice field of the project's models whose German
    label differs from the value: shown as text, they are English."""
    from django.apps import apps

    choices = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            choices += getattr(field, "flatchoices", None) or ()
    # a value that is also a German word of some label ("online", "digital") is fine
    german = " ".join(str(label) for _value, label in choices).lower()
    from enrolment.mail import SUBJECTS  # the kinds of mail in the outbox

    choices += [(kind, "") for kind in SUBJECTS]
    return {
        value
        for value, _label in choices
        if isinstance(value, str) and len(value) > 3 and value.lower() not in german
    }


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    """The text a person sees: element text and the title, without scripts, styles,
    attribute values or hidden elements."""

    SKIP = {"script", "style", "template", "svg"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.title: list[str] = []
        self.headings: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        hidden = tag in self.SKIP or "hidden" in attributes
        self._stack.append((tag, hidden))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        tags = [tag for tag, _hidden in self._stack]
        if "title" in tags:
            self.title.append(data)
            return
        if any(hidden for _tag, hidden in self._stack):
            return
        self.parts.append(data)
        if "h1" in tags or "h2" in tags:
            self.headings.append(data)


def shown_text(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def problems(url: str, response, enum_values: set[str]) -> list[str]:
    found = []
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        names = load_workbook(io.BytesIO(body), read_only=True).sheetnames
        found += [f"{url}: sheet {name!r}" for name in names if re.match(r"Sheet\d*$", name)]
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        cells = [
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]
        found += [f"{url}: cell {c!r}" for c in cells if c == "None" or c in enum_values]
        return found
    text = body.decode("utf-8-sig", errors="replace")
    if "text/csv" in content_type:
        if not body.startswith(b"\xef\xbb\xbf") or ";" not in text.splitlines()[0]:
            found.append(f"{url}: CSV without byte order mark or semicolons")
        text = text.removeprefix("\ufeff")
        cells = [cell.strip('"') for line in text.splitlines() for cell in line.split(";")]
        found += [f"{url}: cell {c!r}" for c in cells if c == "None" or c in enum_values]
        return found
    if "json" in content_type:
        found += [f"{url}: None" for _m in re.finditer(r"\bNone\b", text)]
        return found
    page = shown_text(text)
    words = re.findall(r"[\w-]+", " ".join(page.parts))
    if "None" in words:
        index = " ".join(page.parts).find("None")
        found.append(f"{url}: 'None' in …{' '.join(page.parts)[max(0, index - 80) : index + 20]!r}")
    title = " ".join(" ".join(page.title).split())
    if re.search(r"\b(Home|Root)\b", title):
        found.append(f"{url}: title {title!r}")
    for heading in page.headings:
        if heading.strip() in ("Home", "Root"):
            found.append(f"{url}: heading {heading.strip()!r}")
    for word in ("Home", "Root", "Sheet1"):
        if word in words:
            found.append(f"{url}: {word!r} shown")
    for word in set(words) & enum_values:
        found.append(f"{url}: English value {word!r}")
    return found


def project_viewsets():
    from wagtail.admin.viewsets import viewsets

    return [viewset for viewset in viewsets.viewsets if _project(viewset)]


def viewset_urls(viewset) -> list[str]:
    model = getattr(viewset, "model", None)
    urls = []
    for name in ("index", "add", "list", "choose"):
        try:
            urls.append(reverse(viewset.get_url_name(name)))
        except NoReverseMatch:
            continue
    if isinstance(model, str):  # "app_label.Model"
        model = apps.get_model(model)
    if model is None or not issubclass(model, models.Model):
        return urls
    instance = model._default_manager.order_by("pk").last()
    if instance is None:
        return urls
    for name in ("edit", "inspect", "history", "usage", "delete"):
        try:
            urls.append(reverse(viewset.get_url_name(name), args=[instance.pk]))
        except NoReverseMatch:
            continue
    for fmt in ("csv", "xlsx"):
        if getattr(viewset, "list_export", None) and urls:
            urls.append(f"{urls[0]}?export={fmt}")
    return urls


def hook_urls() -> list[str]:
    """Menu items and admin URLs the project's hooks add; URLs with arguments get the
    newest object of the kind they name."""
    from wagtail import hooks

    from courses.models import CourseDate, CoursePage
    from enrolment.models import Booking, Enrolment, OutgoingMail

    urls = []
    for hook in ("register_admin_menu_item", "register_reports_menu_item"):
        for fn in hooks.get_hooks(hook):
            if _project(fn):
                item = fn()
                urls.append(item.url)
                if hook == "register_reports_menu_item":
                    urls += [f"{item.url}?export=csv", f"{item.url}?export=xlsx"]
    date = CourseDate.objects.filter(enrolments__isnull=False).order_by("pk").last()
    course = CoursePage.objects.order_by("pk").last()
    enrolment = Enrolment.objects.order_by("pk").last()
    mail = OutgoingMail.objects.order_by("pk").last()
    from django.contrib.auth import get_user_model

    trainer = get_user_model().objects.get(username="trainer")  # the demo's trainer account
    arguments = {
        "date_id": date.pk,
        "page_id": course.pk,
        "pk": mail.pk,
        "user_id": trainer.pk,
        "booking_id": Booking.objects.order_by("pk").last().pk,
    }
    for fn in hooks.get_hooks("register_admin_urls"):
        if not _project(fn):
            continue
        for pattern in fn():
            name = getattr(pattern, "name", None)
            if not name:
                continue
            params = list(pattern.pattern.converters)
            if "action" in params:
                continue  # pages with one button: walked through their list's links
            kwargs = {key: arguments.get(key, enrolment.pk) for key in params if key != "fmt"}
            if "fmt" in params:
                for fmt in ("csv", "xlsx"):
                    urls.append(reverse(name, kwargs={**kwargs, "fmt": fmt}))
                continue
            try:
                urls.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return urls


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    from enrolment.mail import queue_mail
    from enrolment.models import Enrolment

    # the outbox after a day of bookings
    enrolments = Enrolment.objects.exclude(status="pending").order_by("pk")
    for kind, enrolment in zip(("confirmed", "reminder", "promoted"), enrolments, strict=False):
        queue_mail(kind, enrolment)


@pytest.mark.django_db
def test_every_project_admin_page_speaks_german(client, demo):
    from django.contrib.auth import get_user_model

    from enrolment.models import Enrolment

    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    email = Enrolment.objects.filter(anonymised_at__isnull=True).first().email
    urls = [
        reverse("wagtailadmin_home"),  # the project's dashboard panels
        *hook_urls(),
        reverse("enrolment_person") + f"?email={email}",
    ]
    for viewset in project_viewsets():
        urls += viewset_urls(viewset)
    assert len(urls) > 25
    enum_values = english_enum_values()
    assert {"confirmed", "waitlisted", "pending"} <= enum_values
    found = []
    for url in dict.fromkeys(urls):
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 200:
            found += problems(url, response, enum_values)
    assert not found, "\n".join(dict.fromkeys(found))
