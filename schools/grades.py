"""Grade codes as OneRoster writes them, in school order."""

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
_ALIASES = {"K": "KG", "JK": "PK", "SK": "KG", "P": "PK"}


def normalize_grade(value: str) -> str | None:
    """'1', '01', 'Grade 1' -> '01'; 'K' -> 'KG'; unknown -> None."""
    text = str(value).strip()
    if text in GRADE_ORDER:
        return text
    upper = text.upper().removeprefix("GRADE").strip()
    if upper in _ALIASES:
        return _ALIASES[upper]
    if upper.isdigit() and 1 <= int(upper) <= 13:
        return f"{int(upper):02d}"
    return upper if upper in GRADE_ORDER else None


def grade_label(code: str) -> str:
    return dict(GRADES).get(code, code)
