"""Spelling-tolerant site search on PostgreSQL needs pg_trgm (trigram similarity).

Django's CreateExtension does nothing on other databases (SQLite in development).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("home", "0002_news")]

    operations = [TrigramExtension()]
