"""Objections, re-examinations and proactive corrections (Art. 40-42; SM-1; D-1 to D-5).

``service`` holds the workflow steps, ``deadlines`` derives every time limit from the event
log and the calendar, ``tracking`` the operator's queue and the overdue watch, ``archive`` the
searchable archive (Art. 41 para 3), ``corrections`` the Art. 42 para 3 proactive cases.
"""
