"""The site search's own index (home/search_index.py) and the staff's synonyms.

The vocabulary is looked up by parts of words and by similar spelling: on PostgreSQL
through a trigram index (pg_trgm, migration 0003), on SQLite through an FTS5 table with
the trigram tokenizer that triggers keep equal to the vocabulary.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE home_searchword_trigram USING fts5(
        word, content='home_searchword', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER home_searchword_trigram_ai AFTER INSERT ON home_searchword BEGIN
        INSERT INTO home_searchword_trigram(rowid, word) VALUES (new.id, new.word); END""",
    """CREATE TRIGGER home_searchword_trigram_ad AFTER DELETE ON home_searchword BEGIN
        INSERT INTO home_searchword_trigram(home_searchword_trigram, rowid, word)
        VALUES ('delete', old.id, old.word); END""",
    """CREATE TRIGGER home_searchword_trigram_au AFTER UPDATE OF word ON home_searchword BEGIN
        INSERT INTO home_searchword_trigram(home_searchword_trigram, rowid, word)
        VALUES ('delete', old.id, old.word);
        INSERT INTO home_searchword_trigram(rowid, word) VALUES (new.id, new.word); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS home_searchword_trigram_au",
    "DROP TRIGGER IF EXISTS home_searchword_trigram_ad",
    "DROP TRIGGER IF EXISTS home_searchword_trigram_ai",
    "DROP TABLE IF EXISTS home_searchword_trigram",
]
POSTGRES_FORWARD = [
    "CREATE INDEX home_searchword_trigram ON home_searchword USING gin (word gin_trgm_ops)"
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS home_searchword_trigram"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0004_move_news'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(help_text='So suchen Besucherinnen und Besucher, z. B. „Bäcker“.', max_length=60, unique=True, verbose_name='Suchwort')),
                ('synonyms', models.TextField(help_text='So steht es auf der Website, durch Kommas getrennt, z. B. „Lebensmittelhandwerk, Nahrungsmittel“.', max_length=600, verbose_name='Gleichbedeutende Begriffe')),
            ],
            options={
                'verbose_name': 'Synonym für die Suche',
                'verbose_name_plural': 'Synonyme für die Suche',
                'ordering': ['term'],
            },
        ),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=60, unique=True)),
                ('form', models.CharField(max_length=60)),
                ('doc_count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'Suchwort',
                'verbose_name_plural': 'Suchwörter',
            },
        ),
        migrations.CreateModel(
            name='SearchPosting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weight', models.FloatField()),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                ('word', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='postings', to='home.searchword')),
            ],
            options={
                'indexes': [models.Index(fields=['page'], name='home_searchposting_page')],
                'constraints': [models.UniqueConstraint(fields=('word', 'page'), name='home_searchposting_unique')],
            },
        ),
        migrations.RunPython(
        _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
        _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
    ),
]
