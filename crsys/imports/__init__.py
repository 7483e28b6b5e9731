"""What the roster import (``schools.roster``) and the results import
(``screeners.results_import``) share: the problem that names file, row and column, the
refusal that carries every problem, the upload size limit and the problems CSV."""
