"""The simulated dataset: reproducible from its seed, with the structure it promises."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import pytest
import yaml

from course_lib import paths
from course_lib.content import load_inventory
from course_lib.content.inventory import Inventory
from course_lib.scoring.inventory import item_matrix
from course_lib.simulate import (
    DATA_FILE,
    DEFAULT_MISSING_RATE,
    DEFAULT_N,
    DEFAULT_SEED,
    META_FILE,
    read_csv,
    rebuild_dataset,
    simulate_inventory,
    write_csv,
)

DATASET = paths.assets_dir() / DATA_FILE
META = paths.assets_dir() / META_FILE


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return load_inventory()


@pytest.fixture(scope="module")
def rows(inventory: Inventory) -> list[dict[str, object]]:
    return read_csv(DATASET, inventory)


@pytest.fixture(scope="module")
def keyed(inventory: Inventory, rows: list[dict[str, object]]) -> pd.DataFrame:
    """Reverse-scored item responses, NaN where missing."""
    return pd.DataFrame(item_matrix(rows, inventory), columns=[i.id for i in inventory.items])


# ---- reproducibility ----------------------------------------------------------------------


def test_same_seed_reproduces_the_shipped_csv_byte_for_byte(
    inventory: Inventory, tmp_path: Path
) -> None:
    out = write_csv(simulate_inventory(inventory, seed=DEFAULT_SEED), tmp_path / "again.csv")
    assert out.read_bytes() == DATASET.read_bytes()


def test_rebuild_dataset_writes_the_same_csv_and_metadata(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    (assets / "instruments").mkdir(parents=True)
    shutil.copy(
        paths.assets_dir() / "instruments" / "practice_inventory.yaml",
        assets / "instruments" / "practice_inventory.yaml",
    )
    path = rebuild_dataset(assets)
    assert path == assets / DATA_FILE
    assert path.read_bytes() == DATASET.read_bytes()
    assert (assets / META_FILE).read_bytes() == META.read_bytes()


def test_a_different_seed_gives_different_data(inventory: Inventory) -> None:
    assert simulate_inventory(inventory, n=50, seed=1) == simulate_inventory(
        inventory, n=50, seed=1
    )
    assert simulate_inventory(inventory, n=50, seed=1) != simulate_inventory(
        inventory, n=50, seed=2
    )


def test_metadata_says_simulated_and_how_to_rebuild() -> None:
    text = META.read_text(encoding="utf-8")
    meta = yaml.safe_load(text)
    assert "SIMULATED" in text
    assert meta["simulated"] is True
    assert meta["seed"] == DEFAULT_SEED
    assert meta["n"] == DEFAULT_N
    assert meta["missing_rate"] == DEFAULT_MISSING_RATE
    assert meta["generator"] == "course_lib.simulate.simulate_inventory"
    assert meta["rebuild"] == "python -m course_lib simulate"


# ---- shape and content --------------------------------------------------------------------


def test_rows_have_ids_and_on_scale_integers(
    inventory: Inventory, rows: list[dict[str, object]]
) -> None:
    assert len(rows) == DEFAULT_N
    assert [r["respondent_id"] for r in rows] == [f"r{i:03d}" for i in range(1, DEFAULT_N + 1)]
    expected_keys = ["respondent_id", *(i.id for i in inventory.items)]
    for row in rows:
        assert list(row) == expected_keys
        for item in inventory.items:
            value = row[item.id]
            assert value is None or (type(value) is int and 1 <= value <= 5)
    assert simulate_inventory(inventory) == rows


def test_every_response_category_is_used(
    inventory: Inventory, rows: list[dict[str, object]]
) -> None:
    for item in inventory.items:
        assert {r[item.id] for r in rows} - {None} == {1, 2, 3, 4, 5}, item.id


def test_missing_rate_is_close_to_the_parameter(keyed: pd.DataFrame) -> None:
    rate = float(keyed.isna().to_numpy().mean())
    assert abs(rate - DEFAULT_MISSING_RATE) < 0.01


def test_missing_rate_zero_gives_no_missing(inventory: Inventory) -> None:
    data = simulate_inventory(inventory, n=40, missing_rate=0.0)
    assert all(v is not None for row in data for v in row.values())


# ---- the promised structure ---------------------------------------------------------------


def test_alpha_of_the_reverse_scored_items_is_in_range(keyed: pd.DataFrame) -> None:
    alpha, _ci = pingouin.cronbach_alpha(data=keyed)
    assert 0.75 <= alpha <= 0.88


def _within_between(inventory: Inventory, corr: np.ndarray) -> tuple[float, float]:
    facet = [i.facet for i in inventory.items]
    within, between = [], []
    for a in range(len(facet)):
        for b in range(a + 1, len(facet)):
            (within if facet[a] == facet[b] else between).append(corr[a, b])
    return float(np.mean(within)), float(np.mean(between))


def test_facet_items_hang_together_more_than_with_other_facets(
    inventory: Inventory, keyed: pd.DataFrame
) -> None:
    within, between = _within_between(inventory, keyed.corr().to_numpy())
    assert within > between + 0.10, (within, between)
    assert between > 0.15  # the general factor links every item


def test_reverse_keyed_items_were_answered_in_reverse(
    inventory: Inventory, rows: list[dict[str, object]]
) -> None:
    raw = pd.DataFrame(
        item_matrix(rows, inventory, reverse=False), columns=[i.id for i in inventory.items]
    )
    corr = raw.corr()
    for facet in inventory.facets:
        items = inventory.items_in(facet.id)
        for rev in (i for i in items if i.reverse):
            for fwd in (i for i in items if not i.reverse):
                assert corr.loc[rev.id, fwd.id] < -0.2, (rev.id, fwd.id)


# ---- CSV reading and writing --------------------------------------------------------------


def test_write_then_read_round_trips(inventory: Inventory, tmp_path: Path) -> None:
    data = simulate_inventory(inventory, n=25, seed=7, missing_rate=0.2)
    path = write_csv(data, tmp_path / "sub" / "d.csv")
    assert read_csv(path, inventory) == data
    assert b"\r" not in path.read_bytes()


def _corrupt(tmp_path: Path, line_no: int, column: int, value: str) -> Path:
    """Copy the dataset with one cell replaced (line_no 1 is the header)."""
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    cells = lines[line_no - 1].split(",")
    cells[column] = value
    lines[line_no - 1] = ",".join(cells)
    path = tmp_path / "corrupted.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("bad", ["6", "0", "x", "3.0", " 3", "-1", "True"])
def test_read_csv_rejects_a_bad_cell_naming_file_row_and_column(
    inventory: Inventory, tmp_path: Path, bad: str
) -> None:
    path = _corrupt(tmp_path, line_no=8, column=5, value=bad)  # data row 7, column i05
    with pytest.raises(ValueError, match=r"corrupted\.csv: row 7 \(line 8\), column i05"):
        read_csv(path, inventory)


def test_read_csv_rejects_a_wrong_header(inventory: Inventory, tmp_path: Path) -> None:
    path = _corrupt(tmp_path, line_no=1, column=3, value="i3")
    with pytest.raises(ValueError, match=r"corrupted\.csv: line 1: header must be"):
        read_csv(path, inventory)


def test_read_csv_rejects_a_short_row(inventory: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    lines = DATASET.read_text(encoding="utf-8").splitlines()[:4]
    lines[3] = lines[3].rsplit(",", 1)[0]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"short\.csv: row 3 \(line 4\): has 12 columns"):
        read_csv(path, inventory)


def test_read_csv_rejects_a_repeated_respondent(inventory: Inventory, tmp_path: Path) -> None:
    path = _corrupt(tmp_path, line_no=5, column=0, value="r001")
    with pytest.raises(ValueError, match=r"row 4 \(line 5\), column respondent_id: 'r001'"):
        read_csv(path, inventory)


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "file is empty"), ("respondent_id,i01\n", "header must be")],
)
def test_read_csv_rejects_empty_or_headless_files(
    inventory: Inventory, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_csv(path, inventory)


def test_read_csv_rejects_a_header_without_rows(inventory: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "only-header.csv"
    path.write_text(DATASET.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no data rows"):
        read_csv(path, inventory)


def test_read_csv_names_a_missing_file(inventory: Inventory, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nope.csv: cannot be read"):
        read_csv(tmp_path / "nope.csv", inventory)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be"),
        ({"n": True}, "n must be"),
        ({"missing_rate": 1.0}, "missing_rate"),
        ({"missing_rate": -0.1}, "missing_rate"),
    ],
)
def test_simulate_rejects_bad_parameters(
    inventory: Inventory, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        simulate_inventory(inventory, **kwargs)  # type: ignore[arg-type]
