"""The "Termine" tab of the course editor: the course's dates, as stored now.

Dates are rows of their own, not part of the page form (or its revisions): this
panel lists them with their seats and links to the date editor.
"""

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.panels import Panel

DATE_URL_NAMESPACE = "course_dates"


def date_url(action: str, *args) -> str:
    return reverse(f"{DATE_URL_NAMESPACE}:{action}", args=args)


class CourseDatesPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/course_dates_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            course = self.instance
            dates = list(course.dates.order_by("start", "pk")) if course.pk else []
            user = self.request.user
            may_add = user.has_perm("courses.add_coursedate")
            may_change = user.has_perm("courses.change_coursedate")
            for date in dates:
                date.edit_url = date_url("edit", date.pk) if may_change else ""
            context.update(
                course=course,
                dates=dates,
                add_url=(
                    f"{date_url('add')}?{urlencode({'course': course.pk})}"
                    if course.pk and may_add
                    else ""
                ),
                list_url=(
                    f"{date_url('list')}?{urlencode({'course': course.pk})}" if course.pk else ""
                ),
            )
            return context
