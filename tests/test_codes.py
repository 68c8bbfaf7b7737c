"""The CAMEO table and its PLOVER mapping as the coder and the quality checks read them."""

from __future__ import annotations

import pytest

from etl.codes import action_codes, lookup


def test_codes_carry_label_goldstein_quad_class_and_plover() -> None:
    code = lookup("036")
    assert (code.root, code.label, code.goldstein, code.quad_class) == ("03", "Express intent to meet or negotiate", 4.0, 1)
    assert code.plover_type == "AGREE"
    assert lookup("195").quad_class == 4 and lookup("195").goldstein == -10.0


def test_every_code_has_three_or_four_digits_and_a_quad_class_matching_its_root() -> None:
    quad_by_root = {**dict.fromkeys(["01", "02", "03", "04", "05"], 1), **dict.fromkeys(["06", "07", "08", "09"], 2),
                    **dict.fromkeys(["10", "11", "12", "13", "14"], 3), **dict.fromkeys(["15", "16", "17", "18", "19", "20"], 4)}
    for code, row in action_codes().items():
        assert len(code) in (3, 4) and code.startswith(row.root)
        assert row.quad_class == quad_by_root[row.root], code


def test_codes_without_a_plover_row_of_their_own_take_their_root_mapping() -> None:
    assert lookup("0356").plover_type == "AGREE"
    assert lookup("010").plover_type is None  # PLOVER drops CAMEO 01


def test_unknown_code_names_the_table() -> None:
    with pytest.raises(KeyError, match="cameo_event_codes.csv"):
        lookup("999")
