"""Trainer pages: participant lists of one's own dates, attendance per session on a
phone, and a sign-in sheet (PDF) to print. Staff see all dates. Every page here
uses a trainer's or staff role: the session shows the second factor first."""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from staffauth import policy
from staffauth.gate import second_factor

from . import attendance, learner

FIELD = re.compile(r"^was-present-(\d{1,12})-(\d{1,4})$")


def _date_or_404(request, date_id):
    return get_object_or_404(attendance.dates_for(request.user), pk=date_id)


@never_cache
@login_required
@second_factor
def overview(request):
    dates = attendance.dates_for(request.user)
    if (
        not policy.is_academy_staff(request.user)
        and getattr(request.user, "trainer_profile", None) is None
    ):
        raise Http404
    now = timezone.now()
    return render(
        request,
        "learning/trainer_overview.html",
        {
            "current": dates.filter(end__gte=now - timezone.timedelta(days=1)).order_by("start")[
                :50
            ],
            "past": dates.filter(end__lt=now - timezone.timedelta(days=1)).order_by("-start")[:50],
            # back to the admin for those who can open it
            "admin_url": policy.default_next(request.user)
            if policy.is_staff_user(request.user)
            else None,
        },
    )


@never_cache
@login_required
@second_factor
@require_http_methods(["GET", "POST"])
def date_attendance(request, date_id):
    course_date = _date_or_404(request, date_id)
    if request.method == "POST":
        # Only boxes whose state differs from what the list showed count as changed:
        # saving never touches anyone whose boxes were left alone.
        changes = {}
        for name, was in request.POST.items():
            match = FIELD.match(name)
            if match and was in ("0", "1"):
                now_present = request.POST.get(name.removeprefix("was-")) == "1"
                if now_present != (was == "1"):
                    changes[(int(match.group(1)), int(match.group(2)))] = now_present
        attendance.record(course_date, changes, by=request.user)
        return redirect(request.path + "?gespeichert=1")
    now = timezone.now()
    sessions = attendance.sessions_of(course_date)
    rows = []
    for enrolment in attendance.participants(course_date):
        ticks = attendance.present_sessions(enrolment)
        progress = None
        user = learner.user_for_email(enrolment.email)
        if user is not None:
            progress = learner.course_progress(user, course_date.course)
        rows.append(
            {
                "enrolment": enrolment,
                "cells": [
                    {
                        "session": s,
                        "name": f"present-{enrolment.pk}-{s.index}",
                        "checked": s.index in ticks,
                        "open": s.is_open(now) and enrolment.holds_seat,
                        "future": s.start > now,
                    }
                    for s in sessions
                ],
                "attended_count": len(ticks),
                "progress": progress,
            }
        )
    return render(
        request,
        "learning/attendance.html",
        {
            "course_date": course_date,
            "course": course_date.course,
            "sessions": sessions,
            "rows": rows,
            "any_open": any(cell["open"] for row in rows for cell in row["cells"]),
            "saved": request.GET.get("gespeichert") == "1",
        },
    )


@never_cache
@login_required
@second_factor
def signin_sheet(request, date_id):
    from fpdf import FPDF

    from .certificates import _Text, dates_text

    course_date = _date_or_404(request, date_id)
    sessions = attendance.sessions_of(course_date)
    pdf = FPDF(format="A4", orientation="L" if len(sessions) > 2 else "P")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    text = _Text(pdf)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    text.font(16, "B")
    pdf.multi_cell(width, 8, text.clean(_("Unterschriftenliste")), new_x="LMARGIN", new_y="NEXT")
    text.font(11)
    pdf.multi_cell(
        width,
        6,
        text.clean(f"{course_date.course.title} – {dates_text(course_date)}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if course_date.location_text:
        pdf.multi_cell(
            width, 6, text.clean(course_date.location_text), new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)
    name_width = 70
    cell_width = (width - name_width) / len(sessions)
    text.font(10, "B")
    pdf.cell(name_width, 8, text.clean(_("Name")), border=1)
    for session in sessions:
        pdf.cell(cell_width, 8, text.clean(f"{session.date:%d.%m.%Y}"), border=1, align="C")
    pdf.ln()
    text.font(10)
    for enrolment in attendance.participants(course_date):
        name = f"{enrolment.last_name}, {enrolment.first_name}"
        pdf.cell(name_width, 11, text.clean(name)[:40], border=1)
        for _session in sessions:
            pdf.cell(cell_width, 11, "", border=1)
        pdf.ln()
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="unterschriftenliste-{course_date.pk}.pdf"'
    )
    return response
