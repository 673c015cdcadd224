"""The pip-audit step never calls 'nothing reachable' a clean result."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_every_package_not_found_is_reported_as_not_audited():
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    code, text = audit.summarise(report)
    assert code == 0 and "NOT AUDITED" in text and "no known vulnerabilities" not in text


def test_a_vulnerability_fails_the_step_and_names_the_fix():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}]},
            {"name": "openpyxl", "version": "3.1.5", "vulns": []},
        ]
    }
    code, text = audit.summarise(report)
    assert code == 1 and "VULNERABLE django 5.2.0: PYSEC-1 (fixed in 5.2.1)" in text


def test_an_audited_clean_result_says_how_many_were_checked():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "x", "skip_reason": "not found"},
        ]
    }
    code, text = audit.summarise(report)
    assert code == 0 and "1 pinned packages audited" in text and "1 could not be checked" in text
