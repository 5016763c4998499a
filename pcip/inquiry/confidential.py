"""The reasons a unit may give for keeping an authority inquiry confidential (D-26, Art. 39).

Art. 39 gives the subject the right to know how its information is used; D-26 lets an
authority inquiry linked to an investigation that a law keeps confidential be shown to the
subject without its details. A unit does not write its own reason: it picks one of these,
each with the provision that requires the confidentiality (data with citations, like every
legal parameter). The subject still sees that the unit inquired and on which day.

The citations are the provisions on confidentiality in the investigation each reason names;
like the minors rule (D-25), the list is to be reviewed by legal counsel before production,
and a reviewed list replaces this one (a code, once used in the log, is never reused).
"""

from __future__ import annotations

from dataclasses import dataclass

from pcip.errors import ValidationError
from pcip.kernel.messages import msg


@dataclass(frozen=True)
class ConfidentialReason:
    code: str
    name_zh: str
    name_en: str
    #: The provision requiring confidentiality, as stored in the inquiry log.
    citation: str
    #: The same provision in English (the law's official English title), for English pages.
    citation_en: str

    def cite(self, locale: str) -> str:
        """The provision in ``locale``."""
        return self.citation if locale.startswith("zh") else self.citation_en


REASONS: tuple[ConfidentialReason, ...] = (
    ConfidentialReason(
        "criminal_investigation",
        "刑事案件侦查取证",
        "Evidence gathering in a criminal investigation",
        "《中华人民共和国刑事诉讼法》（2018年修正）第五十四条",
        "Criminal Procedure Law of the People's Republic of China (amended 2018), Art. 54",
    ),
    ConfidentialReason(
        "supervision_investigation",
        "监察机关监督、调查",
        "Supervision or investigation by a supervisory commission",
        "《中华人民共和国监察法》（2018年）第十八条",
        "Supervision Law of the People's Republic of China (2018), Art. 18",
    ),
    ConfidentialReason(
        "administrative_penalty_investigation",
        "行政处罚案件调查",
        "Investigation of an administrative penalty case",
        "《中华人民共和国行政处罚法》（2021年修订）第五十条",
        "Administrative Penalty Law of the People's Republic of China (revised 2021), Art. 50",
    ),
)
BY_CODE = {r.code: r for r in REASONS}


def reason(code: str | None) -> ConfidentialReason | None:
    """The reason named by ``code`` (None: the inquiry is not confidential)."""
    if code is None or not code.strip():
        return None
    found = BY_CODE.get(code.strip())
    if found is None:
        raise ValidationError(
            msg("inquiry.unknown_confidentiality", code=repr(code[:40]), codes=list(BY_CODE)),
            field="confidential_reason",
        )
    return found
