"""The secretariat's console, one module per area; their routes in one table, read top to bottom.

editions (the console home, settings, lifecycle), criteria, screening (and each entry's
page), progress (and reminders), entries (the overview and its CSV), people (accounts),
audit, jury (invitations, conflicts), assignment and the jury meeting.
"""

from __future__ import annotations

from prize.domain.statuses import Role
from prize.web.admin import (
    application_form,
    assignment,
    audit,
    criteria,
    editions,
    emails,
    entries,
    exports,
    identity,
    jury,
    meeting,
    notices,
    people,
    progress,
    publishing,
    screening,
)
from prize.web.routing import page

STAFF = Role.STAFF
GET_POST = ("GET", "POST")
POST = ("POST",)
EDITION = "/admin/editions/{year:id}"
JURY = EDITION + "/jury"

routes = [
    page("/admin", editions.home, roles=STAFF),
    page("/admin/editions/new", editions.new_edition, methods=GET_POST, roles=STAFF),
    page(EDITION, editions.show_edition, roles=STAFF),
    page(EDITION + "/edit", editions.edit_edition, methods=GET_POST, roles=STAFF),
    page(EDITION + "/rounds", editions.edit_rounds, methods=POST, roles=STAFF),
    page(EDITION + "/transition", editions.transition, methods=POST, roles=STAFF),
    page(EDITION + "/criteria", criteria.criteria_list, roles=STAFF),
    page(EDITION + "/criteria/final", criteria.final_criteria_choice, methods=POST,
         roles=STAFF),
    page(EDITION + "/criteria/new", criteria.criterion_form, methods=GET_POST, roles=STAFF,
         name="criterion_new"),
    page(EDITION + "/criteria/{key}", criteria.criterion_form, methods=GET_POST, roles=STAFF),
    page(EDITION + "/criteria/{key}/change", criteria.criterion_change, methods=POST,
         roles=STAFF),
    page(EDITION + "/form", application_form.form_overview, roles=STAFF),
    page(EDITION + "/form/order", application_form.change_order, methods=POST, roles=STAFF),
    page(EDITION + "/form/preview", application_form.preview, methods=GET_POST, roles=STAFF),
    page(EDITION + "/form/sections/new", application_form.section_form, methods=GET_POST,
         roles=STAFF, name="form_section_new"),
    page(EDITION + "/form/sections/{key}", application_form.section_form, methods=GET_POST,
         roles=STAFF),
    page(EDITION + "/form/questions/new", application_form.question_form, methods=GET_POST,
         roles=STAFF, name="form_question_new"),
    page(EDITION + "/form/questions/{key}", application_form.question_form, methods=GET_POST,
         roles=STAFF),
    page(EDITION + "/screening", screening.screening, roles=STAFF),
    page(EDITION + "/progress", progress.judging_progress, roles=STAFF),
    page(EDITION + "/publication", publishing.publication, roles=STAFF),
    page(EDITION + "/results", publishing.results_confirmation, roles=STAFF),
    page(EDITION + "/exports", exports.exports_page, roles=STAFF),
    page(EDITION + "/reminders", progress.send_reminders, methods=POST, roles=STAFF),
    page("/admin/entries", entries.entry_overview, roles=STAFF),
    page("/admin/entries.csv", entries.entries_csv, roles=STAFF),
    page("/admin/entries/{entry_id:id}", screening.show_entry, roles=STAFF),
    page("/admin/entries/{entry_id:id}/text", screening.entry_text, roles=STAFF),
    page("/admin/entries/{entry_id:id}/screen", screening.screen_entry, methods=POST,
         roles=STAFF),
    page("/admin/users", people.user_list, roles=STAFF),
    page("/admin/users/{user_id:id}", people.show_user, roles=STAFF),
    page("/admin/users/{user_id:id}/role", people.change_role, methods=POST, roles=STAFF),
    page("/admin/users/{user_id:id}/active", people.set_active, methods=POST, roles=STAFF),
    page("/admin/users/{user_id:id}/verification", people.resend_verification, methods=POST,
         roles=STAFF),
    page("/admin/audit", audit.audit_log, roles=STAFF),
    # The privacy notice and the other texts people accept.
    page("/admin/notices", notices.notice_list, roles=STAFF),
    page("/admin/notices/{document}/new", notices.new_version, methods=GET_POST, roles=STAFF),
    page("/admin/notices/{document}/{version:id}", notices.show_version, roles=STAFF),
    # The prize's identity and the email texts (outside an edition, then per edition).
    page("/admin/identity", identity.identity_page, methods=GET_POST, roles=STAFF),
    page("/admin/emails", emails.email_list, roles=STAFF),
    page("/admin/emails/{kind}", emails.email_form, methods=GET_POST, roles=STAFF),
    page("/admin/emails/{kind}/test", emails.send_test, methods=POST, roles=STAFF),
    page("/admin/emails/{kind}/restore", emails.restore_default, methods=POST, roles=STAFF),
    page(EDITION + "/emails", emails.email_list, roles=STAFF, name="edition_email_list"),
    page(EDITION + "/emails/{kind}", emails.email_form, methods=GET_POST, roles=STAFF,
         name="edition_email_form"),
    page(EDITION + "/emails/{kind}/test", emails.send_test, methods=POST, roles=STAFF,
         name="edition_email_test"),
    page(EDITION + "/emails/{kind}/restore", emails.restore_default, methods=POST,
         roles=STAFF, name="edition_email_restore"),
    # The jury of an edition and its assignment.
    page(JURY, jury.jurors, roles=STAFF),
    page(JURY + "/invite", jury.invite, methods=POST, roles=STAFF),
    page(JURY + "/assignment", assignment.assignment, roles=STAFF),
    page(JURY + "/assignment/run", assignment.run, methods=POST, roles=STAFF),
    page(JURY + "/assignment/apply", assignment.apply, methods=POST, roles=STAFF),
    page(JURY + "/assignment/rule", assignment.set_rule, methods=POST, roles=STAFF),
    page(JURY + "/assignment/release", assignment.release, methods=POST, roles=STAFF),
    page(JURY + "/conflicts", jury.set_conflict, methods=POST, roles=STAFF),
    page(JURY + "/{user_id:id}/resend", jury.resend, methods=POST, roles=STAFF),
    page(JURY + "/{user_id:id}/revoke", jury.revoke, methods=POST, roles=STAFF),
    page(JURY + "/{user_id:id}/withdraw", jury.withdraw, methods=POST, roles=STAFF),
    # The jury meeting and its minutes.
    *meeting.routes,
]
