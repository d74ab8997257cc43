-- Texts people accept, versioned (the privacy notice, the entry's declaration and its
-- consent to publication, a juror's confirmation of being at least 16), and the record of
-- each acceptance: who, which version, in which language, when (UTC), on what occasion.
-- A text is one block per line (prize/domain/notices.py); older versions are kept.
-- No date of birth is stored anywhere: the schema never had one, and a juror confirms
-- their age instead (document 'age_16').
CREATE TABLE notice_versions (
    id INTEGER PRIMARY KEY,
    document TEXT NOT NULL CHECK (document IN ('privacy', 'declaration', 'publication', 'age_16')),
    version INTEGER NOT NULL CHECK (version >= 1),
    body_en TEXT NOT NULL CHECK (body_en != ''),
    body_fr TEXT NOT NULL CHECK (body_fr != ''),
    change_note TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    published_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (document, version)
);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    version INTEGER NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'fr')),
    accepted_at TEXT NOT NULL,
    occasion TEXT NOT NULL CHECK (occasion IN
        ('signup', 'sign_in', 'submission', 'invitation', 'profile', 'operator')),
    entry_id INTEGER REFERENCES entries(id) ON DELETE SET NULL,
    FOREIGN KEY (document, version) REFERENCES notice_versions(document, version)
);

CREATE INDEX consents_by_user ON consents(user_id, document, version);

INSERT INTO notice_versions (document, version, body_en, body_fr, change_note, published_at)
VALUES ('privacy', 1,
'# Who is responsible
The European Prize for Drug Prevention is a prize of the Pompidou Group of the Council of Europe. Its secretariat runs this platform and decides what is done with the personal data it holds. Write to the secretariat at the address given in the call for entries for any question about your data.
# What we hold about you
- Your account: your name, your email address, your language and a hash of your password (never the password itself).
- If you apply: your entry, the organisation and the contact person it names (name, email, phone), the files you attach, the history of your changes, and the emails we send you.
- If you are a juror or an advisor: your country, languages, organisation and expertise, a short introduction if you write one, your conflicts of interest, and your score sheets, justifications and comments.
- The record that you accepted this notice, the entry''s declaration or, for jurors, that you are at least 16, with the version and the time.
We do not store your date of birth. We do not use tracking, analytics or advertising cookies; the only cookie keeps you signed in and protects forms.
# Why, and on what legal basis
- To run the prize you applied to or were invited to: accounts, entries, screening, judging and results (performance of a contract, GDPR Art. 6(1)(b); Convention 108+ Art. 5(2)).
- To keep a fair and accountable record of who judged and who decided, and of what was sent (legitimate interest, GDPR Art. 6(1)(f)).
- To publish a good practice, a public image or the summary of an entry, only with your agreement, which you may withdraw (consent, GDPR Art. 6(1)(a)).
- To keep accounts safe: the address of a failed sign-in is kept for 15 minutes at most, to slow down password guessing (legitimate interest).
# Who sees it
Your contact details are never public. The jury reads entries without the contact person''s details. The names of jurors are never shown to the public or to applicants, nor which juror scored which entry. The secretariat sees what it needs to run the prize. Only the public text of a published good practice, which you approve, is public.
# How long we keep it
Your account is kept while it exists. Entries and score sheets are kept as the record of their edition; after the retention period the secretariat sets for an edition, the personal data of entries that were not published is erased. A published practice keeps its organisation, never its contact person. Backups are deleted on a schedule.
# Your rights
You may see and download everything the platform holds about you, have it corrected, ask for your account to be deleted, object to a processing or withdraw a consent you gave, by writing to the secretariat. When your account is deleted, what the prize''s record needs (a submitted score sheet, a published practice) stays without your name. If you think your rights were not respected, you may complain to the competent data protection supervisory authority.
# Changes to this notice
When this notice changes, you are asked to read and accept the new version the next time you log in. Earlier versions are kept.',
'# Qui est responsable
Le Prix européen de la prévention des drogues est un prix du Groupe Pompidou du Conseil de l’Europe. Son secrétariat gère cette plateforme et décide de l’usage des données personnelles qu’elle contient. Pour toute question sur vos données, écrivez au secrétariat à l’adresse indiquée dans l’appel à candidatures.
# Ce que nous conservons à votre sujet
- Votre compte : votre nom, votre adresse e-mail, votre langue et une empreinte de votre mot de passe (jamais le mot de passe lui-même).
- Si vous êtes candidat : votre candidature, l’organisation et la personne de contact qu’elle nomme (nom, e-mail, téléphone), les fichiers joints, l’historique de vos modifications et les e-mails que nous vous envoyons.
- Si vous êtes membre du jury ou conseiller : votre pays, vos langues, votre organisation et vos domaines d’expertise, une courte présentation si vous en écrivez une, vos conflits d’intérêts, ainsi que vos fiches d’évaluation, justifications et commentaires.
- La trace de votre acceptation de cette politique, de la déclaration de la candidature ou, pour les membres du jury, de votre confirmation d’avoir au moins 16 ans, avec la version et l’heure.
Nous ne conservons pas votre date de naissance. Nous n’utilisons ni traceurs, ni mesure d’audience, ni cookies publicitaires ; le seul cookie vous garde connecté et protège les formulaires.
# Pourquoi, et sur quelle base légale
- Pour organiser le prix auquel vous participez ou auquel vous êtes invité : comptes, candidatures, examen, évaluation et résultats (exécution d’un contrat, RGPD art. 6(1)(b) ; Convention 108+ art. 5(2)).
- Pour garder une trace juste et vérifiable de qui a évalué, de qui a décidé et de ce qui a été envoyé (intérêt légitime, RGPD art. 6(1)(f)).
- Pour publier une bonne pratique, une image publique ou le résumé d’une candidature, seulement avec votre accord, que vous pouvez retirer (consentement, RGPD art. 6(1)(a)).
- Pour protéger les comptes : l’adresse d’une connexion échouée est gardée 15 minutes au plus, pour freiner les tentatives de deviner un mot de passe (intérêt légitime).
# Qui y a accès
Vos coordonnées ne sont jamais publiques. Le jury lit les candidatures sans les coordonnées de la personne de contact. Les noms des membres du jury ne sont jamais montrés au public ni aux candidats, pas plus que le nom de la personne qui a noté telle candidature. Le secrétariat voit ce dont il a besoin pour organiser le prix. Seul le texte public d’une bonne pratique publiée, que vous approuvez, est public.
# Combien de temps nous les gardons
Votre compte est conservé tant qu’il existe. Les candidatures et les fiches d’évaluation sont gardées comme archives de leur édition ; au terme de la durée de conservation fixée par le secrétariat pour une édition, les données personnelles des candidatures non publiées sont effacées. Une pratique publiée garde son organisation, jamais sa personne de contact. Les sauvegardes sont supprimées selon un calendrier.
# Vos droits
Vous pouvez consulter et télécharger tout ce que la plateforme détient à votre sujet, le faire corriger, demander la suppression de votre compte, vous opposer à un traitement ou retirer un consentement donné, en écrivant au secrétariat. Quand votre compte est supprimé, ce dont les archives du prix ont besoin (une fiche d’évaluation envoyée, une pratique publiée) reste, sans votre nom. Si vous estimez que vos droits n’ont pas été respectés, vous pouvez saisir l’autorité de contrôle compétente en matière de protection des données.
# Modifications de cette politique
Quand cette politique change, il vous est demandé de lire et d’accepter la nouvelle version lors de votre prochaine connexion. Les versions précédentes sont conservées.',
'The first version.', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

INSERT INTO notice_versions (document, version, body_en, body_fr, change_note, published_at)
VALUES ('declaration', 1,
'I declare that the information in this entry is true.',
'Je déclare que les informations de ce dossier sont exactes.',
'The first version.', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

INSERT INTO notice_versions (document, version, body_en, body_fr, change_note, published_at)
VALUES ('publication', 1,
'We agree that a summary of this entry may be published as a good practice.',
'Nous acceptons qu’un résumé de ce dossier soit publié comme bonne pratique.',
'The first version.', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

INSERT INTO notice_versions (document, version, body_en, body_fr, change_note, published_at)
VALUES ('age_16', 1,
'I confirm that I am at least 16 years old.',
'Je confirme avoir au moins 16 ans.',
'The first version.', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

