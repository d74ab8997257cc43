-- The privacy notice is a page of the site now (/privacy): the identity links to it, so
-- that every email ends with where to read how the platform uses personal data. A link the
-- secretariat set already stays.
UPDATE prize_identity SET privacy_url = '/privacy' WHERE privacy_url = '';
