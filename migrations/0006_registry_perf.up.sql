-- Registry at a million people: indexes that keep search and export proportional to what they return.

-- A two-character part of an address (a two-character name is searched in addresses too, and so is a house
-- number such as 88) has no trigram, so the trigram index cannot narrow it and every address was read and
-- compared. The pairs of adjacent characters of the search text, in a GIN index, serve those searches;
-- three characters or more stay with the trigram index.
CREATE FUNCTION search_bigrams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}') FROM generate_series(1, length(t) - 1) AS i $$;
CREATE INDEX addresses_search_bigrams ON addresses USING gin (search_bigrams(search_text));

-- The population list without a query and its export are ordered by (pinyin, id) and the export pages by
-- keyset on that order: an index in that order reads one page at a time instead of sorting the whole scope.
CREATE INDEX persons_list_order_idx ON persons (name_pinyin, id);
