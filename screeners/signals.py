"""What the screeners tell other apps, so they build on the snapshots without reaching into
the recompute: ``window_recomputed`` is sent once a window's new snapshot has committed."""

from django.dispatch import Signal

# Keyword arguments: district_id, window_id.
window_recomputed = Signal()
