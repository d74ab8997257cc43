"""The blind rule after submitting: a juror then sees colleagues' submitted sheets, and
never a colleague's sheet that is still a draft."""

from __future__ import annotations

from tests.http.test_scoring import complete_sheet, judging, sheet_path  # noqa: F401 (fixture)


async def test_a_juror_who_has_submitted_sees_colleagues_submitted_sheets_not_their_drafts(
    client, other_client, judging  # noqa: F811 (the fixture imported above)
):
    # given the second juror has submitted and the third has only a draft
    _, entry, jurors, _ = judging
    await other_client.log_in(jurors[1].email)
    submitted = complete_sheet(action="submit")
    submitted["overall_comment"] = "Submitted opinion of juror two."
    await other_client.submit(sheet_path(entry), submitted)
    await other_client.post("/logout", data={"csrf_token": await other_client.csrf_token("/jury")})
    await other_client.log_in(jurors[2].email)
    draft = {"version": "0", "action": "save",
             "overall_comment": "Unfinished musing of juror three.",
             "score-ethics": "1", "justification-ethics": "Half-formed doubt about ethics."}
    saved = await other_client.submit(sheet_path(entry), draft)
    assert saved.status_code == 303

    # when the first juror submits their own sheet
    await client.log_in(jurors[0].email)
    own = await client.submit(sheet_path(entry), complete_sheet(action="submit"))
    assert own.status_code == 303

    # then both of their pages show the submitted colleague and nothing of the draft
    for path in (f"/jury/entries/{entry.id}", sheet_path(entry)):
        page = (await client.get(path)).text
        assert jurors[1].name in page and "Submitted opinion of juror two." in page, path
        assert jurors[2].name not in page, path
        assert "Unfinished musing of juror three." not in page, path
        assert "Half-formed doubt about ethics." not in page, path
