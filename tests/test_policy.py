"""The policy file: found from the working directory upwards, validated with key and line,
honoured by scans (allow lists, severities, disabled entities, include/exclude)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillguard import PolicyError, Verdict, scan
from spillguard.cli import app
from spillguard.policy import DEFAULT_POLICY, find_policy, load_policy
from tests import builders

runner = CliRunner()

PRESS = (
    "Statement from the Agency.\n"
    "Director Maria Fernanda Lopez said the review is complete.\n"
    "Contact: jorge.ramirez@example.org or 202-555-0143.\n"
)


def test_found_from_the_working_directory_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.spillguard]\nrecords_block = 3\n")
    deep = tmp_path / "site" / "docs"
    deep.mkdir(parents=True)
    assert find_policy(deep) == tmp_path / "pyproject.toml"
    assert load_policy(start=deep).records_block == 3
    (tmp_path / "site" / "spillguard.toml").write_text("records_block = 7\n")
    assert load_policy(start=deep).records_block == 7


def test_no_policy_means_the_defaults(tmp_path: Path) -> None:
    assert load_policy(start=tmp_path) is DEFAULT_POLICY or tmp_path.parents


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('records_block = 10\nfail_on = "never"\n', "fail_on", 2),
        ("\n\nrecords_block = 0\n", "records_block", 3),
        ('colour = "blue"\n', "colour", 1),
        ('[severity]\nPHONE_NUMBER = "loud"\n', "severity.PHONE_NUMBER", 2),
        ("[allow]\npatterns = ['(unclosed']\n", "allow.patterns", 2),
    ],
)
def test_invalid_policy_names_key_and_line(tmp_path: Path, text: str, key: str, line: int) -> None:
    p = tmp_path / "spillguard.toml"
    p.write_text(text)
    with pytest.raises(PolicyError) as err:
        load_policy(p)
    assert f"'{key}'" in str(err.value)
    assert f"line {line}" in str(err.value)


def test_invalid_policy_exits_2_with_the_message(tmp_path: Path) -> None:
    p = tmp_path / "spillguard.toml"
    p.write_text("fail_on = 3\n")
    f = tmp_path / "a.txt"
    f.write_text("hello\n")
    res = runner.invoke(app, ["scan", str(f), "--policy", str(p)])
    assert res.exit_code == 2
    assert "fail_on" in res.output
    assert "line 1" in res.output


def test_broken_toml_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "spillguard.toml"
    p.write_text("records_block = = 3\n")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(p)


def test_allow_list_clears_public_names_and_addresses(tmp_path: Path) -> None:
    page = tmp_path / "press.txt"
    page.write_text(PRESS)
    (fr,) = scan([page]).files
    assert fr.verdict is Verdict.WARN
    assert {f.entity for f in fr.findings} >= {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"}
    pol = tmp_path / "spillguard.toml"
    pol.write_text(
        "[allow]\n"
        'values = ["maria fernanda  LOPEZ", "202-555-0143"]\n'
        "patterns = ['^[a-z.]+@example\\.org$']\n"
    )
    (fr,) = scan([page], policy=load_policy(pol)).files
    assert fr.findings == []
    assert fr.verdict is Verdict.PASS


def test_allow_list_applies_to_table_cells(tmp_path: Path) -> None:
    wb = tmp_path / "records.xlsx"
    builders.detention_workbook(wb, n=30)
    (fr,) = scan([wb]).files
    assert "A_NUMBER" in {f.entity for f in fr.findings}
    pol = tmp_path / "spillguard.toml"
    pol.write_text("[allow]\npatterns = ['A?[-# ]*[0-9][-0-9 ]{6,12}[0-9]']\n")
    (fr,) = scan([wb], policy=load_policy(pol)).files
    assert "A_NUMBER" not in {f.entity for f in fr.findings}


def test_severity_override_and_disabled_entity(tmp_path: Path) -> None:
    page = tmp_path / "press.txt"
    page.write_text(PRESS)
    pol = tmp_path / "spillguard.toml"
    pol.write_text('disable = ["PERSON"]\n[severity]\nPHONE_NUMBER = "critical"\n')
    (fr,) = scan([page], policy=load_policy(pol)).files
    assert "PERSON" not in {f.entity for f in fr.findings}
    assert fr.verdict is Verdict.BLOCK


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "drafts").mkdir(parents=True)
    (site / "a.txt").write_text("x\n")
    (site / "drafts" / "b.txt").write_text("x\n")
    (site / "c.csv").write_text("a,b\n1,2\n")
    pol = tmp_path / "spillguard.toml"
    pol.write_text('include = ["**/*.txt"]\nexclude = ["drafts/**"]\n')
    report = scan([site], policy=load_policy(pol))
    assert [Path(f.path).name for f in report.files] == ["a.txt"]


def test_command_line_wins_over_the_policy(tmp_path: Path) -> None:
    page = tmp_path / "press.txt"
    page.write_text(PRESS)
    pol = tmp_path / "spillguard.toml"
    pol.write_text('fail_on = "warn"\n')
    assert runner.invoke(app, ["scan", str(page), "--policy", str(pol)]).exit_code == 1
    res = runner.invoke(app, ["scan", str(page), "--policy", str(pol), "--fail-on", "block"])
    assert res.exit_code == 0


def test_policy_show(tmp_path: Path) -> None:
    pol = tmp_path / "spillguard.toml"
    pol.write_text('records_block = 4\n[allow]\nvalues = ["press@agency.gov"]\n')
    res = runner.invoke(app, ["policy", "show", "--policy", str(pol)])
    assert res.exit_code == 0
    assert "records_block = 4" in res.stdout
    assert str(pol) in res.stdout
    assert "press@agency.gov" in res.stdout


def test_toml_strings_round_trip_with_quotes_backslashes_and_control_characters() -> None:
    import tomllib

    from spillguard.accept import toml_string

    for value in ['say "hi"', "C:\\path\\", "two\nlines\tand a tab", "bell\x07", "plain"]:
        assert tomllib.loads("x = " + toml_string(value))["x"] == value
