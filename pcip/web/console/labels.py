"""Display names of the codes the console shows (states, steps, outcomes ...), as msgids.

Codes stay codes everywhere else (the API, the audit log); these English texts are message
ids, translated into the visitor's language when a page is rendered (``console.po``).
"""

from __future__ import annotations

from pcip.web.i18n import N_

STATE = {
    "received": N_("Received, to be labelled"),
    "labelled": N_("Labelled"),
    "not_accepted": N_("Not accepted"),
    "self_review": N_("Platform review"),
    "transferred": N_("Transferred to the unit"),
    "pu_review": N_("Unit reviewing"),
    "pu_result_returned": N_("Unit result returned"),
    "paused": N_("Paused"),
    "decided": N_("Decided"),
    "notified": N_("Notified"),
    "reexam_requested": N_("Re-examination requested"),
    "reexam_decided": N_("Re-examination decided"),
    "reexam_notified": N_("Re-examination notified"),
    "closed": N_("Closed"),
}

#: Event kinds in a case's history.
EVENT = {
    "received": N_("Objection received"),
    "labelled": N_("Objection label applied"),
    "not_accepted": N_("Not accepted"),
    "self_review": N_("Platform review started"),
    "transferred": N_("Transferred to the providing unit"),
    "pu_received": N_("Received by the unit"),
    "pu_result_returned": N_("Unit result returned"),
    "paused": N_("Handling time paused"),
    "resumed": N_("Handling time resumed"),
    "decided": N_("Decided"),
    "notified": N_("Notice issued"),
    "reexam_requested": N_("Re-examination requested"),
    "reexam_decided": N_("Re-examination decided"),
    "closed": N_("Closed"),
}

#: The steps a case page offers (names as in ``pcip.objections.access.STEPS``).
STEP = {
    "label": N_("Apply the objection label"),
    "decline": N_("Decline"),
    "self_review": N_("Review on the platform"),
    "transfer": N_("Transfer to the providing unit"),
    "unit_receive": N_("Confirm receipt"),
    "unit_result": N_("Return the result"),
    "pause": N_("Pause the handling time"),
    "resume": N_("Resume the handling time"),
    "decide": N_("Decide"),
    "notify": N_("Issue the outcome notice"),
    "notify_reexam": N_("Issue the re-examination notice"),
    "status_notice": N_("Issue a status notice"),
    "request_reexam": N_("Request re-examination"),
    "register_reexam": N_("Register a paper re-examination application"),
    "decide_reexam": N_("Decide the re-examination"),
    "close": N_("Close the case"),
}

#: What each step does, with the article it carries out.
STEP_HELP = {
    "label": N_(
        "Notes the objection on each disputed record within 1 working day; the "
        "records stay disclosed with the label (Art. 40 para 2, Art. 41 para 1)."
    ),
    "decline": N_(
        "Refuses the objection for having no legitimate reason, or as a repeat "
        "without new evidence, with a reasoned notice (Art. 41 para 3)."
    ),
    "self_review": N_(
        "The platform verifies and handles the case itself, within 3 working "
        "days of receipt (Art. 40 para 2(1))."
    ),
    "transfer": N_(
        "Sends the case to the unit that provided the records, within 2 working "
        "days of receipt (Art. 40 para 2(2))."
    ),
    "unit_receive": N_(
        "Records the unit's receipt: its 3 working days run from today (Art. 40 para 2(2))."
    ),
    "unit_result": N_(
        "Returns the unit's verification result to the platform (Art. 40 para 2(2)). The "
        "platform applies it, issues the written notice to the applicant and tells the "
        "operator at once (D-2)."
    ),
    "pause": N_(
        "Stops the clock for inspection, testing, evaluation or expert review; a "
        "reason and evidence are required (Art. 41 para 2)."
    ),
    "resume": N_("Starts the clock again; the paused days stay excluded (Art. 41 para 2)."),
    "decide": N_(
        "Corrects, supplements, stops providing, withdraws from the wrong subject or "
        "upholds the information; the label comes off at once (Art. 42)."
    ),
    "register_reexam": N_(
        "Registers an application for re-examination received on paper at the "
        "department's window or by post; the 3 working days run from the day it arrived. "
        "There is no time limit for applying, even after the case is closed; a case is "
        "re-examined once (Art. 40 para 4)."
    ),
    "notify": N_(
        "Issues the written notice of the outcome, due within 5 working days of "
        "receipt (Art. 40 para 3)."
    ),
    "notify_reexam": N_("Issues the written notice of the re-examination result (Art. 40 para 4)."),
    "status_notice": N_(
        "Tells the applicant in writing that the case is still being handled "
        "and which step is late (Art. 40 para 3; D-2)."
    ),
    "decide_reexam": N_(
        "The re-examination result, within 3 working days of the application; "
        "a changed outcome applies Art. 42 to the records (Art. 40 para 4)."
    ),
    "close": N_("The case joins the archive of objection dispositions (Art. 41 para 3)."),
}

DEADLINE = {
    "label": N_("Label"),
    "transfer": N_("Transfer"),
    "self_handling": N_("Platform handling"),
    "pu_handling": N_("Unit handling"),
    "notice": N_("Written notice"),
    "reexam": N_("Re-examination"),
}

DEADLINE_STATUS = {
    "met": N_("Done in time"),
    "met_late": N_("Done late"),
    "due_today": N_("Due today"),
    "open": N_("Open"),
    "overdue": N_("Overdue"),
}

GROUND = {
    "error": N_("Error in the information"),
    "omission": N_("Information incomplete"),
    "beyond_period": N_("Provided beyond its period"),
}

OUTCOME = {
    "corrected": N_("Corrected (Art. 42(1))"),
    "supplemented": N_("Supplemented (Art. 42(2))"),
    "provision_stopped": N_("Provision stopped (Art. 42(3))"),
    "upheld": N_("Upheld: the information stands"),
    "withdrawn": N_("Withdrawn: wrong subject or wrong basis"),
}

WITHDRAWAL_GROUND = {
    "wrong_subject": N_("Filed against the wrong subject"),
    "wrong_basis": N_("Recorded on a wrong basis"),
}

ALERT = {
    "unit_result_notified": N_("Unit result arrived: decision and notice issued"),
    "not_transferred_wd1": N_("Not transferred on its first working day"),
}

CHANNEL = {
    "web": N_("Website"),
    "mobile": N_("Mobile"),
    "desk": N_("Service desk"),
    "mail": N_("Post"),
    "credit_china": N_("Credit China"),
    "department": N_("Another department"),
    "api": N_("API"),
    "cli": N_("Command line"),
    "console": N_("Console"),
    "demo": N_("Demo data"),
    "test": N_("Test"),
}

PAUSE_TYPE = {
    "inspection": N_("Inspection"),
    "testing": N_("Testing"),
    "evaluation": N_("Evaluation"),
    "expert_review": N_("Expert review"),
}

DECLINE_BASIS = {
    "no_legitimate_reason": N_("No legitimate reason"),
    "repeat": N_("Repeats a concluded objection without new evidence (D-4)"),
}

NOTICE = {
    "outcome": N_("Outcome notice"),
    "not_accepted": N_("Notice of non-acceptance"),
    "reexam_outcome": N_("Re-examination result notice"),
    "status_update": N_("Status notice"),
}

MODE = {
    "public_disclosure": N_("Public disclosure"),
    "authority": N_("Authority-based"),
    "self": N_("Self inquiry"),
    "authorized": N_("Authorized"),
}

PURPOSE = {
    "administrative_management": N_("Administrative management"),
    "public_services": N_("Public services"),
    "sector_assessment": N_("Sector credit assessment"),
    "tiered_supervision": N_("Tiered and classified supervision"),
    "credit_check": N_("Credit check before a decision"),
    "law_enforcement": N_("Law enforcement"),
    "other_duty": N_("Other statutory duty"),
}

BATCH_STATUS = {
    "processing": N_("Processing"),
    "completed": N_("Completed"),
    "failed": N_("Failed: nothing stored"),
    "quarantined": N_("Quarantined: unknown item"),
    "refused": N_("Refused: item not registered"),
}

ROUTE = {
    "self": N_("Handled by the platform"),
    "transferred": N_("Transferred"),
}

SUBJECT_KIND = {
    "person": N_("Natural person"),
    "legal_person": N_("Legal person"),
    "organisation": N_("Unincorporated organisation"),
}

POLARITY = {
    "positive": N_("Positive"),
    "neutral": N_("Neutral"),
    "negative": N_("Negative"),
}
