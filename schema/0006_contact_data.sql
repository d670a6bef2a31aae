-- toegang schema: contact data that can change (issue 28, item 1). The
-- appointing WV gives their own e-mail address and phone number with the
-- HTB's (manual 3.2.3 "uw e-mailadres en uw telefoonnummer"); they are
-- kept with the appointment, and `htb set-contact` changes them as it
-- changes the HTB's own (htb.email, htb.phone).
ALTER TABLE htb ADD COLUMN wv_email TEXT NOT NULL DEFAULT '';
ALTER TABLE htb ADD COLUMN wv_phone TEXT NOT NULL DEFAULT '';
