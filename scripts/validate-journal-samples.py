#!/usr/bin/env python3
"""Validate the Journal samples and rejects against the input contract v1 schema.

    python3 scripts/validate-journal-samples.py [-v]

Checks, each counted as one pass or fail:
  * the schema is itself a valid draft 2020-12 schema;
  * every line of Journal/samples/*.jsonl parses as strict JSON (no duplicate member names, no
    NaN/Infinity) and validates (Draft202012Validator with format assertion); and is tidy: compact,
    top-level keys in the order id, at, type, customer, order, cart, data;
  * per sample file, ids strictly increase; across files an id repeats only with byte-identical lines;
  * seed-started-checkout.jsonl is exactly the example of log-entry.md, and its Started Checkout
    unique_id (cart id + "_" + unix seconds of `at`) is 1141260_1589562236;
  * every type used in the samples is documented in Journal/entry-types.md (except in
    unknown-type.jsonl, whose type must NOT be documented), and activities.jsonl holds each activity
    type of entry-types.md exactly once;
  * every line of Journal/rejects/malformed.jsonl fails (as JSON or as schema) at the field that
    Journal/rejects/README.md gives for it, except the line that README marks VALID, which must pass;
  * Journal/rejects/duplicate-conflict.jsonl: all lines valid; lines 1-2 share an id with different
    bytes (conflict), lines 3-4 share an id with identical bytes (duplicate).

The last line printed is "N passed, N failed"; the exit status is 1 when anything failed.
Requires the `jsonschema` package (4.x); date / date-time format checks need `rfc3339-validator`.
"""

from __future__ import annotations

import json
import math
import re
import sys
from datetime import datetime
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parent.parent
JOURNAL = ROOT / "Journal"
SCHEMA_PATH = JOURNAL / "log-entry.v1.schema.json"
SAMPLES = JOURNAL / "samples"
REJECTS = JOURNAL / "rejects"
ENTRY_TYPES = JOURNAL / "entry-types.md"

TOP_LEVEL_ORDER = ["id", "at", "type", "customer", "order", "cart", "data"]

# The example entry of /work/shared/log-entry.md (contract v1), compact.
SEED_EXAMPLE = {
    "id": 88120533, "at": "2020-05-15T13:03:56-04:00", "type": "started.signup",
    "customer": {"id": "1141260", "email": "ktest@example.com", "first_name": "test", "last_name": "mcgee",
                 "status": "Prospect", "subscribed": True},
    "cart": {"id": "1141260", "total": 47.95, "checkout_url": "https://shop.example/sign-up",
             "items": [{"product_id": "705", "sku": "ONLYORGANICSMALLBOX",
                        "name": "Only Organic Small Box Fruits & Veggies", "quantity": 1, "price": 47.95,
                        "row_total": 47.95, "categories": ["Boxes"], "kind": "sub"}]},
}
SEED_UNIQUE_ID = "1141260_1589562236"


class StrictJSONError(ValueError):
    """JSON that Python's json module would accept but the contract does not."""

    def __init__(self, message: str, field: str = "(line)"):
        super().__init__(message)
        self.field = field


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise StrictJSONError(f"duplicate member name {key!r}", field=key)
        obj[key] = value
    return obj


def _no_constants(name):
    raise StrictJSONError(f"{name} is not a JSON value")


def strict_loads(text: str):
    """json.loads, minus the extensions RFC 8259 does not allow (NaN, Infinity, duplicate names)."""
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def field_of(path) -> str:
    """['order', 'items', 1, 'quantity'] -> 'order.items[1].quantity'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def error_fields(error) -> set[str]:
    """The fields a schema error (and its sub-errors) points at; `required` points at the missing one."""
    fields = set()
    for err in [error, *error.context]:
        path = list(err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            fields.update(field_of(path + [p]) for p in err.validator_value if p not in err.instance)
        else:
            fields.add(field_of(path) or "(line)")
    return fields


class Report:
    def __init__(self, verbose: bool):
        self.passed = 0
        self.failed = 0
        self.verbose = verbose

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"ok    {what}")
        else:
            self.failed += 1
            print(f"FAIL  {what}" + (f": {detail}" if detail else ""))
        return ok


def documented_types(markdown: str) -> dict[str, set[str]]:
    """Types in the first column of each table row, grouped by the `## ` section they appear under."""
    sections: dict[str, set[str]] = {}
    current = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        m = re.match(r"^\|\s*`([^`]+)`\s*\|", line)
        if m:
            sections.setdefault(current, set()).add(m.group(1))
    return sections


def reject_table(markdown: str) -> dict[int, dict[str, str]]:
    """Rows of the malformed.jsonl table in rejects/README.md: line -> {class, level, field}."""
    rows = {}
    in_table = False
    for line in markdown.splitlines():
        if line.startswith("## "):
            in_table = "malformed.jsonl" in line
            continue
        m = re.match(r"^\|\s*(\d+)\s*\|(.*)\|\s*$", line)
        if in_table and m:
            cells = [c.strip() for c in m.group(2).split("|")]
            rows[int(m.group(1))] = {"class": cells[0], "level": cells[1], "field": cells[2]}
    return rows


def read_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").splitlines()


def main() -> int:
    report = Report(verbose="-v" in sys.argv[1:])

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    try:
        Draft202012Validator.check_schema(schema)
        report.check(True, "schema is a valid draft 2020-12 schema")
    except Exception as exc:  # noqa: BLE001 — reported, then stop: nothing else is meaningful
        report.check(False, "schema is a valid draft 2020-12 schema", str(exc).splitlines()[0])
        print(f"{report.passed} passed, {report.failed} failed")
        return 1
    checker = FormatChecker()
    report.check({"date", "date-time"} <= set(checker.checkers), "format checker knows date and date-time",
                 "install rfc3339-validator")
    validator = Draft202012Validator(schema, format_checker=checker)

    def validate(text: str):
        """(entry or None, [(field-set, message)]) for one line."""
        try:
            entry = strict_loads(text)
        except StrictJSONError as exc:
            return None, [({exc.field}, f"JSON: {exc}")]
        except json.JSONDecodeError as exc:
            return None, [({"(line)"}, f"JSON: {exc}")]
        if not isinstance(entry, dict):
            return None, [({"(line)"}, f"JSON: not an object but {type(entry).__name__}")]
        errors = sorted(validator.iter_errors(entry), key=lambda e: list(e.absolute_path))
        return entry, [(error_fields(e), f"{field_of(e.absolute_path) or '(root)'}: {e.message}") for e in errors]

    # ---- samples ---------------------------------------------------------------------------------
    sample_files = sorted(SAMPLES.glob("*.jsonl"))
    report.check(len(sample_files) > 0, "sample files present", str(SAMPLES))
    types = documented_types(ENTRY_TYPES.read_text(encoding="utf-8"))
    core = types.get("Core types", set())
    activities = next((v for k, v in types.items() if k.startswith("Activity types")), set())
    report.check(len(core) >= 18 and len(activities) >= 34, "entry-types.md lists the core and activity types",
                 f"{len(core)} core, {len(activities)} activity")
    known = core | activities
    by_id: dict[int, tuple[str, str]] = {}

    for path in sample_files:
        lines = read_lines(path)
        last_id = 0
        ids_increase = True
        used_types = []
        for n, text in enumerate(lines, 1):
            where = f"{path.relative_to(ROOT)}:{n}"
            entry, errors = validate(text)
            if isinstance(entry, dict) and isinstance(entry.get("type"), str):
                used_types.append(entry["type"])
            if not report.check(not errors, f"{where} valid", "; ".join(m for _, m in errors)):
                continue
            tidy = json.dumps(entry, separators=(",", ":"), ensure_ascii=False) == text
            order = [k for k in entry if k in TOP_LEVEL_ORDER]
            report.check(tidy and order == [k for k in TOP_LEVEL_ORDER if k in entry], f"{where} compact, keys ordered",
                         "not compact" if not tidy else f"key order {order}")
            ids_increase &= entry["id"] > last_id
            last_id = entry["id"]
            if entry["id"] in by_id and by_id[entry["id"]][1] != text:
                report.check(False, f"{where} id {entry['id']} unique across samples",
                             f"also {by_id[entry['id']][0]} with different content")
            by_id.setdefault(entry["id"], (where, text))
        report.check(ids_increase, f"{path.name}: ids strictly increase")

        if path.name == "unknown-type.jsonl":
            report.check(bool(used_types) and not set(used_types) & known,
                         f"{path.name}: its type is not a documented one", str(used_types))
        else:
            undocumented = sorted(set(used_types) - known)
            report.check(not undocumented, f"{path.name}: every type documented in entry-types.md", str(undocumented))
        if path.name == "activities.jsonl":
            report.check(sorted(used_types) == sorted(activities), f"{path.name}: each activity type exactly once",
                         f"missing {sorted(activities - set(used_types))}, "
                         f"extra/repeated {sorted(t for t in set(used_types) if used_types.count(t) != 1 or t not in activities)}")
        if path.name == "seed-started-checkout.jsonl":
            seed = strict_loads(lines[0]) if len(lines) == 1 else None
            report.check(seed == SEED_EXAMPLE, f"{path.name}: exactly the example entry of log-entry.md")
            if seed:
                at = datetime.fromisoformat(seed["at"])
                unique_id = f'{seed["cart"]["id"]}_{math.floor(at.timestamp())}'
                report.check(unique_id == SEED_UNIQUE_ID, f"{path.name}: Started Checkout unique_id {SEED_UNIQUE_ID}",
                             unique_id)

    # ---- rejects/malformed.jsonl ------------------------------------------------------------------
    table = reject_table((REJECTS / "README.md").read_text(encoding="utf-8"))
    lines = read_lines(REJECTS / "malformed.jsonl")
    report.check(sorted(table) == list(range(1, len(lines) + 1)), "rejects/README.md documents every line",
                 f"{len(lines)} lines, documented {sorted(table)}")
    valid_lines = [n for n, row in table.items() if "VALID" in row["class"]]
    report.check(len(valid_lines) == 1, "rejects/README.md marks exactly one valid line", str(valid_lines))
    for n, text in enumerate(lines, 1):
        where = f"rejects/malformed.jsonl:{n}"
        row = table.get(n, {"class": "?", "level": "?", "field": "?"})
        entry, errors = validate(text)
        if n in valid_lines:
            report.check(not errors, f"{where} valid (must be ingested)", "; ".join(m for _, m in errors))
            continue
        if not report.check(bool(errors), f"{where} rejected ({row['class']})", "it validated"):
            continue
        level = "JSON" if entry is None else "schema"
        fields = set().union(*(f for f, _ in errors))
        report.check(level == row["level"] and row["field"] in fields,
                     f"{where} fails at {row['level']} / {row['field']}",
                     f"failed at {level} / {sorted(fields)}: " + "; ".join(m for _, m in errors))

    # ---- rejects/duplicate-conflict.jsonl ---------------------------------------------------------
    lines = read_lines(REJECTS / "duplicate-conflict.jsonl")
    entries = []
    for n, text in enumerate(lines, 1):
        entry, errors = validate(text)
        report.check(not errors, f"rejects/duplicate-conflict.jsonl:{n} valid on its own", "; ".join(m for _, m in errors))
        entries.append(entry)
    if report.check(len(lines) == 4 and all(entries), "duplicate-conflict.jsonl has 4 valid lines"):
        report.check(entries[0]["id"] == entries[1]["id"] and lines[0] != lines[1],
                     "duplicate-conflict.jsonl: lines 1-2 same id, different content (conflict)")
        report.check(entries[2]["id"] == entries[3]["id"] and lines[2] == lines[3] and entries[0]["id"] != entries[2]["id"],
                     "duplicate-conflict.jsonl: lines 3-4 same id, identical bytes (duplicate)")

    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
