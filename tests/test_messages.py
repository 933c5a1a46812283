"""Short messages (SPEC §3 "Messages"): a headline of at most about 120 characters, the
rest of the explanation as notes, the rule's fix text as help, in every format."""

from __future__ import annotations

import dataclasses
import json

from report_samples import LISTENER, RULES, single_run

from nodeleaklint.findings import RunResult
from nodeleaklint.reporters import render
from nodeleaklint.rules.base import HEADLINE_LIMIT, Explanation, explain, split_message

NLL102 = (
    "`bus.setMaxListeners(0)` removes the listener limit (0 means unlimited) on `bus`, which "
    "silences `MaxListenersExceededWarning`, Node's only built-in leak detector: listeners "
    "added per request or per call then pile up unreported."
)
NLL602 = (
    "`pool.connect()` in `handler` (passed around or stored, so it may run any number of "
    "times): `client` is given back at line 15 only after the `await` at line 14, outside "
    "`try`/`finally`; when that await throws, the pooled client is never given back."
)


def test_a_short_message_stays_whole() -> None:
    assert split_message("`x` grows per call.") == ("`x` grows per call.", ())


def test_the_first_clause_end_outside_code_and_brackets_is_the_split() -> None:
    headline, notes = split_message(NLL602)
    assert headline == (
        "`pool.connect()` in `handler` (passed around or stored, so it may run any number of times)"
    )
    assert notes == (
        "`client` is given back at line 15 only after the `await` at line 14, outside "
        "`try`/`finally`; when that await throws, the pooled client is never given back.",
    )


def test_a_late_clause_end_falls_back_to_the_last_joint_that_fits() -> None:
    headline, notes = split_message(NLL102)
    assert headline == (
        "`bus.setMaxListeners(0)` removes the listener limit (0 means unlimited) on `bus`"
    )
    assert notes == (
        "This silences `MaxListenersExceededWarning`, Node's only built-in leak detector: "
        "listeners added per request or per call then pile up unreported.",
    )


def test_separators_inside_code_are_not_clause_ends() -> None:
    message = "`a; b: c, so d` " + "x" * 130 + ": tail"
    assert split_message(message) == (message, ())  # the only break leaves 140 characters


def test_a_sentence_end_splits_and_the_note_keeps_its_words() -> None:
    message = "The module-level `cache` grows per request. " + "It is never cleared " * 6 + "."
    headline, notes = split_message(message)
    assert headline == "The module-level `cache` grows per request"
    assert notes[0].startswith("It is never cleared")


def test_every_headline_of_a_split_fits_the_limit() -> None:
    words = "`a.on('x', f)` adds a listener to `bus`, and nothing removes it, so it grows; "
    headline, notes = split_message(words * 4)
    assert notes and len(headline) <= HEADLINE_LIMIT


def test_a_clause_end_just_past_the_limit_still_wins() -> None:
    message = "x" * 125 + ": why it leaks, which is long enough to need a note of its own here."
    assert split_message(message) == (
        "x" * 125,
        ("Why it leaks, which is long enough to need a note of its own here.",),
    )


def test_notes_a_rule_gives_are_kept_and_help_is_the_fix_text() -> None:
    finding = dataclasses.replace(LISTENER, message="Short headline", notes=("Why it leaks.",))
    assert explain(finding) == Explanation("Short headline", ("Why it leaks.",), LISTENER.help)


def _long_run() -> RunResult:
    return single_run(dataclasses.replace(LISTENER, message=NLL102))


def test_text_prints_the_headline_then_note_and_help_lines() -> None:
    text = render("text", _long_run(), RULES)
    block = text.split("\n\n")[0].splitlines()
    assert block[0].endswith("on `bus`")
    assert block[3].startswith("   = note: This silences `MaxListenersExceededWarning`")
    assert block[4].startswith("   = help: ")


def test_concise_and_github_print_the_headline_only() -> None:
    concise = render("concise", _long_run(), RULES).splitlines()[0]
    assert concise.endswith("on `bus`")
    github = render("github", _long_run(), RULES).splitlines()[0]
    assert "on `bus`%0Ahelp: " in github and "silences" not in github


def test_sarif_keeps_the_whole_text_and_splits_the_markdown() -> None:
    log = json.loads(render("sarif", _long_run(), RULES))
    message = log["runs"][0]["results"][0]["message"]
    assert message["text"] == NLL102
    paragraphs = message["markdown"].split("\n\n")
    assert paragraphs[0].endswith("on `bus`")
    assert paragraphs[1].startswith("This silences")
    assert paragraphs[2].startswith("Help: ")


def test_json_keeps_the_whole_message() -> None:
    items = json.loads(render("json", _long_run(), RULES))
    assert items[0]["message"] == NLL102 and items[0]["notes"] == []
