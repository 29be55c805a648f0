from wagtail.snippets.models import register_snippet

from .viewsets import PartnerViewSet, SearchSynonymViewSet

register_snippet(PartnerViewSet)
register_snippet(SearchSynonymViewSet)
