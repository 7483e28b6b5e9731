"""References between roster tables that a dry run and a commit must resolve alike."""

from __future__ import annotations

import pandas as pd


def resolvable(stored: dict[str, int], incoming: pd.DataFrame) -> set[str]:
    """Sourced ids a reference may name: rows stored (active or withdrawn) and rows this import
    creates or keeps. The same set in a dry run and in a commit, so they agree."""
    live = incoming.loc[incoming["active"].astype(bool), "sourced_id"]
    return set(stored) | set(live)


def drop_dangling(
    frame: pd.DataFrame, refs: dict[str, set], *, file: str, what: str
) -> tuple[pd.DataFrame, str]:
    """Live rows naming a record that neither exists nor is created (a class or student marked
    tobedeleted in the same file) are left out, and said so: they would otherwise pass a dry
    run and break the commit on a foreign key."""
    if frame.empty:
        return frame, ""
    dangling = pd.Series(False, index=frame.index)
    for column, known in refs.items():
        dangling |= ~frame[column].isin(known)
    dangling &= frame["active"].astype(bool)
    if not dangling.any():
        return frame, ""
    sample = ", ".join(frame.loc[dangling, "sourced_id"].head(5))
    more = f" and {int(dangling.sum()) - 5} more" if dangling.sum() > 5 else ""
    return frame[~dangling], (
        f"{file}: {int(dangling.sum())} {what} not imported ({sample}{more}): they name a record "
        "this file marks tobedeleted or leaves out"
    )
