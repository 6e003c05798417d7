import re

from summaries.understand.quotes.words import CUE_ALT, CUE_FORMS, NAMING_VERBS, SURE_CUES


def test_cue_forms_hold_the_inflections_of_speech_verbs() -> None:
    for form in ["warn", "warns", "warned", "warning", "deny", "denies", "denied", "vowed"]:
        assert form in CUE_FORMS
    assert {"said", "told", "wrote", "according"} & CUE_FORMS == {"said", "told", "wrote"}


def test_naming_verbs_are_cues() -> None:
    assert NAMING_VERBS <= CUE_FORMS


def test_the_sure_cues_are_finite_forms_of_the_cues() -> None:
    assert SURE_CUES <= CUE_FORMS
    assert not {"say", "tell", "saying", "asked", "called"} & SURE_CUES


def test_the_cue_alternation_prefers_the_longest_form() -> None:
    m = re.match(rf"(?:{CUE_ALT})", "stressed the point")
    assert m is not None and m.group(0) == "stressed"
