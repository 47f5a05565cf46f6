"""E-mail addresses (EMAIL_ADDRESS).

A pragmatic RFC 5322 subset (dot-atom local part, hostname labels) plus a top-level-domain check:
known TLDs get full confidence, unknown alphabetic ones less, and file extensions (``icon@2x.png``,
a retina image name) are rejected. Role addresses (press@, info@, foi@...) belong to an office,
not a person: they are reported with low confidence and the explanation starts with "role
address" so the assessment can treat a press-office contact as low risk. The local part of a
personal address is never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9._%+\-'])"
    r"([A-Za-z0-9](?:[A-Za-z0-9._%+\-']{0,62}[A-Za-z0-9_%+\-])?)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24}))"
    r"(?![A-Za-z0-9\-]|\.[A-Za-z0-9])"
)

#: generic and common sponsored TLDs (all two-letter country codes are accepted separately)
KNOWN_TLDS = _words(
    """com org net edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs
    cat post xxx app dev io ai co me tv online site store tech blog cloud email xyz top club
    shop live news media digital agency solutions services consulting group global world today
    law legal health care org church foundation fund charity ngo ong page link click space
    website network systems center international company support institute academy school
    university college education community social life team works"""
)

#: file extensions that follow "@" in asset names such as icon@2x.png
_FILE_EXTENSIONS = _words(
    "png jpg jpeg gif svg webp bmp ico tif tiff pdf js css map json xml txt html htm"
)

#: local parts that name a function or an office, not a person
ROLE_LOCAL_PARTS = _words(
    """press info foi foia noreply no-reply donotreply do-not-reply contact contactus contact-us
    webmaster admin administrator support help helpdesk media communications comms enquiries
    inquiries enquiry inquiry office hello postmaster hostmaster abuse privacy dpo
    dataprotection data-protection records publicaffairs public.affairs public-affairs sales
    team careers jobs recruitment hr mail newsletter news feedback complaints service
    customerservice customer.service accessibility security marketing events foirequests
    foi-requests foi.requests pressoffice press.office press-office mediarelations
    media.relations"""
)


def is_role_address(value: str) -> bool:
    """Whether an address belongs to an office or function (press@, info@...), not a person."""
    local = value.rsplit("@", 1)[0].lower()
    return local in ROLE_LOCAL_PARTS or local.startswith(("press", "media", "foi"))


class EmailAddressDetector:
    """EMAIL_ADDRESS: name@example.org; role addresses flagged as such, with low confidence."""

    id: str = "email-address"
    entities: tuple[str, ...] = ("EMAIL_ADDRESS",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if "@" not in text:
            return
        for m in _CANDIDATE.finditer(text):
            local, tld = m.group(1), m.group(3).lower()
            if tld in _FILE_EXTENSIONS or ".." in local:
                continue
            known = tld in KNOWN_TLDS or len(tld) == 2
            role = local.lower() in ROLE_LOCAL_PARTS
            if role:
                head = f"role address ({local.lower()}@...), belongs to an office, not a person"
                confidence = 0.5 if known else 0.3
            else:
                head = "personal address (the name part is not shown)"
                confidence = 0.95 if known else 0.6
            tld_note = "known top-level domain" if known else "unfamiliar top-level domain"
            yield Match(
                entity="EMAIL_ADDRESS",
                start=m.start(),
                end=m.end(),
                value=m.group(0),
                confidence=confidence,
                detector=self.id,
                explanation=f"{head}; e-mail address syntax; {tld_note}",
            )
