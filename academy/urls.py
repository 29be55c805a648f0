import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from academy import views as academy_views
from home import media as home_media
from home import views as home_views
from news import feeds as news_feeds

urlpatterns = [
    path("healthz/", home_views.healthz, name="healthz"),
    path("ping/", academy_views.ping, name="ping"),
    path("readyz/", academy_views.readyz, name="readyz"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("django-admin/", admin.site.urls),
    # Second factor for staff: beside the admin, under its prefix (staffauth.middleware).
    path("admin/zwei-faktor/", include("staffauth.urls")),
    path("admin/", include(wagtailadmin_urls)),
    # Documents of private collections are never stored by browsers or proxies.
    re_path(r"^documents/(\d+)/(.*)$", academy_views.serve_document),
    path("documents/", include(wagtaildocs_urls)),
    path("anmeldung/", include("enrolment.urls")),
    path("lernen/", include("learning.learner_urls")),
    path("zertifikat/", include("learning.learner_verify_urls")),
    path("suche/", home_views.search, name="search"),
    path("feeds/aktuelles.rss", news_feeds.NewsRssFeed(), name="news_feed_rss"),
    path("feeds/aktuelles.atom", news_feeds.NewsAtomFeed(), name="news_feed_atom"),
    path(
        "feeds/aktuelles/<slug:category>.rss",
        news_feeds.NewsRssFeed(),
        name="news_category_feed_rss",
    ),
    path(
        "feeds/aktuelles/<slug:category>.atom",
        news_feeds.NewsAtomFeed(),
        name="news_category_feed_atom",
    ),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.SERVE_MEDIA_IMAGES:
    # Images (renditions and originals) from MEDIA_ROOT, those of private collections
    # only to who may see them; never documents, which only /documents/ serves.
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>(?:images|original_images)/[^/]+)$",
            home_media.serve_image,
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
