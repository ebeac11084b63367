"""A readiness source in each language: the one text there was becomes the Russian one
(the language most akimat documents are written in), kk and en start empty."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("regions", "0007_region_published_on")]

    operations = [
        migrations.RenameField("readiness", "source", "source_ru"),
        migrations.AlterField(
            "readiness",
            "source_ru",
            models.CharField(blank=True, max_length=300, verbose_name="source (Russian)"),
        ),
        migrations.AddField(
            "readiness",
            "source_kk",
            models.CharField(blank=True, max_length=300, verbose_name="source (Kazakh)"),
        ),
        migrations.AddField(
            "readiness",
            "source_en",
            models.CharField(blank=True, max_length=300, verbose_name="source (English)"),
        ),
    ]
