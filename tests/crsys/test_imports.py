"""The pieces both imports share (crsys.imports): one size limit, one refusal, one CSV."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from crsys.imports.problems import InputRejected, Problem, problems_csv_response
from crsys.imports.uploads import check_upload_size, refuse_oversized


@override_settings(ROSTER_MAX_UPLOAD_BYTES=2_000_000)
def test_an_oversized_upload_is_refused_naming_the_file_and_both_sizes():
    check_upload_size("ok.csv", 2_000_000)
    with pytest.raises(InputRejected) as rejected:
        check_upload_size("big.csv", 3_000_000)
    assert [str(p) for p in rejected.value.problems] == [
        "big.csv: the file is 3 MB; the limit is 2 MB"
    ]
    with pytest.raises(ValidationError, match="big.csv: the file is 3 MB; the limit is 2 MB"):
        refuse_oversized("big.csv", 3_000_000)


def test_the_problems_csv_escapes_formulas():
    problem = Problem("r.csv", 3, "=score", "=HYPERLINK(1)")
    response = problems_csv_response([problem.as_dict()], "p.csv")
    assert response["Content-Disposition"] == 'attachment; filename="p.csv"'
    assert response.content.decode().splitlines() == [
        "file,row,column,message",
        "r.csv,3,'=score,'=HYPERLINK(1)",
    ]
