"""Grade codes as OneRoster writes them (CEDS), in school order."""

import re

GRADES = [
    ("IT", "Infant/toddler"),
    ("PR", "Preschool"),
    ("PK", "Pre-kindergarten"),
    ("TK", "Transitional kindergarten"),
    ("KG", "Kindergarten"),
    *[(f"{n:02d}", f"Grade {n}") for n in range(1, 14)],
    ("PS", "Postsecondary"),
    ("UG", "Ungraded"),
    ("Other", "Other"),
]
GRADE_CHOICES = GRADES
GRADE_CODES = [code for code, _ in GRADES]
GRADE_ORDER = {code: index for index, code in enumerate(GRADE_CODES)}
# Spellings SIS exports use, keyed as _key() leaves them. "0" and "-1" are PowerSchool's and
# several other systems' kindergarten and pre-kindergarten.
_ALIASES = {
    "K": "KG", "KG": "KG", "KINDERGARTEN": "KG", "KINDER": "KG", "SK": "KG", "K5": "KG",
    "0": "KG", "00": "KG",
    "PK": "PK", "PREK": "PK", "PREKINDERGARTEN": "PK", "JK": "PK", "P": "PK", "-1": "PK",
    "PK3": "PK", "PK4": "PK", "PREK3": "PK", "PREK4": "PK",
    "TK": "TK", "TRANSITIONALKINDERGARTEN": "TK",
    "PR": "PR", "PRESCHOOL": "PR", "IT": "IT", "INFANTTODDLER": "IT",
    "UG": "UG", "UNGRADED": "UG", "OTHER": "Other", "PS": "PS", "POSTSECONDARY": "PS",
}  # fmt: skip
_ORDINAL = re.compile(r"^(\d+)(ST|ND|RD|TH)$")


def _key(text: str) -> str:
    """'Grade 1' -> '1', 'Pre-K' -> 'PREK', '3rd' -> '3', 'Gr. 10' -> '10'."""
    key = text.upper().strip()
    if key.startswith("GRADE") and key[5:].strip():
        key = key[5:]
    elif key.startswith(("GR.", "GR")) and key.removeprefix("GR").lstrip(". ")[:1].isdigit():
        key = key.removeprefix("GR").lstrip(". ")
    key = key.strip()
    if key.startswith("-"):
        return "-" + re.sub(r"[\s._/-]", "", key[1:])
    key = re.sub(r"[\s._/-]", "", key)
    ordinal = _ORDINAL.match(key)
    return ordinal.group(1) if ordinal else key


def normalize_grade(value: str) -> str | None:
    """The CEDS code for a grade as files spell it: '1', '01', 'Grade 1', '1st' -> '01';
    'K', 'kg', 'Kindergarten' -> 'KG'; 'PreK', 'Pre-K' -> 'PK'; 'TK'; unknown -> None."""
    text = str(value).strip()
    if text in GRADE_ORDER:
        return text
    key = _key(text)
    if key in _ALIASES:
        return _ALIASES[key]
    if key.isdigit() and 1 <= int(key) <= 13:
        return f"{int(key):02d}"
    return None


def grade_label(code: str) -> str:
    return dict(GRADES).get(code, code)
