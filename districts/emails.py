"""The one normalisation of e-mail addresses: for storage, uniqueness, lookup and throttling.

An address is stripped and case-folded, and must be plain ASCII and already in Unicode NFKC
form. Look-alikes are refused rather than folded: ``admın@`` (dotless ı, U+0131) folds to
nothing ASCII, ``ſuper@`` (long s, U+017F) is NFKC-equal to ``super@``. Both were once
accepted as new users whom PostgreSQL's ``UPPER`` then matched to the real ones, locking those
out. ASCII-only costs nothing real: school mail systems do not issue SMTPUTF8 mailboxes, and a
refusal says what to change. Because the stored form is the normal form, lookups are exact
(``email=normalize_email(x)``), never ``iexact``, whose folding differs between databases.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

NOT_PLAIN = (
    "“{value}” has characters that only look like ordinary letters; type the address with "
    "plain letters (a–z), digits and . _ % + - only."
)


def normalize_email(value: str) -> str:
    """The stored, compared and throttled form of an address; ValidationError if unusable."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError("An e-mail address cannot contain a NUL character.", code="nul")
    if unicodedata.normalize("NFKC", text) != text or not text.isascii():
        raise ValidationError(NOT_PLAIN.format(value=text), code="not_plain")
    key = text.lower()
    validate_email(key)
    return key


def email_key(value: str) -> str:
    """The normal form where an unusable address must still get a stable key (sign-in
    throttle, lookups that simply find nobody): never raises, never equals a valid address
    of someone else unless it is that address."""
    try:
        return normalize_email(value)
    except ValidationError:
        # Keep every distinct input distinct, and apart from all valid addresses.
        return "invalid:" + unicodedata.normalize("NFKC", (value or "").strip()).casefold()
