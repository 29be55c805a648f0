from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from staffauth import policy

from . import lessons
from .certificate_admin import CERTIFICATE_POLICY, CertificateViewSet
from .models import Certificate

register_permission_policy(Certificate, CERTIFICATE_POLICY, exact_class=True)

# Course material seen through a trainer's or staff role needs the second factor.
hooks.register("before_serve_page", lessons.material_page_gate)
hooks.register("before_serve_document", lessons.material_document_gate)


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificateViewSet()


class TrainerAreaMenuItem(MenuItem):
    """From the admin to the trainer area, for those who train (and the staff, who
    see every date there)."""

    def is_shown(self, request):
        return policy.is_trainer(request.user) or policy.is_academy_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_trainer_area_menu_item():
    return TrainerAreaMenuItem(
        _("Trainerbereich: Teilnehmende und Anwesenheit"),
        reverse("learner:trainer"),
        name="trainer-area",
        icon_name="group",
        order=270,
    )


@hooks.register("course_page_sections")
def course_material_outline(context):
    """The course page shows its material's lesson titles (links for participants)."""
    from django.template.loader import render_to_string

    return render_to_string(
        "learning/includes/material_titles.html", context.flatten(), request=context.get("request")
    )


@hooks.register("enrolment_next_steps")
def learner_area_step(context):
    """After enrolling: where the dates, the material and the waitlist place are."""
    from django.template.loader import render_to_string

    return render_to_string(
        "learning/includes/next_step.html", context.flatten(), request=context.get("request")
    )


@hooks.register("enrolment_mail_context")
def learner_area_address(enrolment):
    """Mails about an enrolment name the learner area."""
    from django.urls import reverse

    from enrolment.tokens import absolute

    return {"learner_url": absolute(reverse("learner:home"))}


@hooks.register("personal_data_export")
def learning_personal_data(email, enrolments):
    """A person's data (staff export and the learner's own) includes account, lesson
    progress, self-checks, attendance and certificates."""
    from .learner import personal_data_sections

    return personal_data_sections(email, enrolments)
