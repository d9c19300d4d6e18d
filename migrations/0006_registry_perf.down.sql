DROP INDEX IF EXISTS persons_list_order_idx;
DROP INDEX IF EXISTS addresses_search_bigrams;
DROP FUNCTION IF EXISTS search_bigrams(text);
