-- Version 1 of the declaration and of the consent to publication is the wording the
-- default application form shows, in both languages (0050 had another French wording,
-- which no form ever showed). From now on, a submission records the wording of its own
-- edition's form, and a form whose wording differs makes a new version (prize.store.consent).
UPDATE notice_versions
SET body_fr = 'Je déclare que les informations contenues dans cette candidature sont exactes.'
WHERE document = 'declaration' AND version = 1;

UPDATE notice_versions
SET body_fr = 'Nous acceptons qu’un résumé de cette candidature soit publié en tant que bonne pratique.'
WHERE document = 'publication' AND version = 1;
