"""Demo: two published past editions and their public good practices.

2021 holds the three real winners, described from public facts in our own words.
2024 holds invented but realistic projects, each marked in its text as a demo example.
Loading twice changes nothing: an edition or a practice that exists is left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prize.clock import Clock
from prize.domain.editions import default_edition
from prize.domain.practices import Figures, PublicText
from prize.store import editions, jury, users
from prize.store import practices as store
from prize.store.db import Database

DEMO = "This is a demo example: an invented project, not a real entry."

EDITIONS = {
    2021: {
        "theme": "Youth Innovation in Drug Prevention",
        "opens_at": datetime(2020, 11, 1, tzinfo=UTC),
        "closes_at": datetime(2021, 4, 30, 21, 59, tzinfo=UTC),
    },
    2024: {
        "theme": "Youth Innovation in Drug Prevention",
        "opens_at": datetime(2023, 11, 1, tzinfo=UTC),
        "closes_at": datetime(2024, 5, 30, 21, 59, tzinfo=UTC),
    },
}

# (year, award, country, countries, settings, levels, target groups, substances, text)
PRACTICES: list[tuple[int, str, str, list[str], list[str], list[str], list[str], list[str],
                      dict[str, str]]] = [
    (2021, "winner", "BE", ["BE"], ["community", "sport"], ["universal", "selective"],
     ["adolescents", "young_adults"], ["alcohol", "cannabis", "illegal_drugs"], {
        "title": "S.A.M.E.N.",
        "organisation": "S.A.M.E.N. youth project",
        "city": "",
        "summary": "A multidisciplinary youth project in Belgium whose name means "
                   "\"together\". It rests on shared responsibility and ownership: young "
                   "people work bottom-up with peers and role models to reduce the use of "
                   "legal and illegal drugs, to offer alternatives, and to limit harm.",
        "key_facts": "Winner of the European Prize for Drug Prevention 2021\n"
                     "Awarded in Paris at the Pompidou Group's 50th anniversary",
        "activities": "Peer-led activities built with role models from the young people's "
                      "own neighbourhoods, alternatives to drug use, and harm-reduction "
                      "messages.",
        "youth_participation": "Young people share responsibility for the project and own "
                               "it: the work grows from the bottom up, with peers.",
        "evaluation": "",
        "jury_statement": "",
    }),
    (2021, "winner", "PL", ["PL"], ["online", "nightlife"], ["selective"],
     ["young_adults"], ["illegal_drugs"], {
        "title": "TripApp",
        "organisation": "TripApp",
        "city": "",
        "summary": "A mobile app that gives honest and reliable information about drugs: "
                   "drug-checking results, harm-reduction services, safer-use information "
                   "and drug law, with real-time alerts about dangerous substances.",
        "key_facts": "Winner of the European Prize for Drug Prevention 2021\n"
                     "Available in 15 languages",
        "activities": "The app publishes drug checking results and risk alerts as they "
                      "arrive, lists harm-reduction services, and explains the law.",
        "youth_participation": "",
        "evaluation": "",
        "jury_statement": "",
    }),
    (2021, "winner", "LT", ["LT"], ["school", "community"], ["universal"],
     ["young_adolescents", "adolescents"], ["alcohol", "tobacco", "illegal_drugs"], {
        "title": "Operation Snowball",
        "organisation": "Operation Snowball Lithuania",
        "city": "",
        "summary": "A youth prevention programme that raises awareness of the effects of "
                   "psychoactive substances and makes young people responsible for passing "
                   "the message on to others, so that it grows like a snowball.",
        "key_facts": "Winner of the European Prize for Drug Prevention 2021",
        "activities": "Awareness activities about psychoactive substances, after which "
                      "participants carry the message to their peers.",
        "youth_participation": "Young people are responsible for spreading the prevention "
                               "message themselves.",
        "evaluation": "",
        "jury_statement": "",
    }),
    (2024, "winner", "IE", ["IE"], ["school"], ["universal"],
     ["young_adolescents", "adolescents"], ["alcohol", "cannabis"], {
        "title": "Peer Talk Cork: students lead drug education",
        "organisation": "Cork Youth Voices (demo)",
        "city": "Cork",
        "summary": "Trained secondary-school students run short, honest sessions about "
                   "alcohol and cannabis for younger pupils, using scenarios they wrote "
                   f"themselves. {DEMO}",
        "key_facts": "Running since 2019\n120 peer educators trained\n4,000 pupils reached",
        "activities": "Peer educator training weekends, classroom sessions in pairs, and a "
                      "yearly student conference on prevention.",
        "youth_participation": "Students designed the needs survey, wrote every scenario, "
                               "deliver the sessions and sit on the steering group.",
        "evaluation": "A pre and post survey in twelve schools showed better knowledge and "
                      "more confidence to refuse alcohol.",
        "jury_statement": "Young people lead this project from the first survey to the last "
                          "session.",
    }),
    (2024, "winner", "PT", ["PT", "ES"], ["nightlife"], ["selective"],
     ["young_adults"], ["alcohol", "illegal_drugs"], {
        "title": "Safer Nights Lisbon: a nightlife safety project designed with young people",
        "organisation": "Lisbon Night Care Network (demo)",
        "city": "Lisbon",
        "summary": "The municipality, club owners and young volunteers designed a nightlife "
                   "safety plan together: chill-out spaces, free water, trained bar staff "
                   f"and peer outreach teams. {DEMO}",
        "key_facts": "Running since 2020\n35 venues signed the charter",
        "activities": "Peer outreach teams at weekends, staff training on overdose and "
                      "drink spiking, and a night charter for venues.",
        "youth_participation": "Young volunteers mapped risks in the night-time economy and "
                               "co-wrote the venue charter.",
        "evaluation": "Ambulance call-outs from partner venues fell during the first two "
                      "seasons.",
        "jury_statement": "",
    }),
    (2024, "winner", "SI", ["SI"], ["online", "school"], ["universal"],
     ["adolescents"], ["cannabis", "tobacco"], {
        "title": "Scroll Smart: an online prevention campaign made by students",
        "organisation": "Ljubljana Student Media Club (demo)",
        "city": "Ljubljana",
        "summary": "Students made short videos and posts that question myths about "
                   f"cannabis and vaping, and answer their peers' questions online. {DEMO}",
        "key_facts": "60 videos made by students\n250,000 views in the first year",
        "activities": "Video workshops, a question box answered by students with health "
                      "professionals, and school screenings.",
        "youth_participation": "Students choose the topics, script, film and moderate "
                               "every post.",
        "evaluation": "An online survey of viewers and focus groups in schools.",
        "jury_statement": "",
    }),
    (2024, "special_mention", "FR", ["FR"], ["criminal_justice", "community"],
     ["selective"], ["adolescents"], ["cannabis"], {
        "title": "Club Horizon: community policing and a youth club together",
        "organisation": "Association Horizon Strasbourg (demo)",
        "city": "Strasbourg",
        "summary": "Neighbourhood police officers and youth workers run weekly sport and "
                   f"discussion evenings with young people at risk. {DEMO}",
        "key_facts": "Running since 2018\nWeekly evenings, 80 regular participants",
        "activities": "Football, boxing and debate evenings; referral to support services.",
        "youth_participation": "A youth council plans the programme and chooses the debate "
                               "topics.",
        "evaluation": "Participants report more trust in the police and less cannabis use.",
        "jury_statement": "",
    }),
    (2024, "special_mention", "DE", ["DE", "AT"], ["family"], ["universal"],
     ["parents", "children"], ["alcohol", "behaviours"], {
        "title": "Family Table: young people coach parents about screens and alcohol",
        "organisation": "Jugendring Leipzig (demo)",
        "city": "Leipzig",
        "summary": "Teenagers prepare evening workshops where parents practise talking "
                   f"about alcohol, gaming and online risks with their children. {DEMO}",
        "key_facts": "300 families took part",
        "activities": "Parent evenings, role-play cards written by teenagers, a short guide.",
        "youth_participation": "Teenagers wrote the role plays and co-lead each evening.",
        "evaluation": "Parents report more frequent conversations after three months.",
        "jury_statement": "",
    }),
    (2024, "shortlisted", "MA", ["MA"], ["community", "sport"], ["universal"],
     ["children", "young_adolescents"], ["volatile", "tobacco"], {
        "title": "Terrain Libre: street football against solvent sniffing",
        "organisation": "Association Jeunes Rabat (demo)",
        "city": "Rabat",
        "summary": "Older teenagers coach street football teams of younger children and "
                   f"talk with them about solvents and tobacco. {DEMO}",
        "key_facts": "18 teams, 250 children",
        "activities": "Football training twice a week, tournaments, health talks.",
        "youth_participation": "Teenage coaches run the teams and the talks.",
        "evaluation": "Attendance records and interviews with families.",
        "jury_statement": "",
    }),
    (2024, "shortlisted", "GR", ["GR"], ["community"], ["selective"],
     ["adolescents", "young_adults"], ["alcohol", "cannabis"], {
        "title": "Scouts for Prevention: peer camps in Thessaloniki",
        "organisation": "Thessaloniki Scouts (demo)",
        "city": "Thessaloniki",
        "summary": "Scout leaders aged 18 to 24 run weekend camps with prevention "
                   f"workshops for young people from the city's outskirts. {DEMO}",
        "key_facts": "12 camps a year",
        "activities": "Outdoor camps with workshops on decisions, alcohol and cannabis.",
        "youth_participation": "Young leaders design the workshops and evaluate each camp.",
        "evaluation": "Feedback forms and a follow-up meeting after each camp.",
        "jury_statement": "",
    }),
    (2024, "shortlisted", "IS", ["IS"], ["community", "sport"], ["environmental"],
     ["young_adolescents", "parents"], ["alcohol", "tobacco"], {
        "title": "Evenings Out: a youth council rethinks leisure in Reykjavík",
        "organisation": "Reykjavík Youth Forum (demo)",
        "city": "Reykjavík",
        "summary": "The municipal youth council surveyed its peers and opened free evening "
                   f"activities in sport and music, with parents' walks at night. {DEMO}",
        "key_facts": "Survey of 2,000 young people",
        "activities": "Free leisure clubs, parents' night walks, curfew information.",
        "youth_participation": "The youth council ran the survey and chose the activities.",
        "evaluation": "The yearly youth survey follows drinking and smoking rates.",
        "jury_statement": "",
    }),
    (2024, "shortlisted", "HR", ["HR"], ["health_care", "school"], ["indicated"],
     ["adolescents"], ["medicines", "illegal_drugs"], {
        "title": "Early Signals: school nurses and peer mentors in Zagreb",
        "organisation": "Zagreb Youth Health Centre (demo)",
        "city": "Zagreb",
        "summary": "School nurses and trained peer mentors support pupils who have started "
                   f"misusing medicines or other drugs, before problems grow. {DEMO}",
        "key_facts": "Mentoring for 90 pupils a year",
        "activities": "Brief interventions by nurses, weekly mentoring by older pupils.",
        "youth_participation": "Peer mentors helped design the referral pathway.",
        "evaluation": "Case reviews and a yearly anonymous survey.",
        "jury_statement": "",
    }),
    (2024, "shortlisted", "NO", ["NO"], ["workplace"], ["universal"],
     ["young_adults"], ["alcohol"], {
        "title": "First Job, Clear Head: apprentices on alcohol at work",
        "organisation": "Bergen Apprentice Union (demo)",
        "city": "Bergen",
        "summary": "Apprentices in construction and hospitality made a short course on "
                   f"alcohol and safety for new colleagues. {DEMO}",
        "key_facts": "Used by 40 employers",
        "activities": "A half-day course led by apprentices, posters and a workplace pledge.",
        "youth_participation": "Apprentices wrote and deliver the course.",
        "evaluation": "Course feedback and employers' incident reports.",
        "jury_statement": "",
    }),
    (2024, "shortlisted", "ES", ["ES"], ["school", "online"], ["universal"],
     ["young_adolescents"], ["behaviours", "alcohol"], {
        "title": "Juega Limpio: pupils design a game about betting and alcohol",
        "organisation": "Instituto Valencia Norte student council (demo)",
        "city": "Valencia",
        "summary": "Pupils designed a board game and an online quiz about sports betting, "
                   f"alcohol advertising and peer pressure; a prevention tool for schools. {DEMO}",
        "key_facts": "Played in 30 schools",
        "activities": "Game design workshops, tournaments between classes, a teacher guide.",
        "youth_participation": "Pupils designed the rules, the questions and the artwork.",
        "evaluation": "Class surveys before and after playing.",
        "jury_statement": "",
    }),
]

JURY_SIZE = 7


async def load(db: Database, clock: Clock) -> None:
    now = clock()
    for year, dates in EDITIONS.items():
        if await editions.by_year(db, year) is None:
            edition = default_edition(year).model_copy(update={
                "status": "published", "jurors_per_entry": None, **dates,
            })
            async with db.transaction() as conn:
                await editions.insert(conn, edition, now)
    async with db.transaction() as conn:
        for year in EDITIONS:
            edition_id = await editions.id_of_year(conn, year)
            await _jury(conn, edition_id, now)
            for (p_year, award, country, countries, settings, levels, groups, substances,
                 text) in PRACTICES:
                if p_year != year:
                    continue
                public = PublicText(settings=settings, levels=levels, target_groups=groups,
                                    **text)
                if await store.has_title(conn, edition_id, public.title):
                    continue
                practice_id = await store.create(
                    conn, edition_id=edition_id, year=year, award=award, text=public,
                    country=country, countries=countries, substances=substances, now=now,
                    status="published",
                )
                figures = FIGURES.get(public.title.split(":")[0])
                if figures:
                    await store.set_figures(conn, practice_id, Figures(
                        young_people=figures[0], adults=figures[1],
                        people_reached=figures[2], running_since=figures[3]))


# Key figures shown as tiles on the practice pages (invented, like the projects): young
# people involved, adults involved, people reached, running since. By title, up to a colon.
FIGURES: dict[str, tuple[int | None, int | None, int | None, int | None]] = {
    "S.A.M.E.N.": (60, 12, 2_500, 2016),
    "TripApp": (25, 6, 40_000, 2018),
    "Operation Snowball": (120, 30, 3_000, 2014),
    "Peer Talk Cork": (48, 5, 1_900, 2021),
    "Safer Nights Lisbon": (35, 20, 12_000, 2020),
    "Scroll Smart": (22, 3, 85_000, 2022),
    "Club Horizon": (40, 8, 600, 2019),
    "Family Table": (30, 4, 450, 2021),
    "Terrain Libre": (70, 9, 900, 2017),
    "Scouts for Prevention": (90, 15, 1_200, 2019),
    "Evenings Out": (18, 6, 5_000, 2022),
    "Early Signals": (26, 14, 700, 2020),
    "First Job, Clear Head": (32, 7, 1_100, 2022),
    "Juega Limpio": (28, 4, 3_400, 2023),
}


async def _jury(conn, edition_id: int, now: datetime) -> None:
    """The past edition's jury of seven young people (the demo jurors)."""
    for user_id in await users.juror_ids_matching(conn, "%@demo.prize", limit=JURY_SIZE):
        await jury.add_active_juror(conn, edition_id, user_id, now)
