from wagtail.snippets.models import register_snippet

from .viewsets import PartnerViewSet

register_snippet(PartnerViewSet)
