-- toegang schema: the names people use for an application, beside its code
-- and its full name. The manual calls the application of the e-desk
-- "e-loket AMA WVG" and "Aanbod (van) arbeidsmatige activiteiten"; the
-- application of its worked example is "eVIPA". An alias is accepted
-- wherever an application is named (check, explain, users, the mutations'
-- --app / --right / --authorize, the HTTP service, the C API), compared
-- case-insensitively with runs of white space as one space; what is stored
-- and shown is always the code.
CREATE TABLE application_alias (
  alias       TEXT PRIMARY KEY COLLATE NOCASE,
  application TEXT NOT NULL REFERENCES application(code)
);
INSERT INTO application_alias VALUES
  ('e-loket AMA WVG', 'ama-wvg'),
  ('Aanbod van arbeidsmatige activiteiten', 'ama-wvg'),
  ('Aanbod arbeidsmatige activiteiten', 'ama-wvg'),
  ('eVIPA', 'vipa');
