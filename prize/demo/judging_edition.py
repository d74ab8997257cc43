"""Demo: an edition in judging, the year before the open one.

Thirty-two invented projects (each marked as a demo example) from many countries, all
eligible, assigned to the nine demo jurors (three per entry, no conflicts) by the real
assignment solver, released, with about half of the score sheets submitted and a few
drafts. Scores are drawn from a fixed seed, so the demo is the same every time; loading
it twice changes nothing (the edition is created once, with everything in it).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from prize.clock import Clock
from prize.demo.accounts import ENTRANTS_EMAIL
from prize.demo.open_edition import _deadline
from prize.domain.assignment import assign_edition
from prize.domain.editions import DEFAULT_CRITERIA, default_edition
from prize.domain.entries import Application, Participation
from prize.store import editions, entries, jury, scoring, users
from prize.store import identity as identity_store
from prize.store.db import Database

OWNER_EMAIL = ENTRANTS_EMAIL

# (title, organisation, country, city, settings, target groups, substances, what they do)
PROJECTS = (
    ("Night Owls", "Safer Nights Collective", "NL", "Utrecht", ["nightlife"], ["young_adults"],
     ["alcohol", "illegal_drugs"], "peer volunteers staff a calm space at festivals"),
    ("Street Lab", "Jovens em Movimento", "PT", "Lisbon", ["community"], ["adolescents"],
     ["cannabis"], "teenagers run a street-art workshop about pressure and choices"),
    ("Clear Heads", "Youth Council of Galway", "IE", "Galway", ["school"], ["adolescents"],
     ["alcohol"], "students design alcohol-free school events with the council"),
    ("Pixel Pause", "Gamers for Balance", "FI", "Tampere", ["online"], ["young_adolescents"],
     ["behaviours"], "young gamers create videos about gaming and sleep"),
    ("Kitchen Table Talks", "Familienetz Wien", "AT", "Vienna", ["family"], ["parents"],
     ["alcohol", "tobacco"], "parents and teenagers practise difficult conversations"),
    ("Breathe Free", "Liga Juventud Sevilla", "ES", "Seville", ["sport"], ["adolescents"],
     ["tobacco"], "football teams adopt smoke-free pitches chosen by the players"),
    ("Second Chance Studio", "Atelier Ripartenza", "IT", "Turin", ["criminal_justice"],
     ["young_adults"], ["illegal_drugs"], "young offenders record a podcast with mentors"),
    ("Mind the Gap", "Bridges Youth Trust", "GB", "Leeds", ["community"], ["young_adults"],
     ["cannabis"], "care leavers train as peer mentors for new care leavers"),
    ("Balkan Beats Without Booze", "Mladi za Mlade", "HR", "Split", ["nightlife"],
     ["young_adults"], ["alcohol"], "students organise alcohol-free summer concerts"),
    ("Quiet Rooms", "Stowarzyszenie Horyzont", "CZ", "Brno", ["school"], ["young_adolescents"],
     ["medicines"], "pupils map stress at school and set up quiet rooms"),
    ("Village Voices", "Tineri pentru Comunitate", "RO", "Cluj-Napoca", ["community"],
     ["adolescents"], ["alcohol"], "rural youth clubs hold needs surveys and plan activities"),
    ("Open Lines", "Baltic Youth Helpline", "LT", "Vilnius", ["online"], ["adolescents"],
     ["illegal_drugs"], "trained young volunteers answer an anonymous chat line"),
    ("Fresh Start Gym", "Sportklubb Ungdom", "SE", "Malmö", ["sport"], ["young_adults"],
     ["illegal_drugs"], "a free evening gym run with young people in recovery"),
    ("Parents in the Loop", "Forældrenetværket", "DK", "Aarhus", ["family"], ["parents"],
     ["alcohol"], "parent groups agree shared rules for parties with their teenagers"),
    ("Campus Compass", "Studentenwerk Gent", "BE", "Ghent", ["school"], ["young_adults"],
     ["cannabis", "medicines"], "first-year students co-write a survival guide"),
    ("Sound Minds", "Ungdomshuset Bergen", "NO", "Bergen", ["community"], ["adolescents"],
     ["alcohol"], "teenagers produce music and lyrics about their own stories"),
    ("Peer Pods", "Nuori Ääni", "EE", "Tartu", ["online"], ["adolescents"], ["tobacco"],
     "students make short vaping myth-busting clips for class chats"),
    ("Harbour Hub", "Kyrenia Youth Centre", "CY", "Limassol", ["community"], ["adolescents"],
     ["alcohol", "cannabis"], "a harbour youth hub with evening activities led by teens"),
    ("Rising Together", "Tinerii Moldovei", "MD", "Chișinău", ["school"],
     ["young_adolescents"], ["tobacco", "alcohol"], "older pupils coach younger ones"),
    ("Mountain Paths", "Planinska mladina", "ME", "Podgorica", ["sport"], ["adolescents"],
     ["alcohol"], "hiking weekends planned and led by young people"),
    ("Speak Up Stage", "Théâtre des Jeunes", "LU", "Esch-sur-Alzette", ["school"],
     ["adolescents"], ["cannabis"], "forum theatre written and played by students"),
    ("Safe Ride Home", "Jugendnetz Bern", "CH", "Bern", ["nightlife"], ["young_adults"],
     ["alcohol"], "young volunteers run a night bus and talk with passengers"),
    ("Digital Detox Days", "Mladinski center Novo mesto", "HR", "Zagreb", ["online"],
     ["young_adolescents"], ["behaviours"], "pupils plan screen-free days for their school"),
    ("Family Compass", "Anatolian Youth Association", "TR", "Izmir", ["family"],
     ["parents", "adolescents"], ["tobacco"], "young facilitators run family evenings"),
    ("Workplace Starters", "Apprentice Network Ireland", "IE", "Limerick", ["workplace"],
     ["young_adults"], ["alcohol", "cannabis"], "apprentices build a peer support scheme"),
    ("Clinic Companions", "Jeunes et Santé", "BE", "Liège", ["health_care"], ["young_adults"],
     ["medicines"], "young people accompany peers to their first clinic visits"),
    ("Riverbank Club", "Dunaj Youth", "SK", "Bratislava", ["community"], ["adolescents"],
     ["alcohol", "tobacco"], "a riverside youth club redesigned by its members"),
    ("Courtside Mentors", "Hoops Against Harm", "LV", "Riga", ["sport"], ["adolescents"],
     ["cannabis"], "basketball players mentor younger team members"),
    ("Lights On", "Youth Forum Skopje", "MK", "Skopje", ["nightlife"], ["young_adults"],
     ["illegal_drugs"], "young people map safe routes and venues at night"),
    ("Stories We Carry", "Armenian Youth Initiative", "AM", "Yerevan", ["school"],
     ["adolescents"], ["tobacco"], "students collect and share family stories about smoking"),
    ("Green Corners", "Ungdomsrådet Umeå", "SE", "Umeå", ["environmental"], ["children"],
     ["alcohol", "tobacco"], "children and teens redesign parks with their municipality"),
    ("Kitchen Cabinet", "Youth Policy Lab Cardiff", "GB", "Cardiff", ["community"],
     ["young_adults"], ["alcohol"], "a youth panel advises the city on alcohol licensing"),
)

# A short phrase per criterion and level band (low 0-1, middle 2-3, high 4-5).
REMARKS = {
    "youth_participation": ("young people mostly receive the activities",
                            "young people run the delivery but adults keep the decisions",
                            "young people decide and lead from the needs survey onwards"),
    "needs_evidence": ("the needs are assumed rather than shown",
                       "a local survey exists but the link to evidence is loose",
                       "the survey and the literature review clearly shape the design"),
    "objectives": ("the aims are too general to check",
                   "the objectives are sensible though only partly measurable",
                   "each objective is measurable and matched by an activity"),
    "evaluation": ("only attendance figures are reported",
                   "participant feedback is collected but effects are unclear",
                   "a before-and-after evaluation shows a clear effect"),
    "innovation": ("the approach is common practice",
                   "there are fresh elements in a familiar approach",
                   "the approach is original and others will want to copy it"),
    "sustainability": ("the project depends on one short grant",
                       "some partners are committed but funding is uncertain",
                       "the municipality and schools have built it into their plans"),
    "ethics": ("consent and confidentiality are not addressed",
               "consent is handled, though stigma gets little attention",
               "ethics are thought through and young people helped shape them"),
    "transferability": ("it depends on unique local circumstances",
                        "it could be repeated with some effort",
                        "the open toolkit makes it easy to adapt elsewhere"),
}

OVERALL = (
    "A promising project with real youth leadership; the evaluation needs strengthening.",
    "Solid and well run, though the approach is familiar and the results modest.",
    "An inspiring example of young people leading prevention work in their own community.",
    "Good intentions, but the application says little about effects or continuation.",
)


def _application(number: int, project: tuple) -> Application:
    title, organisation, country, city, settings, groups, substances, doing = project
    text = f"A demo example. In {title}, {doing}."
    return Application(
        org_name=f"{organisation} (demo)", org_type="youth_group", country=country, city=city,
        website="https://example.org", contact_name="Demo Contact",
        contact_email=f"contact{number}@example.org", title=f"{title} (demo example)",
        language="en", start_date="2023-09-01", running="yes",
        summary=f"{text} The project began after young people asked for it.",
        goals=f"To reduce early use among young people in {city} by involving them fully.",
        target_groups=groups, settings=settings, levels=["universal"], substances=substances,
        young_people=30 + number * 7, adults=2 + number % 5, people_reached=300 + number * 45,
        needs_assessment=f"Young people in {city} ran a survey with {120 + number * 9} peers.",
        aims=f"{text} Young people plan, deliver and evaluate each activity.",
        activities=f"{text} Weekly sessions, a yearly event and an online channel.",
        youth_participation="Young people sit on the steering group and lead the sessions.",
        participation_grid={
            "needs": Participation(involved=True, how="They designed the survey."),
            "delivery": Participation(involved=True, how="They lead the sessions."),
        },
        evaluation="Questionnaires before and after each cycle, analysed with a university.",
        sustainability="Partnership agreements with the municipality and two schools.",
        ethics="Written consent, anonymous data and a referral path for anyone at risk.",
        consent_publication=True, declaration=True,
    )


def _justification(key: str, score: int) -> str:
    criterion = next(c for c in DEFAULT_CRITERIA if c.key == key)
    band = 0 if score <= 1 else (1 if score <= 3 else 2)
    return f"{criterion.rubric_for(score)} Here {REMARKS[key][band]}."


async def load(db: Database, clock: Clock) -> None:
    now = clock()
    year = _deadline(now).year - 1
    existing = await editions.by_year(db, year)
    if existing is not None:
        if existing.status == "judging" and not await jury.assignment_of(db, existing.id):
            await _assign_and_score(db, existing.id, now)  # an earlier load stopped half-way
        return
    # The entrants' account is one of the demo accounts (prize.demo.accounts, loaded
    # first): it takes the demo password, so its entries' public pages can be approved.
    owner = await users.by_email(db, OWNER_EMAIL)
    if owner is None:
        raise RuntimeError(f"load the demo accounts first: {OWNER_EMAIL} is missing")
    async with db.transaction() as conn:
        owner_id = owner.id
        identity = await identity_store.get(db)
        edition = default_edition(year, identity=identity).model_copy(update={
            "status": "judging",
            "opens_at": now - timedelta(days=330),
            "closes_at": now - timedelta(days=150),
            "judging_ends_at": now + timedelta(days=30),
        })
        edition_id = await editions.insert(conn, edition, now)
        for number, project in enumerate(PROJECTS, start=1):
            entry_id = await entries.create(conn, edition_id=edition_id, owner_id=owner_id,
                                            application=_application(number, project), now=now)
            await entries.assign_reference(conn, entry_id, year)
            await entries.set_status(conn, entry_id, "eligible", now=now, submitted=True)
        for juror_id in await users.juror_ids_matching(conn, "juror_@demo.prize"):
            await jury.add_active_juror(conn, edition_id, juror_id, now)
    await _assign_and_score(db, edition_id, now)


async def _assign_and_score(db: Database, edition_id: int, now: datetime) -> None:
    judged, jurors = await jury.for_assignment(db, edition_id)
    if len(jurors) < 3:
        return
    assignment = assign_edition(judged, jurors, per_entry=3)
    rng = random.Random(2025)
    quality = {entry.id: rng.uniform(-1.2, 1.2) for entry in judged}
    bias = {juror.id: rng.uniform(-0.7, 0.7) for juror in jurors}
    async with db.transaction() as conn:
        await jury.replace_assignment(conn, edition_id, dict(
            ((juror_id, entry_id), assignment.affinity[(juror_id, entry_id)])
            for juror_id, entry_id in assignment.pairs), now)
        await jury.release(conn, edition_id, now)
        for place, (juror_id, entry_id) in enumerate(sorted(assignment.pairs)):
            roll = rng.random()
            if roll > 0.62:
                continue  # not started yet
            submitted = roll < 0.52
            criteria = DEFAULT_CRITERIA if submitted else DEFAULT_CRITERIA[:3]
            scores: dict[str, scoring.CriterionScore] = {}
            for criterion in criteria:
                raw = 2.8 + quality[entry_id] + bias[juror_id] + rng.gauss(0, 0.7)
                score = max(0, min(5, round(raw)))
                scores[criterion.key] = scoring.CriterionScore(
                    score=score, justification=_justification(criterion.key, score))
            await scoring.save(
                conn, entry_id=entry_id, juror_id=juror_id, expected_version=0,
                sheet=scoring.SheetInput(
                    scores=scores,
                    overall_comment=OVERALL[place % len(OVERALL)] if submitted else ""),
                now=now, submit=submitted)
