-- A clerk's desk lists its institution's requests (service_id), newest
-- first, then those older awaiting a decision: without these indexes each
-- read of a desk sorted the whole table.
CREATE INDEX requests_service ON requests (service_id, created_at);
CREATE INDEX requests_created ON requests (created_at);
