"""Wagtail's report "Suchbegriffe" for the staff who promote search results.

Wagtail opens its report to superusers only; the same report here opens to whoever
``staffauth.policy.may_see_search_terms`` names (the group Redaktion by its
search-promotion permissions, given by a migration)."""

from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

from home.spreadsheets import GermanSpreadsheetMixin
from staffauth.policy import may_see_search_terms


class SearchTermsView(GermanSpreadsheetMixin, SearchTermsReportView):
    index_url_name = "courses_search_terms"
    export_sheet_title = gettext_lazy("Suchbegriffe")
    index_results_url_name = "courses_search_terms_results"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_search_terms(request.user):
            return permission_denied(request)
        # skip the superuser check of the parent, keep everything else
        return super(SearchTermsReportView, self).dispatch(request, *args, **kwargs)
