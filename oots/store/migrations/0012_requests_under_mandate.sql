-- Requests made under a mandate (issue 13): the request belongs to the
-- represented person (owner) and is made by the representative, who sees
-- it too. The represented person's eIDAS attributes, kept with the mandate
-- they gave, are the subject of the EDM QueryRequest.
ALTER TABLE requests ADD COLUMN representative TEXT NOT NULL DEFAULT '';
CREATE INDEX requests_representative ON requests (representative, created_at);
ALTER TABLE mandates ADD COLUMN represented_given_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mandates ADD COLUMN represented_family_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mandates ADD COLUMN represented_date_of_birth TEXT NOT NULL DEFAULT '';
