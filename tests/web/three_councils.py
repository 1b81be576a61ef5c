"""Three small synthetic councils (the tiny council drawn with three seeds, renamed apart)."""

from __future__ import annotations

from functools import cache

import polars as pl

from careties.data import synth

TINY_CODE = "E06000099"


def _renamed(frame: pl.DataFrame, copy: int) -> pl.DataFrame:
    letter = "JKL"[copy - 1]
    out = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.String:
            column = (
                column.str.replace_all(TINY_CODE, f"E0600010{copy}", literal=True)
                .str.replace(r"^H(\d{5})$", f"{letter}$1")
                .str.replace(r"^([A-Z]{2,3})0(\d+)$", f"${{1}}{copy}$2")
                .str.replace(r"-([A-Z])0(\d+)$", f"-${{1}}{copy}$2")
            )
        out.append(column.alias(name))
    return frame.select(out)


@cache
def three_councils() -> dict[str, pl.DataFrame]:
    frames: dict[str, list[pl.DataFrame]] = {}
    for copy in (1, 2, 3):
        data = synth.generate("tiny", seed=copy)
        for kind, frame in data.frames.items():
            renamed = _renamed(frame, copy)
            if kind == "local_authorities":  # names apart too: the regional tables sort by name
                renamed = renamed.with_columns(name=pl.lit(f"Northby {copy}"))
            frames.setdefault(kind, []).append(renamed)
    return {kind: pl.concat(parts) for kind, parts in frames.items()}
