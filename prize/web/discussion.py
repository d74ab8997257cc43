"""The jury's discussion of an entry, the advisors' ranking, and the digest choice.

Who reads a thread is :func:`prize.store.discussion.may_read`: the secretariat always;
an advisor whenever the conflict rule lets them read the entry; a juror only once their
own sheet for the entry is submitted (blind until submitted) and never when conflicted.
A thread that may not be read does not exist (404), except for the juror who has only
to submit first: they are told so (403).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain import discussion as rules
from prize.domain.rounds import round_label
from prize.domain.scoring import ranking
from prize.domain.statuses import EditionStatus, Role
from prize.i18n import gettext
from prize.store import access, editions, entries
from prize.store import discussion as threads
from prize.store import scoring as sheets
from prize.web.jury import active_edition
from prize.web.rounds import requested_round, round_switcher
from prize.web.routing import page
from prize.web.templating import flash, render

#: Who writes in the discussions.
DISCUSSANTS = (*Role.STAFF, *Role.JURY_READERS)


async def _thread_entry(request: Request, entry_id: int) -> entries.Entry:
    """The entry whose thread the person may read, or the refusal."""
    app = request.app.state
    user = request.state.user
    entry = await entries.get(app.db, entry_id)
    if entry is None or not await access.may_read_entry(app.db, user.id, user.role, entry_id):
        raise HTTPException(404)
    if not await threads.may_read(app.db, user.id, user.role, entry_id):
        # Only a juror who reads the entry gets here: the blind rule, said in words.
        raise HTTPException(403, rules.blind_refusal())
    return entry


def _entry_link(user, entry_id: int) -> str:
    return f"/admin/entries/{entry_id}" if user.role in Role.STAFF else f"/jury/entries/{entry_id}"


async def _thread_page(request: Request, entry: entries.Entry, values: dict, errors: dict,
                       status_code: int = 200) -> Response:
    app = request.app.state
    user = request.state.user
    now = app.clock()
    round_number = await threads.round_of_entry(app.db, entry.id)
    comments = await threads.comments_of(app.db, entry.id, round_number)
    # In the final round, round 1's thread stays below, to read.
    earlier = await threads.comments_of(app.db, entry.id, 1) if round_number == 2 else []
    editable = {comment.id for comment in comments
                if rules.may_edit(author_id=comment.author_id, editor_id=user.id,
                                  created_at=comment.created_at, now=now)}
    return render(request, "jury/discussion.html", {
        "entry": entry, "edition": await editions.get(app.db, entry.edition_id),
        "comments": comments, "editable": editable, "entry_link": _entry_link(user, entry.id),
        "earlier": earlier,
        "round_title": round_label(round_number) if round_number == 2 else "",
        "earlier_title": round_label(1),
        "values": values, "errors": errors, "max_comment": rules.MAX_COMMENT,
        "edit_minutes": int(rules.EDIT_WINDOW.total_seconds() // 60),
    }, status_code=status_code)


async def thread(request: Request) -> Response:
    entry = await _thread_entry(request, request.path_params["entry_id"])
    if request.method == "GET":
        return await _thread_page(request, entry, {}, {})
    app = request.app.state
    body = str(request.state.form.get("body", ""))
    values = {"body": body}
    problem = rules.comment_problem(body)
    if problem:
        return await _thread_page(request, entry, values, {"body": problem}, 422)
    async with app.db.transaction() as conn:
        comment_id = await threads.add(conn, entry_id=entry.id, author_id=request.state.user.id,
                                       body=body.strip(), now=app.clock())
    flash(request, gettext("Your comment is posted."))
    return RedirectResponse(f"{threads.thread_url(entry.id)}#comment-{comment_id}",
                            status_code=303)


async def edit_comment(request: Request) -> Response:
    app = request.app.state
    user = request.state.user
    comment = await threads.get(app.db, request.path_params["comment_id"])
    if comment is None:
        raise HTTPException(404)
    entry = await _thread_entry(request, comment.entry_id)
    now = app.clock()
    refusal = rules.edit_refusal(author_id=comment.author_id, editor_id=user.id,
                                 created_at=comment.created_at, now=now)
    if comment.author_id != user.id:
        raise HTTPException(403, refusal)
    values = ({"body": comment.body} if request.method == "GET"
              else {"body": str(request.state.form.get("body", ""))})

    def show(errors: dict, status_code: int) -> Response:
        return render(request, "jury/comment_edit.html", {
            "entry": entry, "comment": comment, "values": values, "errors": errors,
            "locked": refusal is not None, "max_comment": rules.MAX_COMMENT,
        }, status_code=status_code)

    if refusal is not None:
        return show({"form": refusal}, 409)
    if request.method == "GET":
        return show({}, 200)
    problem = rules.comment_problem(values["body"])
    if problem:
        return show({"body": problem}, 422)
    async with app.db.transaction() as conn:
        changed = await threads.edit(conn, comment.id, author_id=user.id,
                                     body=values["body"].strip(), now=now,
                                     written_after=now - rules.EDIT_WINDOW)
    if not changed:
        refusal = rules.edit_refusal(author_id=comment.author_id, editor_id=user.id,
                                     created_at=comment.created_at, now=app.clock())
        return show({"form": refusal or gettext("The comment changed meanwhile.")}, 409)
    flash(request, gettext("Your comment is changed."))
    return RedirectResponse(f"{threads.thread_url(entry.id)}#comment-{comment.id}",
                            status_code=303)


# The digest ---------------------------------------------------------------------------------


async def digest(request: Request) -> Response:
    app = request.app.state
    user = request.state.user
    if request.method == "POST":
        choice = str(request.state.form.get("digest", ""))
        if choice not in ("on", "off"):
            current = await threads.digest_choice(app.db, user.id, user.role)
            return render(request, "jury/digest.html", {
                "values": {"digest": "on" if current.enabled else "off"},
                "errors": {"digest": gettext("Choose from the list.")}}, status_code=422)
        async with app.db.transaction() as conn:
            await threads.set_digest(conn, user.id, choice == "on")
        flash(request, gettext("You will get a daily email of new comments.") if choice == "on"
              else gettext("You will no longer get a daily email of new comments."))
        return RedirectResponse("/jury/digest", status_code=303)
    current = await threads.digest_choice(app.db, user.id, user.role)
    return render(request, "jury/digest.html", {
        "values": {"digest": "on" if current.enabled else "off"}, "errors": {}})


# The advisors' ranking ----------------------------------------------------------------------


async def advisor_ranking(request: Request) -> Response:
    """The ranking as the deliberation page computes it, for an active advisor, without
    the entries they are conflicted with."""
    app = request.app.state
    edition = await active_edition(request)
    if edition.status not in EditionStatus.FROZEN:
        raise HTTPException(404)
    # `?round=` as on the deliberation page; the current round by default.
    round_number = requested_round(request, edition)
    results, judged = await sheets.edition_results(app.db, edition, round_number)
    by_id = {entry.id: entry for entry in judged}
    user_id = request.state.user.id
    rows = [(result, by_id[result.entry_id]) for result in ranking(results, by="normalised")
            if await access.advisor_may_read(app.db, user_id, result.entry_id)]
    return render(request, "jury/ranking.html", {
        "edition": edition, "rows": rows,
        "comments": await threads.comment_counts(app.db, edition.id, round_number),
        "round_links": round_switcher(request, edition, round_number)})


routes = [
    page("/jury/entries/{entry_id:id}/discussion", thread, methods=["GET", "POST"],
         roles=DISCUSSANTS),
    page("/jury/comments/{comment_id:id}/edit", edit_comment, methods=["GET", "POST"],
         roles=DISCUSSANTS),
    page("/jury/digest", digest, methods=["GET", "POST"], roles=DISCUSSANTS),
    page("/jury/{year:id}/ranking", advisor_ranking, roles=(Role.ADVISOR,)),
]
