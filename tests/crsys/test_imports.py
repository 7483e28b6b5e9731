"""The pieces both imports share (crsys.imports): one size limit, one refusal, one CSV."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from crsys.imports.models import MAX_STORED_PROBLEMS, ImportJob
from crsys.imports.problems import InputRejected, Problem, problems_csv_response
from crsys.imports.progress import read_progress, reporter
from crsys.imports.uploads import check_upload_size, refuse_unstorable
from schools.models import RosterImport
from screeners.models import ResultImport


@override_settings(ROSTER_MAX_UPLOAD_BYTES=2_000_000)
def test_an_oversized_upload_is_refused_naming_the_file_and_both_sizes():
    check_upload_size("ok.csv", 2_000_000)
    with pytest.raises(InputRejected) as rejected:
        check_upload_size("big.csv", 3_000_000)
    assert [str(p) for p in rejected.value.problems] == [
        "big.csv: the file is 3 MB; the limit is 2 MB"
    ]
    with pytest.raises(ValidationError, match="big.csv: the file is 3 MB; the limit is 2 MB"):
        refuse_unstorable("big.csv", 3_000_000, job=RosterImport)


def test_a_name_longer_than_either_import_stores_is_refused_not_cut_short():
    for job in (RosterImport, ResultImport):
        refuse_unstorable(f"{'r' * 251}.csv", 10, job=job)
        with pytest.raises(ValidationError, match="longer than 255 characters"):
            refuse_unstorable(f"{'r' * 252}.csv", 10, job=job)


def test_the_problems_csv_escapes_formulas():
    problem = Problem("r.csv", 3, "=score", "=HYPERLINK(1)")
    response = problems_csv_response([problem.as_dict()], "p.csv")
    assert response["Content-Disposition"] == 'attachment; filename="p.csv"'
    assert response.content.decode().splitlines() == [
        "file,row,column,message",
        "r.csv,3,'=score,'=HYPERLINK(1)",
    ]


def test_both_imports_are_import_jobs_that_keep_their_problems_alike():
    assert issubclass(RosterImport, ImportJob) and issubclass(ResultImport, ImportJob)
    problems = [Problem("r.csv", n, None, "bad") for n in range(MAX_STORED_PROBLEMS + 5)]
    for job in (RosterImport(), ResultImport()):
        job.record_problems(problems)
        assert job.problem_count == MAX_STORED_PROBLEMS + 5
        assert len(job.problems) == MAX_STORED_PROBLEMS
        assert job.problems[0] == {"file": "r.csv", "row": 0, "column": None, "message": "bad"}
    assert RosterImport(status=RosterImport.Status.UPLOADED).is_busy
    assert not ResultImport(status=ResultImport.Status.READY).is_busy


def test_a_stage_reports_its_share_of_the_whole():
    report = reporter("job-progress:1", base=40, span=50)
    report(50, "Writing")
    assert read_progress("job-progress:1") == {"pct": 65, "message": "Writing"}
