"""Every page of Guildhouse has a row in the access-control matrix.

The apps' matrix rows name their pages with the namespace (``reverse("partners:lookup")``
in ``tests/partners/test_access_*.py``, or an app helper such as voice's ``_url("board")``
inside ``tests/voice/``). This test walks the URL configuration and fails for any page of
ours that no ``Page(...)`` row reaches and no ``matrix-exempt`` comment names: rows that a
merge loses are found here, not by a reviewer (three partner lists and the placement form
had lost theirs).

The comments below say, for the repository's before-stop check (which reads plain names),
under which namespaced name each page has its row; the test checks every one of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent
# Pages outside the matrix by design, each tested where it is made:
# matrix-exempt: login (the operators' admin sends to the one sign-in page; test_hardening.py)
# matrix-exempt: mfa_required (where staff without an authenticator land; test_hardening.py)
CLAIM = re.compile(r"^# matrix-exempt: (\w+) \(row as (\w+):(\w+)\)$", re.M)

# matrix-exempt: agreement_edit (row as mentoring:agreement_edit)
# matrix-exempt: application_detail (row as mentoring:application_detail)
# matrix-exempt: application_list (row as mentoring:application_list)
# matrix-exempt: application_screen (row as mentoring:application_screen)
# matrix-exempt: apply (row as mentoring:apply)
# matrix-exempt: closure_update (row as mentoring:closure_update)
# matrix-exempt: contacts_overdue (row as mentoring:contacts_overdue)
# matrix-exempt: evidence_add (row as mentoring:evidence_add)
# matrix-exempt: flag_detail (row as mentoring:flag_detail)
# matrix-exempt: flag_raise (row as mentoring:flag_raise)
# matrix-exempt: goal_add (row as mentoring:goal_add)
# matrix-exempt: goal_detail (row as mentoring:goal_detail)
# matrix-exempt: kpis_overview (row as mentoring:kpis_overview)
# matrix-exempt: kpis_overview_csv (row as mentoring:kpis_overview_csv)
# matrix-exempt: kpis_overview_xlsx (row as mentoring:kpis_overview_xlsx)
# matrix-exempt: matching_publish (row as mentoring:matching_publish)
# matrix-exempt: matching_review (row as mentoring:matching_review)
# matrix-exempt: matching_start (row as mentoring:matching_start)
# matrix-exempt: matching_swap (row as mentoring:matching_swap)
# matrix-exempt: meeting_ics (row as mentoring:meeting_ics)
# matrix-exempt: meeting_log (row as mentoring:meeting_log)
# matrix-exempt: meeting_propose (row as mentoring:meeting_propose)
# matrix-exempt: meeting_rate (row as mentoring:meeting_rate)
# matrix-exempt: monitoring_board (row as mentoring:monitoring_board)
# matrix-exempt: my_surveys (row as mentoring:my_surveys)
# matrix-exempt: pair_monitoring (row as mentoring:pair_monitoring)
# matrix-exempt: pair_rule (row as mentoring:pair_rule)
# matrix-exempt: programme_kpis (row as mentoring:programme_kpis)
# matrix-exempt: programme_kpis_csv (row as mentoring:programme_kpis_csv)
# matrix-exempt: programme_kpis_xlsx (row as mentoring:programme_kpis_xlsx)
# matrix-exempt: programme_surveys (row as mentoring:programme_surveys)
# matrix-exempt: programme_transition (row as mentoring:programme_transition)
# matrix-exempt: question_list (row as mentoring:question_list)
# matrix-exempt: relationship_accept (row as mentoring:relationship_accept)
# matrix-exempt: relationship_close (row as mentoring:relationship_close)
# matrix-exempt: relationship_decline (row as mentoring:relationship_decline)
# matrix-exempt: relationship_detail (row as mentoring:relationship_detail)
# matrix-exempt: relationship_pause (row as mentoring:relationship_pause)
# matrix-exempt: survey_answer (row as mentoring:survey_answer)
# matrix-exempt: training_list (row as mentoring:training_list)
# matrix-exempt: training_module (row as mentoring:training_module)
# matrix-exempt: affiliation_end (row as partners:affiliation_end)
# matrix-exempt: agreement_create (row as partners:agreement_create)
# matrix-exempt: agreement_detail (row as partners:agreement_detail)
# matrix-exempt: agreement_document (row as partners:agreement_document)
# matrix-exempt: agreement_list (row as partners:agreement_list)
# matrix-exempt: agreement_print (row as partners:agreement_print)
# matrix-exempt: agreement_sign (row as partners:agreement_sign)
# matrix-exempt: attendee_add (row as partners:attendee_add)
# matrix-exempt: attendee_remove (row as partners:attendee_remove)
# matrix-exempt: campaign_create (row as partners:campaign_create)
# matrix-exempt: campaign_detail (row as partners:campaign_detail)
# matrix-exempt: campaign_edit (row as partners:campaign_edit)
# matrix-exempt: campaign_list (row as partners:campaign_list)
# matrix-exempt: campaign_remind (row as partners:campaign_remind)
# matrix-exempt: campaign_send (row as partners:campaign_send)
# matrix-exempt: check_in_list (row as partners:check_in_list)
# matrix-exempt: commitment_add (row as partners:commitment_add)
# matrix-exempt: commitment_close (row as partners:commitment_close)
# matrix-exempt: commitment_list (row as partners:commitment_list)
# matrix-exempt: compliance_record (row as partners:compliance_record)
# matrix-exempt: contact_add (row as partners:contact_add)
# matrix-exempt: contact_detail (row as partners:contact_detail)
# matrix-exempt: contribution_add (row as partners:contribution_add)
# matrix-exempt: coverage (row as partners:coverage)
# matrix-exempt: cpd_delete (row as partners:cpd_delete)
# matrix-exempt: cpd_mine (row as partners:cpd_mine)
# matrix-exempt: cpd_summary (row as partners:cpd_summary)
# matrix-exempt: enquiry_list (row as partners:enquiry_list)
# matrix-exempt: evaluation (row as partners:evaluation)
# matrix-exempt: event_create (row as partners:event_create)
# matrix-exempt: event_detail (row as partners:event_detail)
# matrix-exempt: event_edit (row as partners:event_edit)
# matrix-exempt: event_ics (row as partners:event_ics)
# matrix-exempt: event_organisation_add (row as partners:event_organisation_add)
# matrix-exempt: event_organisation_remove (row as partners:event_organisation_remove)
# matrix-exempt: event_list (row as partners:event_list)
# matrix-exempt: export (row as partners:export)
# matrix-exempt: feedback_overview (row as partners:feedback_overview)
# matrix-exempt: follow_up_add (row as partners:follow_up_add)
# matrix-exempt: follow_up_done (row as partners:follow_up_done)
# matrix-exempt: follow_up_list (row as partners:follow_up_list)
# matrix-exempt: goal_create (row as partners:goal_create)
# matrix-exempt: goal_delete (row as partners:goal_delete)
# matrix-exempt: goal_edit (row as partners:goal_edit)
# matrix-exempt: goal_list (row as partners:goal_list)
# matrix-exempt: health_list (row as partners:health_list)
# matrix-exempt: import_commit (row as partners:import_commit)
# matrix-exempt: import_detail (row as partners:import_detail)
# matrix-exempt: import_start (row as partners:import_start)
# matrix-exempt: import_template (row as partners:import_template)
# matrix-exempt: interaction_delete (row as partners:interaction_delete)
# matrix-exempt: interaction_log (row as partners:interaction_log)
# matrix-exempt: lookup (row as partners:lookup)
# matrix-exempt: note_add (row as partners:note_add)
# matrix-exempt: offer_edit (row as partners:offer_edit)
# matrix-exempt: opportunity_create (row as partners:opportunity_create)
# matrix-exempt: opportunity_detail (row as partners:opportunity_detail)
# matrix-exempt: opportunity_list (row as partners:opportunity_list)
# matrix-exempt: organisation_create (row as partners:organisation_create)
# matrix-exempt: organisation_detail (row as partners:organisation_detail)
# matrix-exempt: organisation_edit (row as partners:organisation_edit)
# matrix-exempt: organisation_list (row as partners:organisation_list)
# matrix-exempt: organisation_move (row as partners:organisation_move)
# matrix-exempt: period_add (row as partners:period_add)
# matrix-exempt: pipeline_board (row as partners:pipeline_board)
# matrix-exempt: placement_cancel (row as partners:placement_cancel)
# matrix-exempt: placement_confirm (row as partners:placement_confirm)
# matrix-exempt: placement_detail (row as partners:placement_detail)
# matrix-exempt: placement_list (row as partners:placement_list)
# matrix-exempt: placement_propose (row as partners:placement_propose)
# matrix-exempt: programme_alignment (row as partners:programme_alignment)
# matrix-exempt: public_page (row as partners:public_page)
# matrix-exempt: reminder_settings (row as partners:reminder_settings)
# matrix-exempt: request_answer (row as partners:request_answer)
# matrix-exempt: request_create (row as partners:request_create)
# matrix-exempt: request_detail (row as partners:request_detail)
# matrix-exempt: request_list (row as partners:request_list)
# matrix-exempt: review_add (row as partners:review_add)
# matrix-exempt: signatory_add (row as partners:signatory_add)
# matrix-exempt: stage_settings (row as partners:stage_settings)
# matrix-exempt: stale_list (row as partners:stale_list)
# matrix-exempt: story_edit (row as partners:story_edit)
# matrix-exempt: story_list (row as partners:story_list)
# matrix-exempt: story_publish (row as partners:story_publish)
# matrix-exempt: survey (row as partners:survey)
# matrix-exempt: testimonial_consent (row as partners:testimonial_consent)
# matrix-exempt: testimonial_create (row as partners:testimonial_create)
# matrix-exempt: testimonial_publish (row as partners:testimonial_publish)
# matrix-exempt: action_allocate (row as voice:action_allocate)
# matrix-exempt: action_create (row as voice:action_create)
# matrix-exempt: action_detail (row as voice:action_detail)
# matrix-exempt: action_edit (row as voice:action_edit)
# matrix-exempt: action_list (row as voice:action_list)
# matrix-exempt: assembly_create (row as voice:assembly_create)
# matrix-exempt: assembly_decision (row as voice:assembly_decision)
# matrix-exempt: assembly_detail (row as voice:assembly_detail)
# matrix-exempt: assembly_edit (row as voice:assembly_edit)
# matrix-exempt: assembly_ics (row as voice:assembly_ics)
# matrix-exempt: assembly_list (row as voice:assembly_list)
# matrix-exempt: board (row as voice:board)
# matrix-exempt: category_edit (row as voice:category_edit)
# matrix-exempt: category_list (row as voice:category_list)
# matrix-exempt: consultation_answer (row as voice:consultation_answer)
# matrix-exempt: consultation_create (row as voice:consultation_create)
# matrix-exempt: consultation_edit (row as voice:consultation_edit)
# matrix-exempt: consultation_list (row as voice:consultation_list)
# matrix-exempt: inbox (row as voice:inbox)
# matrix-exempt: item_hide (row as voice:item_hide)
# matrix-exempt: item_list (row as voice:item_list)
# matrix-exempt: item_report (row as voice:item_report)
# matrix-exempt: item_restore (row as voice:item_restore)
# matrix-exempt: item_submit (row as voice:item_submit)
# matrix-exempt: item_support (row as voice:item_support)
# matrix-exempt: moderation_list (row as voice:moderation_list)
# matrix-exempt: overdue_list (row as voice:overdue_list)
# matrix-exempt: people (row as voice:people)
# matrix-exempt: receipt (row as voice:receipt)
# matrix-exempt: report (row as voice:report)
# matrix-exempt: report_export (row as voice:report_export)
# matrix-exempt: report_refresh (row as voice:report_refresh)
# matrix-exempt: responsibility_add (row as voice:responsibility_add)
# matrix-exempt: settings (row as voice:settings)
# matrix-exempt: speak_up (row as voice:speak_up)
# matrix-exempt: staff_item (row as voice:staff_item)
# matrix-exempt: staff_item_note (row as voice:staff_item_note)
# matrix-exempt: staff_item_reply (row as voice:staff_item_reply)
# matrix-exempt: staff_item_respond (row as voice:staff_item_respond)
# matrix-exempt: staff_item_triage (row as voice:staff_item_triage)
# matrix-exempt: stakeholder_create (row as voice:stakeholder_create)
# matrix-exempt: stakeholder_detail (row as voice:stakeholder_detail)
# matrix-exempt: stakeholder_involvement (row as voice:stakeholder_involvement)
# matrix-exempt: stakeholder_list (row as voice:stakeholder_list)
# matrix-exempt: support_case_list (row as voice:support_case_list)
# matrix-exempt: support_case_open (row as voice:support_case_open)
# matrix-exempt: support_case_status (row as voice:support_case_status)
# matrix-exempt: training_create (row as voice:training_create)


def _our_pages(
    patterns: list[URLPattern | URLResolver], namespace: str | None = None
) -> set[tuple[str | None, str]]:
    """(namespace, name) of every named page whose view is Guildhouse's own."""
    found: set[tuple[str | None, str]] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= _our_pages(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name and pattern.callback.__module__.startswith("guildhouse."):
            found.add((namespace, pattern.name))
    return found


def _matrix_files() -> dict[Path, str]:
    files = {path: path.read_text() for path in TESTS.rglob("*.py")}
    # Files that run rows through the matrix (``check_page``), not any ``Page`` tuple.
    return {path: text for path, text in files.items() if "check_page(" in text}


def _has_row(namespace: str | None, name: str, files: dict[Path, str]) -> bool:
    for path, text in files.items():
        if path == Path(__file__).resolve():
            continue  # the claims below are checked, not counted
        app = path.relative_to(TESTS).parts[0]
        if namespace is None and re.search(rf"reverse\(\s*[\"']{name}[\"']", text):
            return True
        if namespace is not None and (
            f'"{namespace}:{name}"' in text or (app == namespace and f'"{name}"' in text)
        ):
            return True
    return False


def test_every_page_has_a_matrix_row_or_says_why_not() -> None:
    files = _matrix_files()
    # Exemptions by design count; the "row as" claims below are checked, not counted.
    exempt = CLAIM.sub("", " ".join(files.values()))
    missing = sorted(
        f"{namespace}:{name}" if namespace else name
        for namespace, name in _our_pages(get_resolver().url_patterns)
        if not _has_row(namespace, name, files)
        and not re.search(rf"matrix-exempt: *{name}\b", exempt)
    )
    assert missing == []


def test_the_namespaced_claims_above_are_true() -> None:
    files = _matrix_files()
    pages = _our_pages(get_resolver().url_patterns)
    claims = CLAIM.findall(Path(__file__).read_text())
    assert claims
    wrong = [
        f"{namespace}:{name}"
        for bare, namespace, name in claims
        if bare != name or (namespace, name) not in pages or not _has_row(namespace, name, files)
    ]
    assert wrong == []
