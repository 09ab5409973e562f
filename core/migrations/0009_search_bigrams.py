"""search_bigrams(text): the distinct two-character pieces of a text, for the search's bigram indexes
(core.search.bigram_index). Immutable and strict, so that an index can hold it."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION search_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
    FROM generate_series(1, length(value) - 1) AS i
$$
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0008_notification_newest_index")]

    operations = [migrations.RunSQL(CREATE, "DROP FUNCTION IF EXISTS search_bigrams(text)")]
