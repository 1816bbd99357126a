-- Several hub instances share one merge index (docs/cluster.md): every save of a merge_index
-- row takes the next number of merge_index_seq, and each instance reads the rows numbered
-- after the last one it has seen before it looks for a duplicate. A number taken by a
-- transaction that has not committed yet is a gap the reader asks for again.
create sequence merge_index_seq;
alter table merge_index add column seq bigint;
update merge_index set seq = nextval('merge_index_seq');
create index merge_index_seq_idx on merge_index (seq);
