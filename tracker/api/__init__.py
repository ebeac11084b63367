"""The open-data API, /api/v1/: regions, departments, services and report figures.

Anyone may read what a region's digital office has published as open data
(``Region.published_on``); a user with a key (``ApiToken``, made in the admin) reads
besides what their memberships let them see in the admin, published or not — every row
filtered by a named question of ``regions.access`` (``filter_open_*``). Everyone gets the
same public fields (serializers.py): never evidence, blockers, comments, people, claims
or history. JSON or CSV (``?format=csv``), a page at a time, throttled per address and
per user, described by an OpenAPI schema and a Swagger UI served from this server, and
by ``/api/v1/meta/`` with every field's title in Kazakh, Russian and English.

Its token table is the ``tracker`` app's (models.py here is imported by tracker/models.py),
so the package needs no app of its own.
"""
