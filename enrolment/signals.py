"""Reactions to what editors do in the catalogue (wired in EnrolmentConfig.ready)."""

from django.db import transaction
from django.db.models.signals import pre_save

from courses.models import CourseDate, CoursePage


def keep_seat_counter(sender, instance, raw=False, **kwargs):
    """An editor's save (or a revision published later) carries a copy of
    ``seats_confirmed`` that may be stale; the counter belongs to the services,
    so the stored value always wins."""
    if raw or instance.pk is None:
        return
    queryset = CourseDate.objects.filter(pk=instance.pk)
    if transaction.get_connection().in_atomic_block:
        queryset = queryset.select_for_update()
    current = queryset.values_list("seats_confirmed", flat=True).first()
    if current is not None:
        instance.seats_confirmed = current


def course_published(sender, instance, **kwargs):
    from . import services

    for pk in CourseDate.objects.filter(course_id=instance.pk).values_list("pk", flat=True):
        services.sync_course_date(pk)


def connect():
    from wagtail.signals import page_published

    pre_save.connect(keep_seat_counter, sender=CourseDate, dispatch_uid="enrolment_keep_seats")
    page_published.connect(course_published, sender=CoursePage, dispatch_uid="enrolment_publish")
